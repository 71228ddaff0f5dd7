"""The capture index in state.db, on the connection of the ``StateDB``: implements
``CaptureIndex`` and ``IndexedFolders`` (what start-up reconciliation compares with the files).

Rows are never deleted: ``kept = 0`` once ``keep = "latest"`` removed the file, ``missing = 1``
while the file is gone for another reason. A path has at most one kept row.

Paths are stored relative to the station's home (the folder of state.db), so a home that is
moved or restored (``cp -a home home2``) keeps its index; callers give and get absolute paths.
A path outside the home is stored as given.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from eyepi_gui.adapters.db import QUEUED_WAIT_S, WAIT_S, StateDB
from eyepi_gui.domain.records import QUERY_MAX, CaptureQuery, CaptureRecord

_SELECT = (
    "SELECT id, camera_id, path, scheduled_at, taken_at, size, sha256, focus_score FROM captures"
)
_SHOWN = "kept = 1 AND missing = 0"


class CapturesDB:
    def __init__(self, db: StateDB) -> None:
        self._db = db
        self._home = os.path.abspath(db.path.parent) + os.sep

    def _stored(self, path: str) -> str:
        """``path`` (absolute) as the index stores it: relative when inside the home."""
        return path[len(self._home) :] if path.startswith(self._home) else path

    def _absolute(self, stored: str) -> str:
        return stored if os.path.isabs(stored) else self._home + stored

    def _records(self, rows: list[tuple[Any, ...]]) -> list[CaptureRecord]:
        return [_record(row, self._absolute) for row in rows]

    def add(self, record: CaptureRecord) -> int:
        """Index ``record``'s file unless a kept row names it already (a queued row and the
        start-up reconciliation may both add it); returns the row's id either way. Waits
        only ``QUEUED_WAIT_S``: callers queue the write while the database is busy."""
        with self._db.transaction(wait_s=QUEUED_WAIT_S) as conn:
            return _add(conn, replace(record, path=self._stored(record.path)))[0]

    def add_found(self, records: Iterable[CaptureRecord]) -> int:
        """Index files found on disk, in one transaction; returns how many were new."""
        stored = [replace(record, path=self._stored(record.path)) for record in records]
        with self._db.transaction() as conn:
            return sum(_add(conn, record)[1] for record in stored)

    def count_between(self, camera_id: str, start: float, stop: float) -> int:
        """Scheduled captures (not test shots) taken in [start, stop), one per slot."""
        rows = self._db.fetch(
            "SELECT COUNT(DISTINCT scheduled_at) FROM captures WHERE camera_id = ?"
            " AND scheduled_at IS NOT NULL AND taken_at >= ? AND taken_at < ?",
            (camera_id, start, stop),
        )
        (count,) = rows[0]
        return count if isinstance(count, int) else 0

    def latest(self, camera_id: str) -> CaptureRecord | None:
        rows = self._db.fetch(
            _SELECT + " WHERE camera_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1",
            (camera_id,),
        )
        return self._records(rows)[0] if rows else None

    def kept(self, camera_id: str) -> list[CaptureRecord]:
        rows = self._db.fetch(
            f"{_SELECT} WHERE camera_id = ? AND {_SHOWN} ORDER BY id", (camera_id,)
        )
        return self._records(rows)

    def by_id(self, record_id: int) -> CaptureRecord | None:
        rows = self._db.fetch(f"{_SELECT} WHERE id = ? AND {_SHOWN}", (record_id,))
        return self._records(rows)[0] if rows else None

    def query(self, query: CaptureQuery) -> list[CaptureRecord]:
        conditions, args = [_SHOWN], []
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
        rows = self._db.fetch(sql, [*args, min(query.limit, QUERY_MAX)])
        return self._records(rows)

    # CaptureDays

    def hour_counts(self, camera_id: str) -> list[tuple[int, int]]:
        rows = self._db.fetch(
            "SELECT CAST(taken_at / 3600 AS INTEGER) AS hour, COUNT(*) FROM captures"
            " WHERE camera_id = ? AND kept = 1 AND missing = 0 GROUP BY hour",
            (camera_id,),
        )
        return [(int(hour), int(count)) for hour, count in rows]

    def on_day(self, camera_id: str, start: float, stop: float, limit: int) -> list[CaptureRecord]:
        rows = self._db.fetch(
            f"{_SELECT} WHERE camera_id = ? AND {_SHOWN} AND taken_at >= ? AND taken_at < ?"
            " ORDER BY taken_at, id LIMIT ?",
            (camera_id, start, stop, limit),
        )
        return self._records(rows)

    def recent_sizes(self, camera_id: str, limit: int) -> list[tuple[float, int]]:
        """(slot, bytes) of the camera's newest ``limit`` scheduled image files, newest
        first, removed ones too (implements ``CaptureSizes``; read on the camera's time
        index)."""
        rows = self._db.fetch(
            "SELECT scheduled_at, size FROM captures WHERE camera_id = ?"
            " AND scheduled_at IS NOT NULL ORDER BY taken_at DESC, id DESC LIMIT ?",
            (camera_id, limit),
        )
        return [(float(slot), int(size)) for slot, size in rows]

    def mark_removed(self, record_ids: Iterable[int]) -> None:
        """Waits only ``QUEUED_WAIT_S`` (queued by its caller, like ``add``)."""
        self._set("kept = 0", record_ids, QUEUED_WAIT_S)

    # IndexedFolders

    def in_folder(self, folder: str) -> dict[str, tuple[int, bool]]:
        """Kept rows of the files directly in ``folder`` (path text without the trailing
        slash): file name -> (row id, marked missing)."""
        folder = self._stored(folder)
        prefix = folder + "/"
        rows = self._db.fetch(
            "SELECT id, path, missing FROM captures WHERE kept = 1 AND path >= ? AND path < ?",
            (prefix, folder + "0"),  # "0" sorts right after "/": the range is the prefix
        )
        found = {path[len(prefix) :]: (rid, bool(missing)) for rid, path, missing in rows}
        return {name: row for name, row in found.items() if "/" not in name}

    def between(
        self, low: str, high: str | None, after: tuple[str, int] | None, limit: int
    ) -> list[tuple[int, str]]:
        """Kept rows not marked missing with ``low <= path < high`` (no upper bound when
        ``high`` is None), after ``after`` (path, id) when given, by path: (row id, path).
        Paths inside the home are compared as stored (relative, in the same order); rows
        outside it sort before them, below any bound inside the home."""
        conditions = ["kept = 1", "missing = 0", "path >= ?"]
        args: list[object] = [self._stored(low)]
        if high is not None:
            conditions.append("path < ?")
            args.append(self._stored(high))
        if after is not None:
            conditions.append("(path, id) > (?, ?)")
            args.extend((self._stored(after[0]), after[1]))
        where = " AND ".join(conditions)
        sql = f"SELECT id, path FROM captures WHERE {where} ORDER BY path, id LIMIT ?"  # noqa: S608
        rows = self._db.fetch(sql, [*args, limit])
        return [(rid, self._absolute(path)) for rid, path in rows]

    def set_missing(self, record_ids: Iterable[int], missing: bool) -> None:
        self._set(f"missing = {int(missing)}", record_ids)

    def _set(self, assignment: str, record_ids: Iterable[int], wait_s: float = WAIT_S) -> None:
        ids = list(record_ids)
        if ids:
            marks = ",".join("?" * len(ids))
            sql = f"UPDATE captures SET {assignment} WHERE id IN ({marks})"  # noqa: S608
            with self._db.transaction(wait_s=wait_s) as conn:
                conn.execute(sql, ids)


def _add(conn: sqlite3.Connection, record: CaptureRecord) -> tuple[int, bool]:
    """The kept row of ``record.path`` (added when there was none) and whether it is new."""
    inserted = conn.execute(
        "INSERT INTO captures (camera_id, path, scheduled_at, taken_at, size, sha256,"
        " focus_score) SELECT ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS"
        " (SELECT 1 FROM captures WHERE path = ? AND kept = 1)",
        (
            record.camera_id,
            record.path,
            record.scheduled_at,
            record.taken_at,
            record.size,
            record.sha256,
            record.focus_score,
            record.path,
        ),
    )
    (record_id,) = conn.execute(
        "SELECT id FROM captures WHERE path = ? AND kept = 1 ORDER BY id DESC LIMIT 1",
        (record.path,),
    ).fetchone()
    conn.execute("UPDATE captures SET missing = 0 WHERE id = ? AND missing = 1", (record_id,))
    return int(record_id), inserted.rowcount > 0


def _record(row: tuple[Any, ...], absolute: Callable[[str], str]) -> CaptureRecord:
    record_id, camera_id, path, scheduled, taken, size, sha, focus = row
    return CaptureRecord(
        camera_id=str(camera_id),
        path=absolute(str(path)),
        scheduled_at=None if scheduled is None else float(scheduled),
        taken_at=float(taken),
        size=int(size),
        sha256=str(sha),
        focus_score=None if focus is None else float(focus),
        record_id=int(record_id),
    )
