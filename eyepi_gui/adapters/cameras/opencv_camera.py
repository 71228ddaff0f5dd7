"""One opened OpenCV camera: a V4L2 webcam, a network stream or a recording.

Stills are read fresh (a few buffered frames dropped first), centre-cropped to the requested
aspect ratio and scaled to the requested size in px, then encoded like every other camera.
Settings are the V4L2 properties the device reports, numbers as text. A failed read raises
``Unavailable`` so that the camera's worker reconnects.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Protocol, cast

from eyepi_gui.adapters.cameras import stills
from eyepi_gui.domain.camera import (
    NO_FOCUS,
    CameraInfo,
    CameraSetting,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
    StillImage,
    StillRequest,
)
from eyepi_gui.errors import InvalidInput, Unavailable

if TYPE_CHECKING:
    from eyepi_gui.domain.frame import Frame

STALE_FRAMES = 2  # frames dropped before a still: drivers and decoders buffer a few
FOCUS_STEPS = 255.0  # raw focus at focus 1.0 (UVC's common range; OpenCV hides the real one)
PROPERTIES = {  # setting name -> (label, cv2 property); offered when the device reports it
    "brightness": ("Brightness", "CAP_PROP_BRIGHTNESS"),
    "contrast": ("Contrast", "CAP_PROP_CONTRAST"),
    "saturation": ("Saturation", "CAP_PROP_SATURATION"),
    "gain": ("Gain", "CAP_PROP_GAIN"),
    "exposure": ("Exposure", "CAP_PROP_EXPOSURE"),
    "auto_exposure": ("Auto exposure", "CAP_PROP_AUTO_EXPOSURE"),
    "focus": ("Focus", "CAP_PROP_FOCUS"),
    "autofocus": ("Autofocus", "CAP_PROP_AUTOFOCUS"),
}


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` a camera uses, with its names (frames are BGR)."""

    def isOpened(self) -> bool: ...
    def grab(self) -> bool: ...
    def read(self) -> tuple[bool, Any]: ...
    def get(self, propId: int) -> float: ...
    def set(self, propId: int, value: float) -> bool: ...
    def release(self) -> None: ...


@dataclass(frozen=True)
class Source:
    """Where frames come from: ``target`` is what VideoCapture opens (device file, URL, file
    path), ``shown`` the redacted name for people; ``rewinds`` for a recording."""

    info: CameraInfo
    target: str
    shown: str
    stream: bool = True
    rewinds: bool = False


COMMON_MODES = (
    (3840, 2160),
    (2592, 1944),
    (2560, 1440),
    (1920, 1080),
    (1600, 1200),
    (1280, 960),
    (1280, 720),
    (1024, 768),
    (800, 600),
    (640, 480),
    (320, 240),
)
"""Webcam modes tried, largest first, when the driver's answer does not fit the request."""


class OpencvCamera:
    """One opened webcam or stream. Stills are scaled (centre-cropped to the aspect ratio) to
    the requested size in px; the device is first asked for that size and gives its nearest."""

    def __init__(self, source: Source, capture: Capture) -> None:
        self._source = source
        self._cap: Capture | None = capture
        self._asked: tuple[int, int] | None = None
        self._controls = ExposureControls()

    @property
    def info(self) -> CameraInfo:
        return self._source.info

    def capture_still(self, request: StillRequest) -> StillImage:
        stills.check_request(request)
        self._ask_size(request.width, request.height)
        for _ in range(STALE_FRAMES):
            if not self._usable().grab():
                break  # the read below says why (or starts a recording over)
        frame = self._read()
        info, (rows, cols) = self.info, frame.shape[:2]
        metadata: dict[str, object] = {"backend": info.backend, "camera_id": info.camera_id}
        metadata |= {"model": info.model, "frame_size": f"{cols}x{rows}"}
        image = stills.fit(frame, request.width, request.height)
        return StillImage(stills.encode(image, request), request.width, request.height, metadata)

    def live_frame(self) -> Frame:
        """The current frame as RGB (height x width x 3, uint8)."""
        import cv2

        frame = self._read()
        code = cv2.COLOR_GRAY2RGB if frame.ndim == 2 else cv2.COLOR_BGR2RGB
        return cast("Frame", cv2.cvtColor(frame, code))

    def controls(self) -> ExposureControls:
        raw = self._property("focus")
        focus = self._controls.focus if raw is None else min(1.0, max(0.0, raw / FOCUS_STEPS))
        return replace(self._controls, focus=focus)

    def set_controls(self, controls: ExposureControls) -> None:
        """Focus (0..1) goes to the lens where the device has one; shutter and ISO are kept."""
        if not 0.0 <= controls.focus <= 1.0:
            raise InvalidInput("focus", "must be between 0 and 1")
        if self._property("focus") is not None and controls.focus != self.controls().focus:
            self._set("autofocus", 0)
            self._set("focus", round(controls.focus * FOCUS_STEPS))
        self._controls = controls

    def settings(self) -> list[CameraSetting]:
        """The properties the device reports, its frame size and (streams) the source URL."""
        found = [self._setting(name) for name in PROPERTIES if self._property(name) is not None]
        width, height = (
            round(self._get(p)) for p in ("CAP_PROP_FRAME_WIDTH", "CAP_PROP_FRAME_HEIGHT")
        )
        found.append(CameraSetting("resolution", "Resolution", f"{width}x{height}", read_only=True))
        if self._source.stream:
            found.append(CameraSetting("source", "Source", self._source.shown, read_only=True))
        return found

    def set_setting(self, name: str, value: str) -> CameraSetting:
        """Set a numeric property; returns the value the device reports afterwards."""
        if name not in PROPERTIES or self._property(name) is None:
            raise InvalidInput(name, "this camera has no such setting to change")
        try:
            number = float(value)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise InvalidInput(name, "must be a number")
        if not self._set(name, number):
            raise InvalidInput(name, f"the camera refused {number:g}")
        return self._setting(name)

    def focus_support(self) -> FocusSupport:
        """None: OpenCV tells neither a webcam's focus range nor which way it runs."""
        return NO_FOCUS

    def drive_focus(self, direction: FocusDirection, step: FocusStep) -> None:
        raise self._no_focus("lens drive")

    def autofocus(self) -> None:
        raise self._no_focus("autofocus")

    def set_live_zoom(self, level: int, centre: tuple[float, float]) -> None:
        raise self._no_focus("live-view zoom")

    def close(self) -> None:
        cap, self._cap = self._cap, None
        if cap is not None:
            cap.release()

    def _no_focus(self, feature: str) -> Unavailable:
        return Unavailable(f"the {self.info.model} offers no {feature} through OpenCV")

    def _usable(self) -> Capture:
        if self._cap is None:
            raise Unavailable(f"camera {self.info.camera_id} is closed")
        return self._cap

    def _read(self) -> Frame:
        """The next BGR frame; a recording starts over at its end. ``Unavailable`` when the
        stream dropped or the device was unplugged, so the worker reconnects."""
        import cv2

        try:
            ok, frame = self._usable().read()
            if not ok and self._source.rewinds:
                self._set_raw("CAP_PROP_POS_FRAMES", 0)
                ok, frame = self._usable().read()
        except cv2.error as err:
            raise Unavailable(f"reading {self._source.shown} failed") from err
        if not ok or frame is None:
            raise Unavailable(f"no frame from {self._source.shown} (dropped or unplugged)")
        bgr: Frame = frame
        return bgr

    def _ask_size(self, width: int, height: int) -> None:
        """Use the largest mode the device gives that fits ``width`` x ``height`` px (once per
        size). V4L2 drivers answer a request with their nearest mode, which may be larger:
        then common modes that fit are tried, largest first. Streams keep their own size."""
        if self._asked == (width, height):
            return
        self._asked = (width, height)
        if self._source.stream or self._try_mode(width, height):
            return
        for mode in COMMON_MODES:
            if mode[0] <= width and mode[1] <= height and self._try_mode(*mode):
                return

    def _try_mode(self, width: int, height: int) -> bool:
        """Ask for a mode; True when the device now gives one that fits inside it."""
        self._set_raw("CAP_PROP_FRAME_WIDTH", width)
        self._set_raw("CAP_PROP_FRAME_HEIGHT", height)
        given = (self._get("CAP_PROP_FRAME_WIDTH"), self._get("CAP_PROP_FRAME_HEIGHT"))
        return 0 < given[0] <= width and 0 < given[1] <= height

    def _setting(self, name: str) -> CameraSetting:
        raw = self._property(name)
        return CameraSetting(name, PROPERTIES[name][0], "" if raw is None else f"{raw:.10g}")

    def _property(self, name: str) -> float | None:
        """The property's value, or None where the device does not report it (-1, NaN)."""
        value = self._get(PROPERTIES[name][1])
        return value if math.isfinite(value) and value != -1 else None

    def _get(self, prop: str) -> float:
        import cv2

        return float(self._usable().get(getattr(cv2, prop)))

    def _set(self, name: str, value: float) -> bool:
        return self._set_raw(PROPERTIES[name][1], value)

    def _set_raw(self, prop: str, value: float) -> bool:
        import cv2

        return bool(self._usable().set(getattr(cv2, prop), value))
