"""USB export (operators and admins): pick cameras and days, or everything not yet exported,
and a removable drive; the copy runs as an "export" job (one per drive at a time) that the
kiosk and every browser watch and may cancel. See services.export_run for what the job does
and why a pulled stick loses nothing and resumes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from datetime import date
from functools import partial
from pathlib import Path

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.export import EXPORT_JOB, ExportRecord, selection
from eyepi_gui.domain.jobs import JobView
from eyepi_gui.domain.volumes import Volume
from eyepi_gui.ports import Clock, ExportRecords, ExportTargets, VolumeInventory
from eyepi_gui.services import stick_steps
from eyepi_gui.services.access import AccessControl, reads, requires
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.export_run import BATCH_BYTES, BATCH_FILES, ExportOrder, ExportRun
from eyepi_gui.services.job_context import JobContext
from eyepi_gui.services.jobs import JobService

HISTORY_MAX = 200


class ExportService:
    """Starts exports and lists past ones. ``targets`` opens the export folder on a mounted
    stick; ``images`` is the folder captures live in (their paths on the stick mirror it)."""

    def __init__(
        self,
        jobs: JobService,
        inventory: VolumeInventory,
        records: ExportRecords,
        targets: ExportTargets,
        config: SettingsService,
        camera_ids: Callable[[], Iterable[str]],
        clock: Clock,
        images: Path,
        access: AccessControl,
        batch: tuple[int, int] = (BATCH_BYTES, BATCH_FILES),
    ) -> None:
        self._jobs, self._inventory, self._records = jobs, inventory, records
        self._targets, self._config, self._camera_ids = targets, config, camera_ids
        self._clock, self._images, self.access = clock, images, access
        self._batch = batch

    @requires(Permission.EXPORT)
    def export(
        self,
        principal: Principal,
        device: str,
        cameras: Iterable[str] = (),
        first_day: str | date | None = None,
        last_day: str | date | None = None,
        not_exported: bool = False,
    ) -> JobView:
        """Start exporting the selection to the removable ``device`` (as listed); returns
        the queued job. Raises InvalidInput naming the field (device, cameras, first_day,
        last_day, not_exported), NotFound for a device not plugged in, Busy while an export
        to it runs. The stick's own problems (no filesystem, read-only, too small, pulled)
        end the job with its error."""
        chosen = selection(cameras, first_day, last_day, not_exported, self._camera_ids())
        volume = self._removable(device)
        since, until = chosen.span(self._config.tz())
        job_id = _Later()
        order = ExportOrder(job_id.get, principal.label, volume.device, chosen, since, until)
        parts = (self._inventory, self._records, self._targets, self._images, self._clock)
        run = ExportRun(order, *parts, self._batch)
        title = f"Export to {volume.label or volume.device}"
        view = self._jobs.start(principal, EXPORT_JOB, title, run, target=volume.device)
        job_id.set(view.job_id)
        return view

    @requires(Permission.EXPORT)
    def eject(self, principal: Principal, device: str) -> JobView:
        """Unmount the removable ``device`` (after a sync) and power it off where the
        machine can, as a short job whose result says "safe to remove". Refused (Busy)
        while an export to it runs; InvalidInput and NotFound as for ``export``."""
        volume = self._removable(device)
        work = partial(_eject, self._inventory, volume)
        title = f"Eject {volume.label or volume.device}"
        return self._jobs.start(principal, EXPORT_JOB, title, work, target=volume.device)

    @reads
    def history(self, limit: int = 50) -> list[ExportRecord]:
        """The last exports (at most HISTORY_MAX), newest first: where, when, by whom, how
        many files were verified there, how each ended."""
        return self._records.history(max(1, min(limit, HISTORY_MAX)))

    def _removable(self, device: str) -> Volume:
        return stick_steps.removable(self._inventory, device)


def _eject(inventory: VolumeInventory, volume: Volume, ctx: JobContext) -> str:
    """The eject job's work: unmount, then power off (not possible without udisks2: the
    drive is safe to pull once unmounted anyway)."""
    ctx.stage("ejecting")
    return f"{volume.label or volume.device} {stick_steps.eject(inventory, volume.device)}"


class _Later:
    """The job's id, known once ``start`` returned; the work may begin before that."""

    def __init__(self) -> None:
        self._value = ""
        self._known = threading.Event()

    def set(self, value: str) -> None:
        self._value = value
        self._known.set()

    def get(self) -> str:
        self._known.wait(5.0)
        return self._value
