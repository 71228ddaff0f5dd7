"""Opening state.db when the station starts: a damaged file is moved aside (never overwritten),
and a database that had to be made anew is recognised, remembered and reported.

``state.db.id`` beside the database holds the id stored in its ``meta`` table. A database
without that id, or one missing while the id file or captured images exist, was made anew:
accounts, tokens and the audit trail are gone and images are indexed again from their files.
The reason is stored in the new database, so a restart does not hide it (``REPORT_FOR_S``).
Only the station (which holds the home's instance lock) opens state.db this way.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from eyepi_gui.adapters.db import DAMAGE_CODES, OPEN_WAIT_S, StateDB, translate
from eyepi_gui.adapters.image_tree import ImageTree
from eyepi_gui.adapters.store import atomic_write
from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import StorageError

ID_FILE = "state.db.id"
REPORT_FOR_S = 7 * 86400.0
"""How long after it was made anew a database is still reported (seconds)."""
QUICK_CHECK_MAX = 32 * 2**20
"""Largest state.db (bytes) whose every page is checked at start (about a year of captures;
well under a second on a Raspberry Pi's SD card)."""
_SIBLINGS = ("", "-wal", "-shm", "-journal")


@dataclass(frozen=True)
class OpenedState:
    db: StateDB
    problem: str | None
    """Why the database was made anew within ``REPORT_FOR_S``, as a sentence; else None."""


def open_station_db(home: Path, now: float, wait_s: float = OPEN_WAIT_S) -> OpenedState:
    """Open (or make) ``home/state.db``. Raises ``Unavailable`` when another process holds
    it for ``wait_s`` (it is then neither checked nor moved), ``StorageError`` when it cannot
    be opened."""
    path = home / "state.db"
    try:
        why = _set_aside_if_damaged(path, now, wait_s)
        existed = path.exists()
    except OSError as err:
        raise StorageError(f"could not check state.db: {error_reason(err)}") from err
    db = StateDB(path, open_wait_s=wait_s)
    try:
        mismatch = _identity_problem(home, db, existed)  # also gives a new database its id
        why = why or mismatch
        if why is not None:
            db.set_meta("recreated_at", repr(now))
            db.set_meta("recreated", _sentence(why, now))
        return OpenedState(db, _recent_problem(db, now))
    except OSError as err:
        db.close()
        raise StorageError(f"could not read or write {ID_FILE}: {error_reason(err)}") from err
    except BaseException:
        db.close()
        raise


def _set_aside_if_damaged(path: Path, now: float, wait_s: float) -> str | None:
    if not path.exists():
        return None
    damage = "was empty (truncated)" if path.stat().st_size == 0 else _damage(path, wait_s)
    return None if damage is None else f"{damage}; the old file is kept as {_move_aside(path, now)}"


def _damage(path: Path, wait_s: float) -> str | None:
    """What SQLite finds wrong with the file, or None when it looks sound: its quick check
    (every page read once) up to ``QUICK_CHECK_MAX`` bytes, above that the newest rows of
    every table (the pages a truncation cuts off first), so start-up stays quick."""
    thorough = path.stat().st_size <= QUICK_CHECK_MAX
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=rw", uri=True, timeout=wait_s)
        try:
            found = _quick_check(conn) if thorough else _read_newest(conn)
        finally:
            conn.close()
    except sqlite3.Error as err:
        if getattr(err, "sqlite_errorcode", 0) & 0xFF in DAMAGE_CODES:
            return f"could not be read ({err})"
        raise translate(err, f"could not open {path}") from err
    return None if found == ["ok"] else f"is damaged ({'; '.join(found)[:200]})"


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    return [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)")]


def _read_newest(conn: sqlite3.Connection) -> list[str]:
    tables = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table'").fetchall()
    for (name,) in tables:
        quoted = '"' + str(name).replace('"', '""') + '"'
        conn.execute(f"SELECT * FROM {quoted} ORDER BY rowid DESC LIMIT 1").fetchall()  # noqa: S608
    return ["ok"]


def _move_aside(path: Path, now: float) -> str:
    stamp = datetime.fromtimestamp(now).strftime("%Y%m%d-%H%M%S")
    aside, n = f"{path.name}.damaged-{stamp}", 1
    while any(path.with_name(aside + suffix).exists() for suffix in _SIBLINGS):
        n += 1
        aside = f"{path.name}.damaged-{stamp}-{n}"
    for suffix in _SIBLINGS:
        source = path.with_name(path.name + suffix)
        if source.exists():
            os.rename(source, path.with_name(aside + suffix))
    return aside


def _identity_problem(home: Path, db: StateDB, existed: bool) -> str | None:
    id_file = home / ID_FILE
    known = id_file.read_text().strip() if id_file.exists() else None
    current = db.meta("db_id")
    why = None
    if known is not None and current != known:
        why = "was replaced by one this station did not make" if existed else "was missing"
    elif known is None and not existed and ImageTree(home / "images").has_images():
        why = "was missing while images exist"
    if current is None:
        current = uuid.uuid4().hex
        db.set_meta("db_id", current)
    if current != known:
        atomic_write(id_file, current.encode())
    return why


def _sentence(why: str, now: float) -> str:
    when = datetime.fromtimestamp(now).strftime("%Y-%m-%d %H:%M")
    return (
        f"The station's database (state.db) {why}. A new one was made on {when}: user "
        "accounts, API tokens and the audit trail start empty; images are indexed again "
        "from their files."
    )


def _recent_problem(db: StateDB, now: float) -> str | None:
    at, problem = db.meta("recreated_at"), db.meta("recreated")
    return problem if at is not None and now - float(at) < REPORT_FOR_S else None
