"""Composition root: settings -> adapters -> services. The only module that sees everything."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from eyepi_gui.adapters import logfile
from eyepi_gui.adapters.cameras.probe import hardware_backends
from eyepi_gui.adapters.clock import SystemClock, system_timezone
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.disk import StatvfsProbe
from eyepi_gui.adapters.images import ImageFolder
from eyepi_gui.adapters.lock import InstanceLock
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.ports import BackendStatus, CameraBackend, CameraDevice, Clock
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.capture import CaptureScheduler
from eyepi_gui.services.capture_files import CaptureWriter
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.overview import StationOverview
from eyepi_gui.services.station_services import StationServices

_log = logging.getLogger("eyepi.station")
SIM_CAMERAS = 2


class _LazySimBackend:
    """The simulated backend, imported on first use so numpy and cv2 stay out of start-up."""

    name = "sim"

    def __init__(self, count: int) -> None:
        self._count = count
        self._backend: CameraBackend | None = None

    def _real(self) -> CameraBackend:
        if self._backend is None:
            from eyepi_gui.adapters.cameras.sim import SimBackend

            self._backend = SimBackend(count=self._count)
        return self._backend

    def status(self) -> BackendStatus:
        return BackendStatus(
            "sim", True, f"simulated cameras ({self._count}) when no hardware is found"
        )

    def discover(self) -> Sequence[CameraInfo]:
        return self._real().discover()

    def open(self, camera_id: str) -> CameraDevice:
        return self._real().open(camera_id)


class Station:
    """One station on one home directory. ``open`` is quick and touches no camera library;
    ``start`` discovers cameras and starts capturing; ``stop`` ends cleanly."""

    def __init__(
        self,
        home: Path,
        *,
        clock: Clock | None = None,
        fallback: CameraBackend | None = None,
        log_to_console: bool = True,
    ) -> None:
        self.home = home
        self.clock = clock or SystemClock()
        self._fallback = fallback or _LazySimBackend(SIM_CAMERAS)
        self._lock = InstanceLock(home)
        self._log_to_console = log_to_console
        self._db: StateDB | None = None
        self.services: StationServices | None = None

    def open(self) -> StationServices:
        """Take the home (raises AlreadyRunning), set up logging, settings and the database."""
        self._lock.acquire()
        logfile.configure(
            self.home, console_level=logging.INFO if self._log_to_console else logging.CRITICAL
        )
        bus = EventBus()
        config = SettingsService(AtomicTextFile(self.home / "station.toml"), bus, system_timezone())
        config.load()
        self._db = db = StateDB(self.home / "state.db")
        images = ImageFolder(self.home)
        images.sweep_partial()
        volume = StatvfsProbe()
        cameras = CameraService(
            [], self._fallback, config, CaptureWriter(images, db), bus, self.clock
        )
        scheduler = CaptureScheduler(cameras, config, db, self.clock, bus, volume, images.images)
        overview = StationOverview(
            cameras, scheduler, config, db, images, volume, self.clock, self.home
        )
        self.services = StationServices(config, cameras, scheduler, overview, bus)
        _log.info("station opened on %s", self.home, extra={"event": "station_opened"})
        return self.services

    def backend_status(self) -> list[BackendStatus]:
        return [self._fallback.status(), *hardware_backends()]

    def start(self) -> None:
        """Discover cameras and start the scheduler."""
        assert self.services is not None, "open() first"
        found = self.services.cameras.start()
        _log.info(
            "%d camera(s): %s",
            len(found),
            ", ".join(c.camera_id for c in found),
            extra={"event": "cameras_found", "fields": {"cameras": [c.camera_id for c in found]}},
        )
        self.services.scheduler.start()

    def stop(self) -> None:
        """Stop scheduling, let in-flight captures finish (up to the capture timeout), close."""
        if self.services is not None:
            self.services.scheduler.stop()
            timeout = self.services.config.current().capture_timeout_s
            if not self.services.cameras.stop(timeout):
                _log.warning(
                    "a camera did not finish in %.0f s; its capture is discarded",
                    timeout,
                    extra={"event": "camera_stop_timeout"},
                )
        if self._db is not None:
            self._db.close()
        self._lock.release()
        _log.info("station stopped", extra={"event": "station_stopped"})
