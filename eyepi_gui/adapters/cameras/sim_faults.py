"""Injectable faults of a simulated camera: fail, hang, unplug, replug (for tests and demos)."""

from __future__ import annotations

import threading

from eyepi_gui.errors import CameraFault, Unavailable


class SimFaults:
    """Test control of one simulated camera's faults. Thread-safe: tests call it from anywhere."""

    def __init__(self, camera_id: str) -> None:
        self._camera_id = camera_id
        self._lock = threading.Lock()
        self._failure: str | None = None
        self._hang_pending = False
        self._hang_s: float | None = None
        self._released = threading.Event()
        self._unplugged = threading.Event()

    @property
    def plugged(self) -> bool:
        """False between ``unplug()`` and ``replug()``."""
        return not self._unplugged.is_set()

    def fail_next(self, reason: str = "simulated failure") -> None:
        """Make the next ``capture_still`` raise ``CameraFault(reason)``, once."""
        with self._lock:
            self._failure = reason

    def hang(self, seconds: float | None = None) -> None:
        """Make the next ``capture_still`` block ``seconds`` s, or until ``release``/``unplug``."""
        with self._lock:
            if self._released.is_set():
                self._released = threading.Event()
            self._hang_pending, self._hang_s = True, seconds

    def release(self) -> None:
        """End a hang now, whether it is running or still pending."""
        with self._lock:
            self._hang_pending = False
            self._released.set()

    def unplug(self) -> None:
        """Pull the cable: every device call raises ``Unavailable`` and discover() omits it."""
        self._unplugged.set()
        self.release()

    def replug(self) -> None:
        """Plug the camera back in."""
        self._unplugged.clear()

    def check_plugged(self) -> None:
        """Device side: raise ``Unavailable`` while unplugged."""
        if self._unplugged.is_set():
            raise Unavailable(f"camera {self._camera_id} is unplugged")

    def play_capture(self, delay_s: float) -> None:
        """Device side: run a capture's hang and delay (s, cut short by unplug), then faults."""
        with self._lock:
            hanging, seconds, released = self._hang_pending, self._hang_s, self._released
            self._hang_pending = False
        if hanging:
            released.wait(seconds)
        self._unplugged.wait(delay_s)
        self.check_plugged()
        with self._lock:
            reason, self._failure = self._failure, None
        if reason is not None:
            raise CameraFault(reason)
