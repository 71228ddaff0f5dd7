"""What the station knows about a camera, independent of its backend."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field


class CameraState(enum.StrEnum):
    """The state a camera's worker reports."""

    IDLE = "idle"
    CAPTURING = "capturing"
    ERROR = "error"
    OFFLINE = "offline"


@dataclass(frozen=True)
class CameraInfo:
    """A camera found by a backend.

    ``camera_id`` is stable across restarts and ports (it keys the camera's settings);
    ``max_resolution`` is (width, height) in px.
    """

    camera_id: str
    backend: str
    model: str
    max_resolution: tuple[int, int]


@dataclass(frozen=True)
class StillRequest:
    """One still to capture: ``formats`` are file extensions ("jpg", "png"), size in px."""

    width: int
    height: int
    formats: tuple[str, ...]
    jpeg_quality: int = 90


@dataclass(frozen=True)
class StillImage:
    """A captured still: encoded bytes per extension; always holds a "jpg" for the latest view."""

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
