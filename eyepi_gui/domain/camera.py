"""What the station knows about a camera, independent of its backend."""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field

from eyepi_gui.errors import InvalidInput


class CameraState(enum.StrEnum):
    """The state a camera's worker reports."""

    IDLE = "idle"
    CAPTURING = "capturing"
    ERROR = "error"
    OFFLINE = "offline"


@dataclass(frozen=True)
class CameraInfo:
    """A camera found by a backend.

    ``camera_id`` is stable across restarts and ports (it keys the camera's settings) and is
    derived from ``identity``, the hardware identity in words ("serial 3012345"); ``port``
    says where it is attached now. ``max_resolution`` is (width, height) in px. ``formats``
    are the encodings the station may ask for; ``sized_stills`` is False when stills come at
    the camera's own size (a DSLR); ``live_view`` says whether live frames exist.
    """

    camera_id: str
    backend: str
    model: str
    max_resolution: tuple[int, int]
    identity: str = ""
    port: str = ""
    formats: tuple[str, ...] = ("jpg", "png")
    sized_stills: bool = True
    live_view: bool = True


@dataclass(frozen=True)
class CameraSetting:
    """One setting as the camera itself offers it, values as text the camera understands.
    ``choices`` lists every accepted value (empty: any text); read-only ones only inform."""

    name: str
    label: str
    value: str
    choices: tuple[str, ...] = ()
    read_only: bool = False


@dataclass(frozen=True)
class StillRequest:
    """One still to capture: ``formats`` are file extensions ("jpg", "png"), size in px."""

    width: int
    height: int
    formats: tuple[str, ...]
    jpeg_quality: int = 90


@dataclass(frozen=True)
class StillImage:
    """A captured still: encoded bytes per extension; always holds a "jpg" for the latest view.
    Other extensions are the camera's own files (a RAW "nef", "cr2", ...), kept as they come."""

    files: dict[str, bytes]
    width: int
    height: int
    metadata: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ExposureControls:
    """Lens and exposure controls: focus position in [0, 1], shutter in seconds, ISO."""

    focus: float = 0.5
    shutter_s: float = 1 / 125
    iso: int = 200


def check_controls(controls: ExposureControls) -> None:
    """``InvalidInput`` for controls no camera can take: focus outside 0..1, shutter <= 0 s."""
    if not 0.0 <= controls.focus <= 1.0:
        raise InvalidInput("focus", "must be between 0 and 1")
    if not 0 < controls.shutter_s < math.inf:
        raise InvalidInput("shutter_s", "must be a positive number of seconds")
    if controls.iso <= 0:
        raise InvalidInput("iso", "must be positive")


class FocusStep(enum.StrEnum):
    """The three sizes of a Near/Far step. What a step moves is the camera's own: a fraction
    of the lens range (sim, picamera2) or the body's drive steps (gphoto2 "Near 1..3")."""

    FINE = "fine"
    MEDIUM = "medium"
    COARSE = "coarse"


LENS_STEPS = {FocusStep.FINE: 0.01, FocusStep.MEDIUM: 0.05, FocusStep.COARSE: 0.2}
"""One Near/Far step as a fraction of a lens's whole range, for lenses the station positions
itself (sim, picamera2's LensPosition)."""


class FocusDirection(enum.IntEnum):
    NEAR = -1
    FAR = 1


@dataclass(frozen=True)
class FocusSupport:
    """What a camera can do for focusing: drive the lens in steps, run its autofocus, and
    zoom its live view (the magnification levels it offers, e.g. (1, 5, 10); () for none)."""

    drive: bool = False
    autofocus: bool = False
    live_zoom: tuple[int, ...] = ()


NO_FOCUS = FocusSupport()
