"""Opening state.db when the station starts: a damaged file (or anything but a regular file)
is moved aside (never overwritten), and a database that was made anew or replaced is
recognised, remembered and reported.

``state.db.id`` beside the database holds the id stored in its ``meta`` table. A database
missing while the id file or captured images exist was made anew: accounts, tokens and the
audit trail start empty and images are indexed again from their files. A database whose id
differs from the file's is not the one this station last used (copied over it, restored): its
own accounts, tokens and audit trail are in force. A bad id file costs only that check: it is
written again and reported as such. What was found is stored in the database, so a restart
does not hide it (``REPORT_FOR_S``). Only the station (which holds the home's instance lock)
opens state.db this way; messages name files relative to the home.
"""

from __future__ import annotations

import os
import re
import sqlite3
import stat
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
"""How long after it was found a problem with state.db or state.db.id is reported (seconds)."""
QUICK_CHECK_MAX = 32 * 2**20
"""Largest state.db (bytes) whose every page is checked at start (about a year of captures;
well under a second on a Raspberry Pi's SD card)."""
_SIBLINGS = ("", "-wal", "-shm", "-journal")
_ID = re.compile(r"[0-9a-f]{32}")
_REPORTS = ("recreated", "id_file")
"""The ``meta`` keys of what was found (with ``<key>_at``, when, in epoch seconds)."""


@dataclass(frozen=True)
class OpenedState:
    db: StateDB
    problem: str | None
    """What was found wrong with state.db or state.db.id within ``REPORT_FOR_S``, as
    sentences; else None."""


def open_station_db(home: Path, now: float, wait_s: float = OPEN_WAIT_S) -> OpenedState:
    """Open (or make) ``home/state.db``. Raises ``Unavailable`` when another process holds
    it for ``wait_s`` (it is then neither checked nor moved), ``StorageError`` when it cannot
    be opened (a file in the way that cannot be moved aside, a disk error)."""
    path = home / "state.db"
    damaged = _set_aside_if_damaged(path, now, wait_s)
    existed = path.exists()
    db = StateDB(path, open_wait_s=wait_s)
    try:
        _check_identity(home, db, existed, damaged, now)
        return OpenedState(db, _recent_problems(db, now))
    except BaseException:
        db.close()
        raise


def _set_aside_if_damaged(path: Path, now: float, wait_s: float) -> str | None:
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StorageError(f"could not check {path.name}: {error_reason(err)}") from err
    damage: str | None = None
    if not stat.S_ISREG(found.st_mode):
        damage = f"was {_kind(found.st_mode)}, not a database file"
    elif found.st_size == 0:
        damage = "was empty (truncated)"
    else:
        damage = _damage(path, wait_s)
    if damage is None:
        return None
    try:
        return f"{damage}; it is kept as {_move_aside(path, now)}"
    except OSError as err:
        why = f"could not be moved aside ({error_reason(err)})"
        raise StorageError(f"{path.name} {damage} and {why}") from err


def _kind(mode: int) -> str:
    return "a directory" if stat.S_ISDIR(mode) else "a special file"


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
        raise translate(err, f"could not open {path.name}") from err
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
    while any(os.path.lexists(path.with_name(aside + suffix)) for suffix in _SIBLINGS):
        n += 1
        aside = f"{path.name}.damaged-{stamp}-{n}"
    for suffix in _SIBLINGS:
        source = path.with_name(path.name + suffix)
        if os.path.lexists(source):
            os.rename(source, path.with_name(aside + suffix))
    return aside


def _check_identity(
    home: Path, db: StateDB, existed: bool, damaged: str | None, now: float
) -> None:
    """Compare the database's id with state.db.id, remember what that shows, and give a new
    database an id and the id file the id of the database in use."""
    id_file = home / ID_FILE
    known, id_problem = _read_id(id_file, now)
    current = db.meta("db_id")
    why = damaged
    if why is None and not existed and (known is not None or id_problem is not None):
        why = "was missing"
    elif why is None and not existed and ImageTree(home / "images").has_images():
        why = "was missing while images exist"
    if why is not None:
        _remember(db, "recreated", _made_anew(why, now), now)
    elif known is not None and current != known:
        _remember(db, "recreated", _replaced(db, now), now)
    if current is None or not _ID.fullmatch(current):  # none yet, or not one this code makes
        current = uuid.uuid4().hex
        db.set_meta("db_id", current)
    if current != known:
        written = _write_id(id_file, current)
        if id_problem is not None or written is not None:
            _remember(db, "id_file", _id_sentence(id_problem, written), now)


def _read_id(id_file: Path, now: float) -> tuple[str | None, str | None]:
    """The id state.db.id holds (None without a readable one), and what was wrong with the
    file: anything but a regular file is moved aside first."""
    try:
        found = id_file.stat()
        if not stat.S_ISREG(found.st_mode):
            kind = _kind(found.st_mode)
            try:
                return None, f"was {kind} (kept as {_move_aside(id_file, now)})"
            except OSError as err:
                return None, f"is {kind} and could not be moved aside ({error_reason(err)})"
        data = id_file.read_bytes()[:4096]
    except FileNotFoundError:
        return None, None
    except OSError as err:
        return None, f"was unreadable ({error_reason(err)})"
    text = data.decode("ascii", "replace").strip()
    if _ID.fullmatch(text):
        return text, None
    held = "nothing" if not data else f"{len(data)} bytes, not an id"
    if data and not data.strip(b"\0"):
        held = f"{len(data)} zero bytes"
    return None, f"was unreadable (it held {held})"


def _write_id(id_file: Path, db_id: str) -> str | None:
    """None once ``id_file`` holds ``db_id``, else why it could not be written."""
    try:
        atomic_write(id_file, db_id.encode())
    except StorageError as err:
        return error_reason(err.__cause__ or err)
    return None


def _id_sentence(problem: str | None, unwritten: str | None) -> str:
    unchecked = "state.db is used as it is, not checked against it."
    if problem is None:
        return (
            f"{ID_FILE} could not be written ({unwritten}): a state.db copied over this one "
            "will not be recognised."
        )
    if unwritten is None:
        return f"{ID_FILE} {problem} and was written again; {unchecked}"
    return f"{ID_FILE} {problem} and could not be written again ({unwritten}); {unchecked}"


def _made_anew(why: str, now: float) -> str:
    return (
        f"The station's database (state.db) {why}. A new one was made on {_when(now)}: user "
        "accounts, API tokens and the audit trail start empty; images are indexed again "
        "from their files."
    )


def _replaced(db: StateDB, now: float) -> str:
    (users,) = db.fetch("SELECT COUNT(*) FROM users")[0]
    (tokens,) = db.fetch("SELECT COUNT(*) FROM api_tokens")[0]
    return (
        f"The station's database (state.db) is not the one this station last used (found on "
        f"{_when(now)}; its id differs from {ID_FILE}): it is in use with its own {users} user "
        f"account(s), {tokens} API token(s) and audit trail; its capture index is checked "
        "against the image files. If it was not put there on purpose, stop the station and "
        "put the station's own state.db back."
    )


def _when(now: float) -> str:
    return datetime.fromtimestamp(now).strftime("%Y-%m-%d %H:%M")


def _remember(db: StateDB, key: str, sentence: str, now: float) -> None:
    with db.transaction() as conn:
        conn.executemany(
            "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
            [(key, sentence), (f"{key}_at", repr(now))],
        )


def _recent_problems(db: StateDB, now: float) -> str | None:
    found = []
    for key in _REPORTS:
        at, sentence = db.meta(f"{key}_at"), db.meta(key)
        try:
            recent = at is not None and now - float(at) < REPORT_FOR_S
        except ValueError:  # edited by hand: shown until a newer problem replaces it
            recent = True
        if recent and sentence:
            found.append(sentence)
    return " ".join(found) or None
