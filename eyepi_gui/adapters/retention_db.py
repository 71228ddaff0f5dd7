"""Retention in state.db (migration 5): implements ``RetentionRecords`` on the connection of
the ``StateDB``.

Candidates are the capture index's kept rows, oldest first; their proofs come from each kind
of verified copy the station records (today the manifests of USB exports, ``export_files``,
whose rows are written only once a file was verified on the stick). A deletion's log row and
the capture's ``kept = 0`` are written in one transaction, so the browser stops listing an
image exactly when its deletion is logged. The last run is kept in ``meta``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.retention import DeletedImage, Proof, RetentionRun

_CANDIDATES = (
    "SELECT id, camera_id, path, scheduled_at, taken_at, size, sha256, focus_score"
    " FROM captures WHERE kept = 1 AND missing = 0"
)
_EXPORT_PROOFS = (
    "SELECT f.capture_id, f.export_id, f.sha256, COALESCE(e.ended_at, e.started_at),"
    " COALESCE(e.label, e.device) FROM export_files f JOIN exports e ON e.id = f.export_id"
    " WHERE f.capture_id IN ({marks}) ORDER BY f.export_id"
)
_DELETED = (
    "SELECT capture_id, camera_id, path, bytes, captured_at, deleted_at, proofs, id"
    " FROM retention_deleted"
)
LAST_RUN = "retention_last_run"


class RetentionDB:
    def __init__(self, db: StateDB) -> None:
        self._db = db
        self._home = os.path.abspath(db.path.parent) + os.sep

    def oldest(self, after: tuple[float, int] | None, limit: int) -> list[CaptureRecord]:
        """Kept captures not marked missing, oldest first (time taken, then id), after
        ``after`` (taken_at, id) when given; absolute paths."""
        sql, args = _CANDIDATES, list[object]()
        if after is not None:
            sql += " AND (taken_at, id) > (?, ?)"
            args.extend(after)
        rows = self._db.fetch(sql + " ORDER BY taken_at, id LIMIT ?", [*args, limit])
        return [self._record(row) for row in rows]

    def proofs(self, capture_ids: Sequence[int]) -> dict[int, list[Proof]]:
        """The verified copies of each of ``capture_ids`` (missing: none)."""
        found: dict[int, list[Proof]] = {}
        if not capture_ids:
            return found
        sql = _EXPORT_PROOFS.format(marks=", ".join("?" * len(capture_ids)))
        for cid, export_id, sha, at, where in self._db.fetch(sql, capture_ids):
            proof = Proof("export", int(export_id), str(sha), float(at), str(where))
            found.setdefault(int(cid), []).append(proof)
        return found

    def record_deletion(self, image: DeletedImage) -> int:
        """Log ``image`` as deleted (its path relative to the home) and take its capture
        out of the index (``kept = 0``), in one transaction; returns the log row's id."""
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO retention_deleted (capture_id, camera_id, path, bytes,"
                " captured_at, deleted_at, proofs) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    image.capture_id,
                    image.camera_id,
                    self._stored(image.path),
                    image.bytes,
                    image.captured_at,
                    image.deleted_at,
                    json.dumps([_proof_data(p) for p in image.proofs]),
                ),
            )
            conn.execute("UPDATE captures SET kept = 0 WHERE id = ?", (image.capture_id,))
            return int(cursor.lastrowid or 0)

    def undo_deletion(self, entry_id: int, capture_id: int) -> None:
        """The file could not be deleted after all: its capture is kept again, unlogged."""
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM retention_deleted WHERE id = ?", (entry_id,))
            conn.execute("UPDATE captures SET kept = 1 WHERE id = ?", (capture_id,))

    def deleted(self, limit: int, before_id: int | None) -> list[DeletedImage]:
        """Deleted images, newest first, at most ``limit``, older than log row ``before_id``."""
        sql, args = _DELETED, list[object]()
        if before_id is not None:
            sql += " WHERE id < ?"
            args.append(before_id)
        rows = self._db.fetch(sql + " ORDER BY id DESC LIMIT ?", [*args, limit])
        return [_deleted(row) for row in rows]

    def last_run(self) -> RetentionRun | None:
        text = self._db.meta(LAST_RUN)
        if text is None:
            return None
        try:
            return RetentionRun(**json.loads(text))
        except (TypeError, ValueError):  # written by another version: not shown
            return None

    def set_last_run(self, run: RetentionRun) -> None:
        self._db.set_meta(LAST_RUN, json.dumps(run.__dict__))

    def _stored(self, path: str) -> str:
        """``path`` relative to the home when inside it (as the capture index stores it)."""
        return path[len(self._home) :] if path.startswith(self._home) else path

    def _record(self, row: tuple[Any, ...]) -> CaptureRecord:
        rid, camera_id, path, scheduled, taken, size, sha256, score = row
        absolute = path if os.path.isabs(path) else self._home + path
        return CaptureRecord(
            str(camera_id),
            absolute,
            None if scheduled is None else float(scheduled),
            float(taken),
            int(size),
            str(sha256),
            None if score is None else float(score),
            int(rid),
        )


def _proof_data(proof: Proof) -> dict[str, object]:
    return dict(proof.__dict__)


def _deleted(row: tuple[Any, ...]) -> DeletedImage:
    capture_id, camera_id, path, size, captured, deleted, proofs, entry_id = row
    return DeletedImage(
        int(capture_id),
        str(camera_id),
        str(path),
        int(size),
        float(captured),
        float(deleted),
        tuple(Proof(**item) for item in json.loads(proofs)),
        int(entry_id),
    )
