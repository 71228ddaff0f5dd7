"""Small honest fakes implementing ports, for tests."""

import hashlib
import secrets
import threading

from eyepi_gui.errors import InvalidInput


class FakeClock:
    """A clock that only moves when told: ``wait`` advances time instead of sleeping."""

    def __init__(self, start: float) -> None:
        self.t = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.t

    def monotonic(self) -> float:
        """Moves with ``now``: tests step both by setting the time."""
        return self.now()

    def set(self, t: float) -> None:
        with self._lock:
            self.t = t

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.set(self.now() + seconds)

    def wake(self) -> None:
        pass


class SteppingClock(FakeClock):
    """A fake clock for threads that loop on it: ``wait`` really blocks until the test moves
    time past its end (``advance``) or wakes it, at most ``REAL_WAIT_S`` real seconds."""

    REAL_WAIT_S = 1.0

    def __init__(self, start: float) -> None:
        super().__init__(start)
        self._moved = threading.Condition()
        self._wakes = 0

    def set(self, t: float) -> None:
        super().set(t)
        with self._moved:
            self._moved.notify_all()

    def advance(self, seconds: float) -> None:
        self.set(self.now() + seconds)

    def wait(self, seconds: float) -> None:
        end = self.now() + seconds
        with self._moved:
            wakes = self._wakes
            self._moved.wait_for(
                lambda: self.now() >= end or self._wakes != wakes, self.REAL_WAIT_S
            )

    def wake(self) -> None:
        with self._moved:
            self._wakes += 1
            self._moved.notify_all()


class FakeVolume:
    """A disk whose free space the test sets (bytes)."""

    def __init__(self, free: int = 10 * 2**30, total: int = 32 * 2**30) -> None:
        self.free = free
        self.total = total

    def free_bytes(self, path) -> int:
        return self.free

    def total_bytes(self, path) -> int:
        return self.total

    def volume_of(self, path) -> int:
        return 1  # one disk holds everything


class FakeHasher:
    """A fast PasswordHasher that keeps bcrypt's rules: "fake$<cost>$<salt>$<sha256 hex of
    salt + password>" with a random salt; passwords bcrypt cannot take (over 72 bytes, NUL,
    not UTF-8) cannot be hashed and never match."""

    def hash(self, password: str, cost: int) -> str:
        if not self._usable(password):
            raise InvalidInput("password", "at most 72 bytes and no NUL characters")
        salt = secrets.token_hex(8)
        return f"fake${cost}${salt}${self._digest(salt, password)}"

    def verify(self, password: str, hashed: str) -> bool:
        parts = hashed.split("$")
        if len(parts) != 4 or parts[0] != "fake" or not self._usable(password):
            return False
        return parts[3] == self._digest(parts[2], password)

    def cost_of(self, hashed: str) -> int:
        parts = hashed.split("$")
        if len(parts) == 4 and parts[0] == "fake" and parts[1].isdigit():
            return int(parts[1])
        return 0

    @staticmethod
    def _usable(password: str) -> bool:
        try:
            data = password.encode("utf-8")
        except UnicodeError:
            return False
        return len(data) <= 72 and b"\0" not in data

    @staticmethod
    def _digest(salt: str, password: str) -> str:
        # surrogatepass: a malformed stored salt must give a mismatch, not an exception
        return hashlib.sha256((salt + password).encode("utf-8", "surrogatepass")).hexdigest()


class PluggableBackend:
    """A "real" backend for inventory tests: cameras appear (``plug``) and vanish (``unplug``)
    when the test says so; an open device fails once its camera is unplugged, as real ones do.
    Devices are one simulated camera; ``discover_calls`` counts how often it was asked."""

    def __init__(self, name: str = "usbcam") -> None:
        from eyepi_gui.adapters.cameras.sim import SimBackend

        self.name = name
        self._sim = SimBackend(count=1, capture_delay_s=0)
        self.plugged: dict[str, str] = {}  # camera id -> port
        self.discover_calls = 0

    def status(self):
        from eyepi_gui.ports import BackendStatus

        return BackendStatus(self.name, True, "test backend")

    def plug(self, camera_id: str, port: str) -> None:
        self.plugged[camera_id] = port
        if not self._sim.faults("sim-1").plugged:
            self._sim.faults("sim-1").replug()

    def unplug(self, camera_id: str) -> None:
        del self.plugged[camera_id]
        self._sim.faults("sim-1").unplug()

    def discover(self):
        from eyepi_gui.domain.camera import CameraInfo

        self.discover_calls += 1
        return [
            CameraInfo(
                camera_id,
                self.name,
                "Test cam",
                (1920, 1080),
                f"serial {camera_id}",
                port,
                formats=("jpg",),
            )
            for camera_id, port in self.plugged.items()
        ]

    def open(self, camera_id: str):
        from eyepi_gui.errors import NotFound

        if camera_id not in self.plugged:
            raise NotFound(f"{camera_id} is not plugged in")
        return self._sim.open("sim-1")


class PictureBackend:
    """One camera ("pic-1") that always sees ``picture`` (RGB): its live frame and its still
    (PNG and JPEG) are those pixels. ``moving`` rolls the picture a few px per live frame (a
    stream that changes, at no cost); ``live_view=False`` makes a camera without one."""

    name = "picture"

    def __init__(self, picture, *, moving: bool = False, live_view: bool = True) -> None:
        self.picture, self.moving, self.live_view = picture, moving, live_view

    def status(self):
        from eyepi_gui.ports import BackendStatus

        return BackendStatus(self.name, True, "test picture")

    def discover(self):
        from eyepi_gui.domain.camera import CameraInfo

        height, width = self.picture.shape[:2]
        return [
            CameraInfo(
                "pic-1",
                self.name,
                "Picture",
                (width, height),
                "test picture",
                "none",
                live_view=self.live_view,
            )
        ]

    def open(self, camera_id: str):
        from eyepi_gui.errors import NotFound

        if camera_id != "pic-1":
            raise NotFound(camera_id)
        return PictureCamera(self.discover()[0], self.picture, self.moving)


class PictureCamera:
    """A device of ``PictureBackend``: no lens to drive, no settings of its own."""

    def __init__(self, info, picture, moving: bool) -> None:
        self.info, self.picture, self.moving, self.frames = info, picture, moving, 0

    def live_frame(self):
        import numpy as np

        self.frames += 1
        if self.moving:
            return np.roll(self.picture, self.frames % 64, axis=1)
        return self.picture.copy()

    def capture_still(self, request):
        import cv2

        from eyepi_gui.domain.camera import StillImage

        bgr = cv2.cvtColor(self.picture, cv2.COLOR_RGB2BGR)
        files = {ext: cv2.imencode(f".{ext}", bgr)[1].tobytes() for ext in ("png", "jpg")}
        return StillImage(files, self.picture.shape[1], self.picture.shape[0])

    def controls(self):
        from eyepi_gui.domain.camera import ExposureControls

        return ExposureControls()

    def set_controls(self, controls) -> None:
        pass

    def settings(self):
        return []

    def set_setting(self, name: str, value: str):
        from eyepi_gui.errors import InvalidInput

        raise InvalidInput(name, "this camera has no settings")

    def focus_support(self):
        from eyepi_gui.domain.camera import NO_FOCUS

        return NO_FOCUS

    def drive_focus(self, direction, step) -> None:
        self._no_lens()

    def autofocus(self) -> None:
        self._no_lens()

    def set_live_zoom(self, level: int, centre) -> None:
        self._no_lens()

    def _no_lens(self) -> None:
        from eyepi_gui.errors import Unavailable

        raise Unavailable("this test camera has no lens to drive")

    def close(self) -> None:
        pass
