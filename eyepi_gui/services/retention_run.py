"""One run of retention: choose (``domain.retention.plan``) and delete, one image at a time.

Each deletion is logged before its file goes: the log row and the capture's removal from
the index are one transaction, then the file is deleted (a file that cannot be deleted puts
its row back). A crash between the two leaves a logged image still on disk, never a deleted
one missing from the log. Before each file the run measures it again: a file that changed
since the plan (or went) is left alone. The run stops once the disk has the room asked for,
measured, or when it is cancelled; sidecars left alone and thumbnails of what went are
removed at the end.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.retention import (
    Candidate,
    DeletedImage,
    RetentionPlan,
    cutoff_for,
    kept_because,
    plan,
)
from eyepi_gui.ports import Clock, KeptImageFiles, RetentionRecords, Thumbnails
from eyepi_gui.services.job_context import JobContext
from eyepi_gui.services.space import FreeSpace

_log = logging.getLogger("eyepi.retention")
PAGE = 500
"""Index rows read at a time while choosing."""
MEASURE_EVERY = 20
"""Deletions between two measurements of the free space."""


@dataclass(frozen=True)
class RunParts:
    """What a run works with."""

    records: RetentionRecords
    files: KeptImageFiles
    thumbnails: Thumbnails
    space: FreeSpace
    clock: Clock
    home: Path


def candidates(parts: RunParts, min_age_days: int) -> Iterator[Candidate]:
    """The index's kept images, oldest first, read a page at a time as the plan consumes
    them; a file is measured only for an image that may go (old enough and proven)."""
    cutoff = cutoff_for(parts.clock.now(), min_age_days)
    after: tuple[float, int] | None = None
    while page := parts.records.oldest(after, PAGE):
        proofs = parts.records.proofs([r.record_id for r in page if r.record_id is not None])
        for record in page:
            found = tuple(proofs.get(record.record_id or 0, ()))
            may_go = kept_because(Candidate(record, found, record.size), cutoff) is None
            size = parts.files.size(record.path) if may_go else None
            yield Candidate(record, found, size)
        after = (page[-1].taken_at, page[-1].record_id or 0)


def choose(parts: RunParts, keep_free: int, min_age_days: int) -> RetentionPlan:
    """What a run would delete now to keep ``keep_free`` bytes free."""
    free = parts.space.free_bytes()
    found = candidates(parts, min_age_days)
    return plan(found, free, keep_free, min_age_days, parts.clock.now())


class Deletion:
    """Deletes a plan's images in order, reporting to ``ctx`` and stopping when it is
    cancelled; ``deleted`` holds what went so far."""

    def __init__(self, parts: RunParts, keep_free: int, ctx: JobContext) -> None:
        self._parts, self._keep_free, self._ctx = parts, keep_free, ctx
        self.deleted: list[DeletedImage] = []

    def run(self, chosen: RetentionPlan) -> list[DeletedImage]:
        """Delete ``chosen``'s images until the disk has ``keep_free`` bytes free."""
        try:
            for n, candidate in enumerate(chosen.chosen, 1):
                self._ctx.check()
                image = self._delete(candidate)
                if image is not None:
                    self.deleted.append(image)
                    self._ctx.advance(items=1, bytes=image.bytes)
                if n % MEASURE_EVERY == 0 and self._roomy():
                    break
        finally:
            self._prune()
        return self.deleted

    def _roomy(self) -> bool:
        return self._parts.space.free_bytes() >= self._keep_free

    def _delete(self, candidate: Candidate) -> DeletedImage | None:
        record, parts = candidate.record, self._parts
        if record.record_id is None or parts.files.size(record.path) != record.size:
            return None  # changed or gone since it was chosen: not the image proven
        image = DeletedImage(
            record.record_id,
            record.camera_id,
            relative(record, parts.home),
            record.size,
            record.taken_at,
            parts.clock.now(),
            candidate.proofs,
        )
        entry = parts.records.record_deletion(image)
        try:
            parts.files.delete(record.path)
        except Exception:
            parts.records.undo_deletion(entry, record.record_id)
            raise
        _log_deleted(image)
        return replace(image, entry_id=entry)

    def _prune(self) -> None:
        """Sidecars left alone and thumbnails of what went, once for the whole run."""
        if self.deleted:
            home = self._parts.home
            self._parts.files.drop_lone_sidecars(str(home / i.path) for i in self.deleted)
            self._parts.thumbnails.prune({image.capture_id for image in self.deleted})


def relative(record: CaptureRecord, home: Path) -> str:
    """The record's path relative to the home ("images/sim-1/<day>/<file>")."""
    path = Path(record.path)
    return path.relative_to(home).as_posix() if path.is_relative_to(home) else path.name


def _log_deleted(image: DeletedImage) -> None:
    _log.info(
        "retention deleted %s (%d bytes), proven by %s",
        image.path,
        image.bytes,
        ", ".join(p.text() for p in image.proofs),
        extra={
            "event": "retention_deleted",
            "fields": {
                "capture_id": image.capture_id,
                "camera_id": image.camera_id,
                "path": image.path,
                "bytes": image.bytes,
                "captured_at": image.captured_at,
                "deleted_at": image.deleted_at,
                "proofs": [p.text() for p in image.proofs],
            },
        },
    )
