"""One USB export as a job's work: mount, plan, pre-flight, copy, verify, record, eject.

Files go in batches (``BATCH_BYTES`` or ``BATCH_FILES``, whichever is reached first): each
file is copied to a temporary name; then, on a second thread while the next batch is
copied, the batch is settled (each file fsynced, then renamed), the device's cache dropped,
and each file read back and compared with the SHA-256 the capture index holds
(the copy does not hash: the bytes are hashed once, as read back; a file changed on the data
disk since it was indexed fails the comparison too, and is never vouched for);
the verified ones are added to the stick's manifest, the manifest synced, and only then
recorded in state.db (manifest rows, exported flag). A stick pulled at any moment so loses
at most the batch in flight: the next export of the same selection skips every file the
manifest lists with the right checksum. A file that reads back wrong is removed from the
stick and named in the job's error. The stick is unmounted (after sync) and powered off
where udisks2 runs, whatever happened, before the job ends; "safe to remove" only then.
"""

from __future__ import annotations

import contextlib
import logging
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from eyepi_gui.domain.export import (
    EXPORT_FOLDER,
    ExportItem,
    ExportPlan,
    ExportRecord,
    ExportSelection,
    plan,
    preflight,
)
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.sizes import size_text
from eyepi_gui.domain.volumes import Volume
from eyepi_gui.errors import EyepiError, NotFound, StickGone, StorageError
from eyepi_gui.ports import Clock, ExportRecords, ExportTarget, ExportTargets, VolumeInventory
from eyepi_gui.services import stick_steps
from eyepi_gui.services.job_context import JobCancelled, JobContext

_log = logging.getLogger("eyepi.export")

BATCH_BYTES = 64 << 20
BATCH_FILES = 200
SHOWN_NAMES = 5
READERS = 2
"""Batches read back at once, each on its thread, while the next batch is copied."""


class Unverified(StorageError):
    """Some files read back wrong (removed from the stick, named); the others are verified."""


@dataclass(frozen=True)
class ExportOrder:
    """What one job exports, where to, for whom."""

    job_id: Callable[[], str]
    """The job's id (known once the job service answered)."""
    by: str
    device: str
    selection: ExportSelection
    since: float | None
    until: float | None


class ExportRun:
    """The work of one export job (``__call__(ctx) -> summary``)."""

    def __init__(
        self,
        order: ExportOrder,
        inventory: VolumeInventory,
        records: ExportRecords,
        targets: ExportTargets,
        images: Path,
        clock: Clock,
        batch: tuple[int, int] = (BATCH_BYTES, BATCH_FILES),
    ) -> None:
        """``batch``: (bytes, files) copied before each read-back and manifest update."""
        self._order, self._inventory, self._records = order, inventory, records
        self._targets, self._images, self._clock = targets, images, clock
        self._batch = batch
        self._bad: list[str] = []
        self._verified = 0

    def __call__(self, ctx: JobContext) -> str:
        device = self._order.device
        ctx.stage("mounting the stick")
        mountpoint = self._inventory.mount(device)
        try:
            summary = self._export(ctx, mountpoint)
        except Unverified as err:  # the rest is verified: eject as after success
            try:
                words = self._eject(ctx)
            except EyepiError as failed:
                words = f"; unmounting failed: {failed}"
            raise Unverified(f"{err}{words}") from err
        except BaseException as err:
            self._eject_after(err)
            raise
        return summary + self._eject(ctx)

    def _export(self, ctx: JobContext, mountpoint: Path) -> str:
        volume = self._volume()
        if volume.read_only:
            raise StorageError("the stick is read-only (write-protected?): nothing was written")
        target = self._targets(mountpoint, self._order.device)
        export_id = None
        try:
            ctx.stage("checking what the stick holds")
            todo = plan(self._items(), target.manifest())
            preflight(todo, volume.fstype or "", volume.free or 0)
            export_id = self._begin(volume)
            self._records.verified(export_id, [_row(i) for i in todo.done])
            ctx.set_totals(items=len(todo.items), bytes=2 * todo.bytes_to_copy)
            self._copy_all(ctx, target, export_id, todo.items)
            if self._bad:
                raise Unverified(self._bad_said())
            self._finish(export_id, "done")
            return _summary(todo, volume)
        except JobCancelled as err:
            self._finish(export_id, f"cancelled: {err}")
            raise
        except EyepiError as err:
            self._finish(export_id, f"failed: {err}")
            if isinstance(err, StickGone):
                said = f"{err}: {self._verified} files were verified on it"
                raise StickGone(f"{said}; plug it back in and export again to resume") from err
            raise
        finally:
            target.close()

    def _copy_all(
        self, ctx: JobContext, target: ExportTarget, export_id: int, items: Sequence[ExportItem]
    ) -> None:
        """Copy batch after batch; each copied batch is settled and read back by one of
        READERS threads while the next ones are copied (the read-back, the hashing and the
        copy overlap: all leave the GIL). A batch's verified files are recorded in order,
        once settled, read back and their manifest lines fsynced."""
        checking: deque[Future[list[ExportItem]]] = deque()
        with ThreadPoolExecutor(READERS, thread_name_prefix="export-verify") as readers:
            try:
                for batch in _batches(items, *self._batch):
                    ctx.stage("copying and verifying" if checking else "copying")
                    for item in batch:
                        ctx.check()
                        target.copy(item.source, item.relative, lambda n: _tick(ctx, n))
                    while len(checking) >= READERS:
                        self._recorded(export_id, checking.popleft().result())
                    checking.append(readers.submit(self._verify, ctx, target, batch))
                ctx.stage("verifying")
                while checking:
                    self._recorded(export_id, checking.popleft().result())
                target.sync()
            finally:
                futures.wait(checking)  # a failure meanwhile: the read-backs end first

    def _verify(
        self, ctx: JobContext, target: ExportTarget, batch: Sequence[ExportItem]
    ) -> list[ExportItem]:
        """Settle ``batch`` (fsync, rename), drop the device's cache, read it back; the
        files that match go in the manifest, the others are removed and named. Returns
        those that matched."""
        target.settle([item.relative for item in batch])
        target.forget_cache()
        good = []
        for item in batch:
            if target.verify(item.relative, lambda n: _tick(ctx, n)) == item.sha256:
                target.record(item.sha256, item.relative)
                good.append(item)
            else:
                target.remove(item.relative)
                self._bad.append(f"{item.relative} (read back, it differs from the capture)")
            ctx.advance(items=1)
        target.sync_manifest()  # a pull from now on keeps these files skipped on resume
        return good

    def _recorded(self, export_id: int, good: Sequence[ExportItem]) -> None:
        if good:
            self._records.verified(export_id, [_row(i) for i in good])
            self._verified += len(good)

    def _items(self) -> list[ExportItem]:
        order = self._order
        found = self._records.selected(order.selection, order.since, order.until)
        items = [item for record in found if (item := self._item(record)) is not None]
        if not items:
            raise NotFound("no captures in the selection: nothing to export")
        return items

    def _item(self, record: CaptureRecord) -> ExportItem | None:
        try:
            relative = Path(record.path).relative_to(self._images).as_posix()
        except ValueError:
            _log.warning("%s is outside images/: not exported", record.path)
            return None
        return ExportItem(record.record_id or 0, record.path, relative, record.size, record.sha256)

    def _volume(self) -> Volume:
        for volume in self._inventory.volumes():
            if volume.device == self._order.device:
                return volume
        raise StickGone(f"{self._order.device} is gone (pulled out?)")

    def _begin(self, volume: Volume) -> int:
        order = self._order
        return self._records.begin(
            ExportRecord(
                0,
                order.job_id(),
                self._clock.now(),
                None,
                order.by,
                order.device,
                volume.label,
                volume.fstype,
                EXPORT_FOLDER,
                0,
                0,
                "running",
            )
        )

    def _finish(self, export_id: int | None, outcome: str) -> None:
        if export_id is not None:
            with contextlib.suppress(EyepiError):
                self._records.finish(export_id, self._clock.now(), outcome)

    def _bad_said(self) -> str:
        names = "; ".join(self._bad[:SHOWN_NAMES])
        more = f" and {len(self._bad) - SHOWN_NAMES} more" if len(self._bad) > SHOWN_NAMES else ""
        return (
            f"{len(self._bad)} file(s) failed verification and were removed from the stick:"
            f" {names}{more}. The others are verified; export again or use another stick"
        )

    def _eject(self, ctx: JobContext) -> str:
        """Sync, unmount and power off; the result's last words say the stick may go."""
        ctx.stage("ejecting")
        return "; " + stick_steps.eject(self._inventory, self._order.device)

    def _eject_after(self, err: BaseException) -> None:
        """Unmount after a failure (best effort, lazily when the stick is gone)."""
        stick_steps.unmount_after(self._inventory, self._order.device, err)


def _tick(ctx: JobContext, size: int) -> None:
    ctx.advance(bytes=size)
    ctx.check()


def _row(item: ExportItem) -> tuple[int, str, str, int]:
    return (item.record_id, f"{EXPORT_FOLDER}/{item.relative}", item.sha256, item.size)


def _batches(
    items: Sequence[ExportItem], max_bytes: int, max_files: int
) -> Iterator[list[ExportItem]]:
    batch: list[ExportItem] = []
    size = 0
    for item in items:
        if batch and (size + item.size > max_bytes or len(batch) >= max_files):
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += item.size
    if batch:
        yield batch


def _summary(todo: ExportPlan, volume: Volume) -> str:
    where = volume.label or volume.device
    skipped = f", {len(todo.done)} already there" if todo.done else ""
    return (
        f"{len(todo.items)} files ({size_text(todo.bytes_to_copy)}) copied and verified"
        f" to {where}{skipped}"
    )
