"""The station's SQLite state database (WAL): one connection shared by every thread, bounded
waits for other processes, the schema (``db_schema``) made and migrated at open, and the
station's facts about the file (``meta``). Each table's queries live in their own adapter on
this connection: ``captures_db``, ``accounts_db``, ``tokens_db``."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from eyepi_gui.adapters.db_schema import FUNCTIONS, MIGRATIONS, TABLES, check_version
from eyepi_gui.errors import EyepiError, StorageError, Unavailable

WAIT_S = 1.0
"""How long a statement waits for another process that holds state.db (the ``eyepi user``
CLI holds it for milliseconds) before the station answers ``Unavailable(BUSY)``."""
QUEUED_WAIT_S = 0.05
"""How long audit and capture-index writes wait: their callers queue them and retry
(``services.deferred_writes``), so a held database never slows a login or a capture."""
OPEN_WAIT_S = 10.0
"""How long opening state.db waits for another process by default (the ``eyepi user`` CLI);
the station waits ``station_db.FIRST_WAIT_S`` and then starts without it."""
BUSY = "the station's database is busy, try again"

DAMAGE_CODES = (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
"""SQLite's codes for a file that is not a database or a malformed one."""


def translate(err: sqlite3.Error, context: str = "state database") -> EyepiError:
    """A busy or locked database is ``Unavailable(BUSY)``; anything else a ``StorageError``."""
    code = getattr(err, "sqlite_errorcode", 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return Unavailable(BUSY)
    return StorageError(f"{context}: {err}")


WAL_RETRY_S = 0.05
"""Pause between tries to switch a file another process is switching to WAL (s)."""


class StateDB:
    """One connection shared by all threads behind a lock; every call is one transaction.
    Other processes may open the same file: a statement waits for them at most ``wait_s``
    (``WAIT_S`` unless the caller says otherwise), then raises ``Unavailable(BUSY)``.

    Made with ``connect=False`` it has no connection yet: every call raises ``Unavailable``
    until ``attach`` gives it the connection of one opened later (the station starts while
    state.db cannot be opened, see ``station_db``). Messages name the file, not its path."""

    def __init__(
        self, path: Path, *, open_wait_s: float = OPEN_WAIT_S, connect: bool = True
    ) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._wait_ms = -1
        self._closed = False
        self._unavailable = BUSY
        self._conn: sqlite3.Connection | None = None
        if connect:
            self._connect(open_wait_s)

    def _connect(self, wait_s: float) -> None:
        try:
            conn = sqlite3.connect(
                self.path, timeout=wait_s, check_same_thread=False, isolation_level=None
            )
        except sqlite3.Error as err:
            raise translate(err, f"could not open {self.path.name}") from err
        self._conn = conn
        try:
            self._prepare(conn, wait_s)
        except EyepiError:
            self._conn = None
            conn.close()
            raise

    def unavailable_because(self, why: str) -> None:
        """What calls say while there is no connection yet (``Unavailable``'s message)."""
        self._unavailable = why

    def attach(self, opened: StateDB) -> None:
        """Take over ``opened``'s connection (it is left without one). On a closed StateDB,
        or one that has a connection already, the connection is closed instead."""
        with opened._lock:
            conn, opened._conn = opened._conn, None
            wait_ms = opened._wait_ms
        with self._lock:
            if conn is not None and (self._closed or self._conn is not None):
                conn.close()
            elif conn is not None:
                self._conn, self._wait_ms = conn, wait_ms

    def _connection(self) -> sqlite3.Connection:
        """The connection (the lock is held); ``Unavailable`` while there is none."""
        if self._conn is None:
            raise Unavailable(self._unavailable)
        return self._conn

    def _prepare(self, conn: sqlite3.Connection, wait_s: float) -> None:
        try:
            with self._lock:
                self._wait(wait_s)
                check_version(conn.execute("PRAGMA user_version").fetchone()[0])  # before a write
                _switch_to_wal(conn, wait_s)
                conn.execute("PRAGMA synchronous=NORMAL")
                for name, function in FUNCTIONS.items():
                    conn.create_function(name, 1, function, deterministic=True)
        except sqlite3.Error as err:
            raise translate(err, f"could not open {self.path.name}") from err
        if self.fetch("PRAGMA user_version", wait_s=wait_s)[0][0] == len(MIGRATIONS):
            return  # nothing to write: the station opens while another process writes
        with self.transaction(wait_s=wait_s) as conn:
            for statement in TABLES:
                conn.execute(statement)
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            for number, statements in enumerate(MIGRATIONS[version:], version + 1):
                for statement in statements:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {number}")

    def _wait(self, seconds: float) -> None:
        """Set how long the next statements wait for other processes (the lock is held)."""
        ms = round(seconds * 1000)
        if ms != self._wait_ms:
            self._connection().execute(f"PRAGMA busy_timeout = {ms}")
            self._wait_ms = ms

    def fetch(
        self, sql: str, args: Iterable[object] = (), *, wait_s: float = WAIT_S
    ) -> list[tuple[Any, ...]]:
        """Run one statement on its own (autocommit) and return its rows."""
        try:
            with self._lock:
                self._wait(wait_s)
                return self._connection().execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as err:
            raise translate(err) from err

    @contextmanager
    def transaction(
        self, *, write: bool = True, wait_s: float = WAIT_S
    ) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one transaction around the block: ``BEGIN IMMEDIATE`` when
        ``write`` (takes the file's write lock first, so a check and the change it guards
        cannot interleave with another process), else a plain ``BEGIN`` (a consistent read).
        Commits when the block ends, rolls back when it raises; ``sqlite3.Error`` from the
        block or the commit becomes ``Unavailable(BUSY)`` or ``StorageError``."""
        with self._lock:
            try:
                self._wait(wait_s)
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as err:
                raise translate(err) from err
            try:
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as err:
                self._rollback()
                raise translate(err) from err
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        # After some errors (disk full, I/O) SQLite has rolled back already; the first error
        # is the one to report, so a failing ROLLBACK must not replace it.
        with suppress(sqlite3.Error):
            if self._conn is not None and self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def meta(self, key: str) -> str | None:
        """A fact the station keeps about this database file (its id, when it was made)."""
        rows = self.fetch("SELECT value FROM meta WHERE key = ?", (key,))
        return str(rows[0][0]) if rows else None

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def close(self) -> None:
        with self._lock:
            self._closed = True
            if self._conn is not None:
                self._conn.close()


def _switch_to_wal(conn: sqlite3.Connection, wait_s: float) -> None:
    """WAL mode, waiting up to ``wait_s`` for other processes. SQLite answers "locked" at once,
    without its busy wait, when processes opening a new file at the same moment would
    otherwise deadlock on the switch; trying again settles it once the first has switched."""
    deadline = time.monotonic() + wait_s
    while True:
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if "locked" not in str(err) or time.monotonic() >= deadline:
                raise
        time.sleep(WAL_RETRY_S)
