"""The station's SQLite state database (WAL): the capture index; users and audit share its
connection through ``transaction()`` (see ``accounts_db``)."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from eyepi_gui.domain.records import QUERY_MAX, CaptureQuery, CaptureRecord
from eyepi_gui.errors import StorageError

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS captures (
        id INTEGER PRIMARY KEY,
        camera_id TEXT NOT NULL,
        path TEXT NOT NULL,
        scheduled_at REAL,
        taken_at REAL NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        focus_score REAL,
        kept INTEGER NOT NULL DEFAULT 1,
        exported INTEGER NOT NULL DEFAULT 0,
        uploaded INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX IF NOT EXISTS captures_camera_time ON captures (camera_id, taken_at)",
)
BUSY_TIMEOUT_S = 5.0
"""How long a statement waits for another process (the `eyepi user` CLI) to finish writing."""
_SELECT = (
    "SELECT id, camera_id, path, scheduled_at, taken_at, size, sha256, focus_score FROM captures"
)


class StateDB:
    """One connection shared by all threads behind a lock; every call is one transaction.
    Other processes may open the same file: they wait up to ``BUSY_TIMEOUT_S`` for each other."""

    def __init__(self, path: Path) -> None:
        try:
            self._conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
            )
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            for statement in _SCHEMA:
                self._conn.execute(statement)
        except sqlite3.Error as err:
            raise StorageError(f"could not open {path}: {err}") from err
        self._lock = threading.Lock()

    def _run(self, sql: str, args: Iterable[object] = ()) -> list[tuple[object, ...]]:
        try:
            with self._lock:
                return self._conn.execute(sql, tuple(args)).fetchall()
        except sqlite3.Error as err:
            raise StorageError(f"state database: {err}") from err

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[sqlite3.Connection]:
        """Hold the lock and one transaction around the block: ``BEGIN IMMEDIATE`` when
        ``write`` (takes the file's write lock first, so a check and the change it guards
        cannot interleave with another process), else a plain ``BEGIN`` (a consistent read).
        Commits when the block ends, rolls back when it raises; ``sqlite3.Error`` from the
        block or the commit becomes ``StorageError``."""
        with self._lock:
            try:
                self._conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            except sqlite3.Error as err:
                raise StorageError(f"state database: {err}") from err
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except sqlite3.Error as err:
                self._rollback()
                raise StorageError(f"state database: {err}") from err
            except BaseException:
                self._rollback()
                raise

    def _rollback(self) -> None:
        # After some errors (disk full, I/O) SQLite has rolled back already; the first error
        # is the one to report, so a failing ROLLBACK must not replace it.
        with suppress(sqlite3.Error):
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # CaptureIndex

    def add(self, record: CaptureRecord) -> int:
        with self._lock:
            try:
                cursor = self._conn.execute(
                    "INSERT INTO captures (camera_id, path, scheduled_at, taken_at, size, sha256,"
                    " focus_score) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.camera_id,
                        record.path,
                        record.scheduled_at,
                        record.taken_at,
                        record.size,
                        record.sha256,
                        record.focus_score,
                    ),
                )
            except sqlite3.Error as err:
                raise StorageError(f"state database: {err}") from err
            return int(cursor.lastrowid or 0)

    def count_between(self, camera_id: str, start: float, stop: float) -> int:
        """Scheduled captures (not test shots) taken in [start, stop), one per slot."""
        rows = self._run(
            "SELECT COUNT(DISTINCT scheduled_at) FROM captures WHERE camera_id = ?"
            " AND scheduled_at IS NOT NULL AND taken_at >= ? AND taken_at < ?",
            (camera_id, start, stop),
        )
        (count,) = rows[0]
        return count if isinstance(count, int) else 0

    def latest(self, camera_id: str) -> CaptureRecord | None:
        rows = self._run(
            _SELECT + " WHERE camera_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1",
            (camera_id,),
        )
        return _record(rows[0]) if rows else None

    def kept(self, camera_id: str) -> list[CaptureRecord]:
        rows = self._run(
            _SELECT + " WHERE camera_id = ? AND kept = 1 ORDER BY id",
            (camera_id,),
        )
        return [_record(row) for row in rows]

    def by_id(self, record_id: int) -> CaptureRecord | None:
        rows = self._run(_SELECT + " WHERE id = ? AND kept = 1", (record_id,))
        return _record(rows[0]) if rows else None

    def query(self, query: CaptureQuery) -> list[CaptureRecord]:
        conditions, args = ["kept = 1"], []
        for clause, value in (
            ("camera_id = ?", query.camera_id),
            ("taken_at >= ?", query.since),
            ("taken_at < ?", query.until),
            ("id < ?", query.before_id),
        ):
            if value is not None:
                conditions.append(clause)
                args.append(value)
        sql = f"{_SELECT} WHERE {' AND '.join(conditions)} ORDER BY id DESC LIMIT ?"
        rows = self._run(sql, [*args, min(query.limit, QUERY_MAX)])
        return [_record(row) for row in rows]

    def mark_removed(self, record_ids: Iterable[int]) -> None:
        ids = list(record_ids)
        if ids:
            marks = ",".join("?" * len(ids))
            self._run(f"UPDATE captures SET kept = 0 WHERE id IN ({marks})", ids)  # noqa: S608


def _record(row: tuple[object, ...]) -> CaptureRecord:
    record_id, camera_id, path, scheduled, taken, size, sha, focus = row
    return CaptureRecord(
        camera_id=str(camera_id),
        path=str(path),
        scheduled_at=None if scheduled is None else float(scheduled),  # type: ignore[arg-type]
        taken_at=float(taken),  # type: ignore[arg-type]
        size=int(size),  # type: ignore[call-overload]
        sha256=str(sha),
        focus_score=None if focus is None else float(focus),  # type: ignore[arg-type]
        record_id=int(record_id),  # type: ignore[call-overload]
    )
