"""Support bundles (operators and admins): one zip of what whoever looks after the station
needs to see (``services.bundle_files`` says what is in it and how secrets stay out),
downloaded as it is written, or written to a USB stick as a job that ends with the stick
ejected and "safe to remove"."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.export import EXPORT_FOLDER, EXPORT_JOB
from eyepi_gui.domain.jobs import JobView
from eyepi_gui.domain.support_bundle import STICK_FOLDER, bundle_name
from eyepi_gui.domain.volumes import Volume
from eyepi_gui.errors import StorageError
from eyepi_gui.ports import Clock, StickWriter, VolumeInventory
from eyepi_gui.services import stick_steps
from eyepi_gui.services.access import AccessControl, requires
from eyepi_gui.services.bundle_files import BundleSources, bundle_files, zip_files
from eyepi_gui.services.job_context import JobContext
from eyepi_gui.services.jobs import JobService

StickWriters = Callable[[Path, str], StickWriter]
"""Opens the export folder of a stick mounted at a path, for whole files."""


@dataclass(frozen=True)
class SupportBundle:
    """A bundle being made: its file name and its bytes, in pieces, as they are written."""

    name: str
    chunks: Iterator[bytes]


class SupportBundles:
    """Makes support bundles. The stick job is an export-kind job: one job per stick at a
    time, whether it exports, ejects or writes a bundle."""

    def __init__(
        self,
        sources: BundleSources,
        jobs: JobService,
        inventory: VolumeInventory,
        writers: StickWriters,
        clock: Clock,
        access: AccessControl,
    ) -> None:
        self._sources, self._jobs, self._inventory = sources, jobs, inventory
        self._writers, self._clock, self.access = writers, clock, access

    @requires(Permission.SUPPORT_BUNDLE)
    def download(self, principal: Principal) -> SupportBundle:
        """A bundle made as its ``chunks`` are read (a few chunks in memory at a time)."""
        return self._bundle()

    @requires(Permission.SUPPORT_BUNDLE)
    def to_stick(self, principal: Principal, device: str) -> JobView:
        """Start writing a bundle to the removable ``device`` (as listed) as a job; it ends
        with the stick ejected ("... safe to remove"). InvalidInput ("device") and NotFound
        as for an export; Busy while another job uses the stick."""
        volume = stick_steps.removable(self._inventory, device)
        title = f"Support bundle to {volume.label or volume.device}"
        work = _ToStick(self._bundle, self._inventory, self._writers, volume)
        return self._jobs.start(principal, EXPORT_JOB, title, work, target=volume.device)

    def _bundle(self) -> SupportBundle:
        when = datetime.fromtimestamp(self._clock.now(), self._sources.config.tz())
        name = bundle_name(self._sources.config.current().station_name, when)
        return SupportBundle(name, zip_files(bundle_files(self._sources, when), when))


class _ToStick:
    """The stick job's work: mount, write the bundle (temporary name, fsync, rename), eject."""

    def __init__(
        self,
        bundle: Callable[[], SupportBundle],
        inventory: VolumeInventory,
        writers: StickWriters,
        volume: Volume,
    ) -> None:
        self._bundle, self._inventory, self._writers = bundle, inventory, writers
        self._volume = volume

    def __call__(self, ctx: JobContext) -> str:
        device = self._volume.device
        ctx.stage("mounting the stick")
        mountpoint = self._inventory.mount(device)
        try:
            written = self._write(ctx, mountpoint)
        except BaseException as err:
            stick_steps.unmount_after(self._inventory, device, err)
            raise
        ctx.stage("ejecting")
        return f"{written} written to {self._volume.label or device}; " + stick_steps.eject(
            self._inventory, device
        )

    def _write(self, ctx: JobContext, mountpoint: Path) -> str:
        if self._volume.read_only:
            raise StorageError("the stick is read-only (write-protected?): nothing was written")
        ctx.stage("writing the support bundle")
        bundle = self._bundle()
        relative = f"{STICK_FOLDER}/{bundle.name}"
        target = self._writers(mountpoint, self._volume.device)
        try:
            target.write(relative, bundle.chunks, lambda size: _tick(ctx, size))
        finally:
            target.close()
        return f"{EXPORT_FOLDER}/{relative}"


def _tick(ctx: JobContext, size: int) -> None:
    ctx.advance(bytes=size)
    ctx.check()
