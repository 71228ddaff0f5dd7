"""A station with a simulated camera's day of captures and a real loop-device stick, for
the export tests (services, remote, benchmarks): ``ExportWorld``."""

from __future__ import annotations

import hashlib
import os
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from eyepi_gui.adapters.blockdev import BlockDevices
from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.exports_db import ExportsDB
from eyepi_gui.adapters.mounts import RemovableVolumes
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.adapters.stick_files import StickFolder
from eyepi_gui.domain.export import EXPORT_FOLDER, MANIFEST, parse_manifest
from eyepi_gui.ports import VolumeInventory
from eyepi_gui.services.export import ExportService
from tests.fake_network import FakeNetwork
from tests.fakes import FakeClock, FakeHasher
from tests.principals import ADMIN
from tests.usb_stick import UsbStick, stick_names

TZ = ZoneInfo("Australia/Canberra")
DAY = "2025-06-01"
MIDNIGHT = datetime(2025, 6, 1, 0, 0, tzinfo=TZ).timestamp()


class ExportWorld:
    """A station (sim-1, sim-2 at ``resolution``) whose drives (lsblk+mount unless ``drives``
    are given) include ``stick``; ``day(n)``
    captures n slots of sim-1 on DAY (plus one of sim-2 the day after)."""

    def __init__(
        self,
        home: Path,
        stick: UsbStick,
        resolution: str = "320x240",
        drives: VolumeInventory | None = None,
    ) -> None:
        from eyepi_gui.station import Station

        self.home, self.stick, self.resolution = home, stick, resolution
        self.clock = FakeClock(MIDNIGHT)
        runner = station_runner()
        devices = BlockDevices(runner, home=home, extra_removable=stick_names(stick))
        self.drives = drives or RemovableVolumes(runner, devices, home / "mnt")
        self.network = FakeNetwork(self.clock)
        self.station = Station(
            home,
            clock=self.clock,
            fallback=SimBackend(count=2, capture_delay_s=0),
            log_to_console=False,
            network=self.network,
            drives=self.drives,
            hasher=FakeHasher(),
        )
        self.services = self.station.open()
        self.services.config.update_station(ADMIN, {"timezone": "Australia/Canberra"})
        for camera_id in ("sim-1", "sim-2"):
            self.services.config.update_camera(ADMIN, camera_id, {"resolution": resolution})
        self.services.inventory.start()

    def day(self, slots: int) -> list[str]:
        """Capture ``slots`` of sim-1 across DAY (one of sim-2 the next day); their paths.
        The sim's scene is still, so each slot is taken at another width: no two files
        share their first bytes (``UsbStick.flip_bit`` finds a file by them)."""
        paths = []
        width, height = (int(v) for v in self.resolution.split("x"))
        for n in range(slots):
            size = f"{width + 8 * n}x{height}"
            self.services.config.update_camera(ADMIN, "sim-1", {"resolution": size})
            at = MIDNIGHT + 3600 + n * (80000 / max(1, slots))
            self.clock.set(at)
            paths += [r.path for r in self.services.cameras.capture("sim-1", at).result(30)]
        self.clock.set(MIDNIGHT + 90000)
        self.services.cameras.capture("sim-2", MIDNIGHT + 90000).result(30)
        return paths

    def service(self, targets=StickFolder, batch=(64 << 20, 2)) -> ExportService:
        """An ExportService over this station's parts with ``targets`` and small batches."""
        s = self.services
        return ExportService(
            s.jobs,
            self.drives,
            ExportsDB(StateDB(self.home / "state.db")),
            targets,
            s.config,
            lambda: ["sim-1", "sim-2"],
            self.clock,
            self.home / "images",
            s.access,
            batch,
        )

    def wait(self, view, timeout=60.0):
        """The job of ``view`` once finished."""
        deadline = time.monotonic() + timeout
        while not (job := self.services.jobs.job(view.job_id)).state.finished:
            assert time.monotonic() < deadline, f"export still {job.state}: {job.progress}"
            time.sleep(0.02)
        return job

    def on_stick(self) -> tuple[Path, dict[str, str], dict[str, str]]:
        """Mount the stick: (its export folder, relative path -> sha256 of every file under a
        final name, the manifest's entries). Unmount with ``self.drives.unmount``."""
        mounted = self.drives.mount(self.stick.device) / EXPORT_FOLDER
        files = {}
        for folder, _, names in os.walk(mounted):
            for name in names:
                path = Path(folder) / name
                if name != MANIFEST and not name.endswith(".part"):
                    relative = path.relative_to(mounted).as_posix()
                    files[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
        manifest = mounted / MANIFEST
        entries = parse_manifest(manifest.read_text()) if manifest.exists() else {}
        return mounted, files, entries

    def close(self) -> None:
        self.station.stop()


def sources(world: ExportWorld, paths: list[str]) -> dict[str, str]:
    """relative path under images/ -> sha256 of the captured file."""
    images = world.home / "images"
    return {
        Path(p).relative_to(images).as_posix(): hashlib.sha256(Path(p).read_bytes()).hexdigest()
        for p in paths
    }
