"""The station's storage services: jobs, volumes, the capture browser and its thumbnails,
USB export, retention and support bundles. Each is built when first used
(``first_use.OnFirstUse``): the kiosk's first paint needs none of them, and their modules
stay out of start-up."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from eyepi_gui.first_use import OnFirstUse

if TYPE_CHECKING:
    from eyepi_gui.adapters.captures_db import CapturesDB
    from eyepi_gui.adapters.db import StateDB
    from eyepi_gui.ports import Clock, ExportTarget, StickWriter, VolumeInventory
    from eyepi_gui.services.access import AccessControl
    from eyepi_gui.services.browse import CaptureBrowser
    from eyepi_gui.services.captures import CaptureLibrary
    from eyepi_gui.services.config import SettingsService
    from eyepi_gui.services.events import EventBus
    from eyepi_gui.services.export import ExportService
    from eyepi_gui.services.jobs import JobService
    from eyepi_gui.services.overview import StationOverview
    from eyepi_gui.services.retention import RetentionService
    from eyepi_gui.services.space import FreeSpace
    from eyepi_gui.services.support_bundle import SupportBundles
    from eyepi_gui.services.thumbnails import ThumbnailService
    from eyepi_gui.services.volumes import VolumeService

MOUNT_FOLDER = "mnt"
"""Where removable drives are mounted (``<home>/mnt/<kernel name>``, 0700)."""


@dataclass(frozen=True)
class StorageParts:
    """What the storage services are made of, from the station as it opens."""

    home: Path
    images: Path
    db: StateDB
    captures: CapturesDB
    library: CaptureLibrary
    config: SettingsService
    space: FreeSpace
    bus: EventBus
    access: AccessControl
    clock: Clock
    camera_ids: Callable[[], list[str]]
    drives: VolumeInventory | None
    """A test's own drives; None for the machine's (``station_drives``)."""
    overview: StationOverview
    doctor: Callable[[], str] | None = None
    """The ``eyepi doctor`` report for support bundles (the CLI's; None: the bundle says so)."""


def storage_services(parts: StorageParts) -> dict[str, Any]:
    """StationServices' storage fields, each a stand-in built at its first use."""
    drives = parts.drives or OnFirstUse(partial(station_drives, parts.home))
    jobs = OnFirstUse(partial(_jobs, parts))
    return {
        "jobs": jobs,
        "browser": OnFirstUse(partial(_browser, parts)),
        "thumbnails": OnFirstUse(partial(_thumbnails, parts)),
        "volumes": OnFirstUse(partial(_volumes, parts, drives)),
        "export": OnFirstUse(partial(_export, parts, jobs, drives)),
        "retention": OnFirstUse(partial(_retention, parts, jobs)),
        "support": OnFirstUse(partial(_support, parts, jobs, drives)),
    }


def _jobs(parts: StorageParts) -> JobService:
    from eyepi_gui.services.jobs import JobService

    return JobService(parts.bus, parts.access, parts.clock)


def _browser(parts: StorageParts) -> CaptureBrowser:
    from eyepi_gui.services.browse import CaptureBrowser

    return CaptureBrowser(parts.captures, parts.library, parts.config)


def _thumbnails(parts: StorageParts) -> ThumbnailService:
    from eyepi_gui.adapters.thumbnails import ThumbnailFolder
    from eyepi_gui.services.thumbnails import ThumbnailService

    return ThumbnailService(parts.library, ThumbnailFolder(parts.home))


def _volumes(parts: StorageParts, drives: Any) -> VolumeService:
    from eyepi_gui.services.volumes import VolumeService

    p = parts
    return VolumeService(drives, p.captures, p.config, p.space, p.camera_ids, p.clock, p.images)


def _export(parts: StorageParts, jobs: Any, drives: Any) -> ExportService:
    from eyepi_gui.adapters.exports_db import ExportsDB
    from eyepi_gui.services.export import ExportService

    p = parts
    records = ExportsDB(p.db)
    return ExportService(
        jobs, drives, records, stick_folder, p.config, p.camera_ids, p.clock, p.images, p.access
    )


def _retention(parts: StorageParts, jobs: Any) -> RetentionService:
    from eyepi_gui.adapters.kept_files import KeptFiles
    from eyepi_gui.adapters.retention_db import RetentionDB
    from eyepi_gui.adapters.thumbnails import ThumbnailFolder
    from eyepi_gui.services.retention import RetentionService
    from eyepi_gui.services.retention_run import RunParts

    p = parts
    home = Path(os.path.abspath(p.home))
    run = RunParts(
        RetentionDB(p.db), KeptFiles(home), ThumbnailFolder(home), p.space, p.clock, home
    )
    return RetentionService(run, p.config, jobs, p.bus, p.access)


def _support(parts: StorageParts, jobs: Any, drives: Any) -> SupportBundles:
    from eyepi_gui.adapters import recent_logs
    from eyepi_gui.adapters.store import AtomicTextFile
    from eyepi_gui.adapters.versions import versions
    from eyepi_gui.services.bundle_files import BundleSources
    from eyepi_gui.services.support_bundle import SupportBundles

    p = parts
    sources = BundleSources(
        p.config,
        p.overview,
        p.doctor,
        AtomicTextFile(p.home / "station.toml").read,
        versions,
        partial(recent_logs.pick, p.home / "logs"),
        recent_logs.blocks,
    )
    return SupportBundles(sources, jobs, drives, stick_writer, p.clock, p.access)


def station_drives(home: Path) -> VolumeInventory:
    """The machine's block volumes through udisks2 when org.freedesktop.UDisks2 has an owner on
    the system bus now (it mounts under its own media folder), else lsblk and mount through the
    station's runner with removable drives under ``<home>/mnt`` (mounting needs root, or fails
    saying so). Either is imported here, on first use."""
    from eyepi_gui.adapters.runner import station_runner
    from eyepi_gui.adapters.udisks import udisks_running

    runner = station_runner()
    if udisks_running():
        from eyepi_gui.adapters.udisks import UDisksVolumes

        return UDisksVolumes(runner, home=home)
    from eyepi_gui.adapters.blockdev import BlockDevices
    from eyepi_gui.adapters.mounts import RemovableVolumes

    return RemovableVolumes(runner, BlockDevices(runner, home=home), home / MOUNT_FOLDER)


def stick_writer(mountpoint: Path, device: str) -> StickWriter:
    """The export folder on a mounted stick, for whole files (``adapters.stick_files``)."""
    from eyepi_gui.adapters.stick_files import StickFolder

    return StickFolder(mountpoint, device)


def stick_folder(mountpoint: Path, device: str) -> ExportTarget:
    """The export's files on a mounted stick (``adapters.stick_files``, imported on first use)."""
    from eyepi_gui.adapters.stick_files import StickFolder

    return StickFolder(mountpoint, device)
