"""One list of cameras across every backend, keyed by hardware identity (the camera id).

A rescan runs at start, every ``RESCAN_S`` seconds (hot-plug without udev) and on request.
New cameras get a worker; a camera that is no longer found goes offline (its schedule reports
the missed slots as gaps) and comes back when found again, on whatever port. The simulated
cameras stand in only while no real camera is found.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.events import CamerasChanged
from eyepi_gui.errors import EyepiError
from eyepi_gui.ports import BackendStatus, CameraBackend
from eyepi_gui.services.access import AccessControl, internal, reads, requires
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.events import EventBus

_log = logging.getLogger("eyepi.inventory")
RESCAN_S = 15.0
"""Seconds between background rescans: how soon a plugged-in camera appears by itself."""
DEBOUNCE_S = 2.0
"""Rescan requests within this many seconds of the last scan get that scan's result."""

Found = list[tuple[CameraBackend, CameraInfo]]


class CameraInventory:
    """Finds cameras on every backend and keeps the camera service's workers in step.
    ``backends`` builds the real-camera backends when the inventory starts."""

    def __init__(
        self,
        backends: Callable[[], Sequence[CameraBackend]],
        fallback: CameraBackend | None,
        cameras: CameraService,
        bus: EventBus,
        access: AccessControl,
    ) -> None:
        self._make_backends = backends  # called at start: no camera code before first paint
        self._backends: list[CameraBackend] = []
        self._fallback = fallback
        self._cameras, self._bus, self.access = cameras, bus, access
        self._scan_lock = threading.Lock()
        self._last: tuple[float, list[CameraInfo]] | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @reads
    def backend_status(self) -> list[BackendStatus]:
        """Every backend that is available, and each one that is not with the reason, where
        it applies: a note that picamera2 is not installed matters on a Raspberry Pi, not on
        a laptop (``BackendStatus.applies``; ``eyepi doctor`` still lists every backend)."""
        extra = [self._fallback] if self._fallback else []
        statuses = [backend.status() for backend in [*self._backends, *extra]]
        return [status for status in statuses if status.available or status.applies]

    @internal
    def start(self, rescan_s: float = RESCAN_S) -> list[CameraInfo]:
        """Build the backends, scan once now, then every ``rescan_s`` seconds until ``stop``."""
        self._backends = list(self._make_backends())
        found = self.scan()
        self._thread = threading.Thread(
            target=self._loop, args=(rescan_s,), name="camera-rescan", daemon=True
        )
        self._thread.start()
        return found

    @internal
    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    @requires(Permission.CAMERA_SETTINGS)
    def rescan(self, principal: Principal) -> list[CameraInfo]:
        """Look for cameras now (the Rescan button); requests close together share one scan."""
        with self._scan_lock:
            if self._last is not None and time.monotonic() - self._last[0] < DEBOUNCE_S:
                return list(self._last[1])
        return self.scan()

    @internal
    def scan(self) -> list[CameraInfo]:
        """Discover on every backend and bring the workers in step; returns what was found."""
        with self._scan_lock:
            found = self._discover_all()
            added, lost = self._apply(found)
            infos = [info for _, info in found]
            self._last = (time.monotonic(), infos)
        if added or lost:
            self._bus.publish(CamerasChanged(tuple(added), tuple(lost)))
        return infos

    def _discover_all(self) -> Found:
        found = [(b, info) for b in self._backends for info in _discover(b)]
        if not found and self._fallback is not None and not self._real_camera_known():
            found = [(self._fallback, info) for info in _discover(self._fallback)]
        return found

    def _real_camera_known(self) -> bool:
        """A real camera is attached, if perhaps offline: the stand-ins stay away."""
        assert self._fallback is not None
        return any(info.backend != self._fallback.name for info in self._cameras.cameras())

    def _apply(self, found: Found) -> tuple[list[str], list[str]]:
        present = {info.camera_id for _, info in found}
        added = [info.camera_id for backend, info in found if self._attach(backend, info)]
        lost = []
        for info in self._cameras.cameras():
            if info.camera_id in present:
                continue
            if self._fallback is not None and info.backend == self._fallback.name:
                self._cameras.detach(info.camera_id)  # a real camera took the stand-in's place
                lost.append(info.camera_id)
            elif self._cameras.mark_missing(info.camera_id):
                lost.append(info.camera_id)
        return added, lost

    def _attach(self, backend: CameraBackend, info: CameraInfo) -> bool:
        """Attach one found camera; one that cannot be is logged and left out, the others
        are attached all the same."""
        try:
            return self._cameras.attach(backend, info)
        except Exception:
            _log.exception(
                "camera %r could not be attached",
                info.camera_id,
                extra={"event": "attach_failed", "fields": {"camera": info.camera_id}},
            )
            return False

    def _loop(self, rescan_s: float) -> None:
        while not self._stop.wait(rescan_s):
            try:
                self.scan()
            except Exception:
                _log.exception("camera rescan failed", extra={"event": "rescan_failed"})


def _discover(backend: CameraBackend) -> list[CameraInfo]:
    try:
        return list(backend.discover())
    except EyepiError as err:
        _log.warning(
            "discovery on %s failed: %s", backend.name, err, extra={"event": "discovery_failed"}
        )
        return []
