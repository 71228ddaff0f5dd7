"""Ports for cameras and time: the devices, the backends that find them, the clock."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from eyepi_gui.domain.camera import (
    CameraInfo,
    CameraSetting,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
    StillImage,
    StillRequest,
)
from eyepi_gui.domain.network_cameras import StreamTest

if TYPE_CHECKING:
    from eyepi_gui.domain.frame import Frame


class Clock(Protocol):
    """Wall-clock time as epoch seconds, and waiting that a stop request can cut short."""

    def now(self) -> float: ...

    def monotonic(self) -> float:
        """Seconds that only ever go forward (for timeouts a clock jump must not change)."""
        ...

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``; returns early when the clock is woken."""
        ...

    def wake(self) -> None:
        """Cut every current ``wait`` short (a stop or a settings change)."""
        ...


@runtime_checkable
class CameraDevice(Protocol):
    """One opened camera. Only the camera's own worker thread calls these methods."""

    @property
    def info(self) -> CameraInfo: ...

    def capture_still(self, request: StillRequest) -> StillImage:
        """Capture one still. Raises ``CameraFault`` on failure, ``Unavailable`` if unplugged."""
        ...

    def live_frame(self) -> Frame:
        """The current live-view frame (RGB)."""
        ...

    def controls(self) -> ExposureControls: ...

    def set_controls(self, controls: ExposureControls) -> None: ...

    def settings(self) -> Sequence[CameraSetting]:
        """The settings the camera offers now, with their current values and choices."""
        ...

    def set_setting(self, name: str, value: str) -> CameraSetting:
        """Set one setting; returns it as the camera reports it afterwards. Raises
        ``InvalidInput`` (field ``name``) for an unknown, read-only or refused value."""
        ...

    def focus_support(self) -> FocusSupport:
        """What this camera offers for focusing (read once the device is open)."""
        ...

    def drive_focus(self, direction: FocusDirection, step: FocusStep) -> None:
        """Move the lens one step nearer or farther; returns when the move is done.
        Raises ``Unavailable`` when the camera cannot drive its lens."""
        ...

    def autofocus(self) -> None:
        """Run the camera's autofocus once and return when it settled. Raises
        ``Unavailable`` without autofocus, ``CameraFault`` when it failed to lock."""
        ...

    def set_live_zoom(self, level: int, centre: tuple[float, float]) -> None:
        """Magnify the live view ``level`` times around ``centre`` (fractions of the frame);
        level 1 is the whole frame. Raises ``InvalidInput("level")`` for a level not in
        ``focus_support().live_zoom`` and ``Unavailable`` without a live-view zoom."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class BackendStatus:
    """Whether a backend can be used here, and why not if it cannot. ``applies`` says whether
    the hardware it drives could be attached to this machine: a backend that cannot be used
    is worth a note only where it applies (picamera2's on a Raspberry Pi, not a laptop)."""

    name: str
    available: bool
    reason: str
    applies: bool = True


class MachineHardware(Protocol):
    """What kind of machine this is and what is plugged in, read from the OS now."""

    def raspberry_pi(self) -> bool:
        """This is a Raspberry Pi (its device-tree model says so)."""
        ...

    def still_camera_on_usb(self) -> bool:
        """A USB still-image device (class 06: PTP cameras, as DSLRs are) is attached."""
        ...


class CameraBackend(Protocol):
    """A kind of camera (sim, gphoto2, opencv, picamera2)."""

    name: str

    def status(self) -> BackendStatus: ...

    def discover(self) -> Sequence[CameraInfo]:
        """Cameras present now. Never raises for a missing library: returns []."""
        ...

    def open(self, camera_id: str) -> CameraDevice:
        """Open a discovered camera. Raises ``NotFound`` or ``Unavailable``."""
        ...


class StreamProbe(Protocol):
    """Opens a camera stream once to see whether it delivers frames."""

    def test(self, url: str, timeout_s: float) -> StreamTest:
        """Open ``url`` (credentials included) and read one frame, within ``timeout_s``.
        Never raises for a stream that fails: the result says why. Never logs ``url``
        unredacted."""
        ...
