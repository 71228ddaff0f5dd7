"""USB exports in state.db (migration 4): implements ``ExportRecords`` on the connection of
the ``StateDB``.

``exports`` has a row per export (who, when, which stick, how it ended); ``export_files`` is
its manifest (capture, path on the stick, SHA-256 as verified there); the capture index's
``exported`` flag is set in the same transaction as a file's manifest row, so "not yet
exported" never counts a file that was not verified on a stick.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.export import ExportRecord, ExportSelection
from eyepi_gui.domain.records import CaptureRecord

_COLUMNS = (
    "id, job_id, started_at, ended_at, by, device, label, fstype, folder, files, bytes, outcome"
)
_CAPTURES = (
    "SELECT id, camera_id, path, scheduled_at, taken_at, size, sha256, focus_score"
    " FROM captures WHERE kept = 1 AND missing = 0"
)


class ExportsDB:
    def __init__(self, db: StateDB) -> None:
        self._db = db
        self._home = os.path.abspath(db.path.parent) + os.sep

    def selected(
        self, selection: ExportSelection, since: float | None, until: float | None
    ) -> list[CaptureRecord]:
        """Kept captures of ``selection`` in [since, until), oldest first (absolute paths)."""
        conditions, args = [_CAPTURES], list[object]()
        if selection.cameras:
            conditions.append(f"camera_id IN ({', '.join('?' * len(selection.cameras))})")
            args.extend(selection.cameras)
        if selection.not_exported:
            conditions.append("exported = 0")
        for clause, value in (("taken_at >= ?", since), ("taken_at < ?", until)):
            if value is not None:
                conditions.append(clause)
                args.append(value)
        rows = self._db.fetch(" AND ".join(conditions) + " ORDER BY taken_at, id", args)
        return [
            CaptureRecord(
                camera_id,
                path if os.path.isabs(path) else self._home + path,
                scheduled,
                taken,
                size,
                sha256,
                score,
                rid,
            )
            for rid, camera_id, path, scheduled, taken, size, sha256, score in rows
        ]

    def begin(self, record: ExportRecord) -> int:
        """Record an export that starts now; returns its id (``record.export_id`` unused)."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO exports (job_id, started_at, by, device, label, fstype, folder)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.job_id,
                    record.started_at,
                    record.by,
                    record.device,
                    record.label,
                    record.fstype,
                    record.folder,
                ),
            )
            return int(cursor.lastrowid or 0)

    def verified(self, export_id: int, files: Sequence[tuple[int, str, str, int]]) -> None:
        """``files`` (capture id, path on the stick, sha256, bytes) were verified on the
        stick of export ``export_id``: manifest rows, counts, and the captures' exported flag."""
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR REPLACE INTO export_files (export_id, capture_id, path, sha256)"
                " VALUES (?, ?, ?, ?)",
                [(export_id, cid, path, sha) for cid, path, sha, _ in files],
            )
            conn.execute(
                "UPDATE exports SET files = files + ?, bytes = bytes + ? WHERE id = ?",
                (len(files), sum(size for *_, size in files), export_id),
            )
            conn.executemany(
                "UPDATE captures SET exported = 1 WHERE id = ?", [(cid,) for cid, *_ in files]
            )

    def finish(self, export_id: int, ended_at: float, outcome: str) -> None:
        self._db.fetch(
            "UPDATE exports SET ended_at = ?, outcome = ? WHERE id = ?",
            (ended_at, outcome, export_id),
        )

    def history(self, limit: int) -> list[ExportRecord]:
        """The last ``limit`` exports, newest first."""
        sql = f"SELECT {_COLUMNS} FROM exports ORDER BY id DESC LIMIT ?"  # noqa: S608
        rows = self._db.fetch(sql, (limit,))
        return [ExportRecord(*row) for row in rows]

    def manifest(self, export_id: int) -> list[tuple[int, str, str]]:
        """Export ``export_id``'s files: (capture id, path on the stick, sha256), by path."""
        rows = self._db.fetch(
            "SELECT capture_id, path, sha256 FROM export_files WHERE export_id = ? ORDER BY path",
            (export_id,),
        )
        return [(int(cid), str(path), str(sha)) for cid, path, sha in rows]

    def exported(self, capture_ids: Iterable[int]) -> set[int]:
        """Which of ``capture_ids`` carry the exported flag."""
        ids = list(capture_ids)
        if not ids:
            return set()
        rows = self._db.fetch(
            f"SELECT id FROM captures WHERE exported = 1 AND id IN ({', '.join('?' * len(ids))})",  # noqa: S608
            ids,
        )
        return {int(rid) for (rid,) in rows}
