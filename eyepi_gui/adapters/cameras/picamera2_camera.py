"""One open Raspberry Pi camera of the ``picamera2`` backend (the calls it makes: see there)."""

from __future__ import annotations

import dataclasses
import logging
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, SupportsInt, TypeVar, cast

from eyepi_gui.adapters.cameras import stills
from eyepi_gui.domain.camera import (
    LENS_STEPS,
    CameraInfo,
    CameraSetting,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
    StillImage,
    StillRequest,
    check_controls,
)
from eyepi_gui.errors import CameraFault, InvalidInput, Unavailable

if TYPE_CHECKING:
    from eyepi_gui.adapters.cameras.picamera2_device import Limits, Picamera2Device
    from eyepi_gui.domain.frame import Frame

LORES_WIDTH = 640  # px; a multiple of 64 keeps YUV420 rows unpadded on every Pi
FRAME_TIMEOUT_S = 5.0  # s a frame may take beyond its exposure before the camera counts as hung
AUTOFOCUS_FRAMES = 30  # frames an autofocus scan may take
"""How far one Near/Far step moves the lens, as a fraction of LensPosition's range."""
SETTINGS = {
    "ExposureTime": "Exposure time (µs)",
    "AnalogueGain": "Analogue gain (x)",
    "LensPosition": "Lens position (dioptres)",
    "AfMode": "Autofocus mode",
    "Brightness": "Brightness",
    "Contrast": "Contrast",
}
# What makes a control take effect: auto exposure off (libcamera < 0.5: AeEnable; later the
# *Mode controls, 1 = Manual). LensPosition needs AfMode Manual, taken from AfModeEnum.
_MANUAL = {
    "ExposureTime": {"AeEnable": False, "ExposureTimeMode": 1},
    "AnalogueGain": {"AeEnable": False, "AnalogueGainMode": 1},
}
_T = TypeVar("_T")
_log = logging.getLogger(__name__)


class Picamera2Camera:
    """One open Pi camera: stills from the full-resolution "main" stream, live view from the
    "lores" stream. Sizes in px, ExposureTime in µs, LensPosition in dioptres."""

    def __init__(
        self, info: CameraInfo, device: Picamera2Device, af_modes: Mapping[str, SupportsInt]
    ) -> None:
        self.info = info
        self._device = device
        self._af_modes = {name: int(value) for name, value in af_modes.items()}
        self._applied: dict[str, Any] = {}  # controls set through this adapter, by name
        self._focus = ExposureControls().focus  # kept as given on a lens without a motor
        self._closed = False
        self._lores_width = self._start()

    def capture_still(self, request: StillRequest) -> StillImage:
        """A full-resolution frame cropped centrally to the requested aspect ratio and scaled
        to the requested size; "jpg" always, "png" on request."""
        info = self.info
        stills.check_request(request, info.max_resolution)
        bgr = self._wait(lambda wait: self._device.capture_array("main", wait=wait))
        about = {"backend": info.backend, "camera_id": info.camera_id, "model": info.model}
        metadata = about | dataclasses.asdict(self.controls())
        files = stills.encode(stills.fit(bgr, request.width, request.height), request)
        return StillImage(files, request.width, request.height, metadata)

    def live_frame(self) -> Frame:
        """The lores stream (YUV420, about 640 px wide) as RGB, row padding cropped."""
        import cv2

        yuv = self._wait(lambda wait: self._device.capture_array("lores", wait=wait))
        rgb = cast("Frame", cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420))
        return rgb if rgb.shape[1] == self._lores_width else rgb[:, : self._lores_width].copy()

    def controls(self) -> ExposureControls:
        """Focus 0..1 over LensPosition's range, shutter (s) from ExposureTime (µs), ISO as
        100 x AnalogueGain."""
        now = self._now()
        exposure_us, gain, lens = (
            now.get(k) for k in ("ExposureTime", "AnalogueGain", "LensPosition")
        )
        limits = self._device.camera_controls.get("LensPosition")
        focus = self._focus if lens is None or limits is None else _unit(lens, limits)
        default = ExposureControls()
        return ExposureControls(
            focus,
            exposure_us / 1e6 if exposure_us else default.shutter_s,
            max(1, round(100 * gain)) if gain else default.iso,
        )

    def set_controls(self, controls: ExposureControls) -> None:
        """Manual exposure: ExposureTime = shutter in µs, AnalogueGain = ISO / 100, clamped to
        the sensor's range; focus 0..1 moves LensPosition from its min to its max in manual
        focus (a lens without a motor keeps ``focus`` as given)."""
        check_controls(controls)
        limits = self._device.camera_controls
        wanted = {"ExposureTime": controls.shutter_s * 1e6, "AnalogueGain": controls.iso / 100}
        if "LensPosition" in limits:
            low, high = limits["LensPosition"][:2]
            wanted["LensPosition"] = low + controls.focus * (high - low)
        changes = {
            k: min(max(v, limits[k][0]), limits[k][1]) for k, v in wanted.items() if k in limits
        }
        if "ExposureTime" in changes:
            changes["ExposureTime"] = round(changes["ExposureTime"])  # an integer control
        self._apply(changes)
        self._focus = controls.focus

    def settings(self) -> list[CameraSetting]:
        """Those of ExposureTime, AnalogueGain, LensPosition, AfMode, Brightness and Contrast
        this camera has; values as set here, else from the latest frame, else the default."""
        limits, now = self._device.camera_controls, self._now()
        return [self._setting(name, limits[name], now) for name in SETTINGS if name in limits]

    def set_setting(self, name: str, value: str) -> CameraSetting:
        """``InvalidInput`` (field ``name``) for an unknown setting, a mode not offered, or a
        value that is no number or lies outside the camera's min..max."""
        self._check_open()
        limits = self._device.camera_controls.get(name)
        if name not in SETTINGS or limits is None:
            raise InvalidInput(name, "this camera has no such setting to change")
        if name != "AfMode":
            self._apply({name: _number(name, value, limits)})
        elif value in (modes := self._af_choices(limits)):
            self._apply({name: modes[value]})
        else:
            raise InvalidInput(name, f"choose one of {', '.join(modes)}")
        return next(setting for setting in self.settings() if setting.name == name)

    def focus_support(self) -> FocusSupport:
        """A lens drive with LensPosition, an autofocus with AfMode; no live-view zoom."""
        limits = self._device.camera_controls
        return FocusSupport(drive="LensPosition" in limits, autofocus="AfMode" in limits)

    def drive_focus(self, direction: FocusDirection, step: FocusStep) -> None:
        """Move LensPosition by ``LENS_STEPS`` of its range in manual focus, far towards its
        minimum (0 dioptres is infinity) and near towards its maximum, stopping at both ends."""
        limits = self._device.camera_controls.get("LensPosition")
        if limits is None:
            raise Unavailable(f"the {self.info.model} has no lens the station can drive")
        low, high = float(limits[0]), float(limits[1])
        lens = self._now().get("LensPosition")
        now = low + self._focus * (high - low) if lens is None else float(lens)
        target = now - direction * LENS_STEPS[step] * (high - low)
        self._apply({"LensPosition": min(max(target, low), high)})

    def autofocus(self) -> None:
        """Run one autofocus cycle. ``Unavailable`` without AfMode, ``CameraFault`` when the
        lens found no focus."""
        if "AfMode" not in self._device.camera_controls:
            raise Unavailable(f"the {self.info.model} has no autofocus")
        found = self._wait(lambda wait: self._device.autofocus_cycle(wait=wait), AUTOFOCUS_FRAMES)
        self._applied["AfMode"] = self._af_modes["Auto"]  # what autofocus_cycle leaves set
        self._applied.pop("LensPosition", None)
        if not found:
            raise CameraFault(f"the {self.info.model}'s autofocus found no focus")

    def set_live_zoom(self, level: int, centre: tuple[float, float]) -> None:
        raise Unavailable(f"the {self.info.model} has no live-view zoom; magnify in the viewer")

    def close(self) -> None:
        """Stop and release the camera; a second call does nothing."""
        if not self._closed:
            self._closed = True
            try:
                self._device.stop()
                self._device.close()
            except RuntimeError as err:  # released or gone either way
                _log.warning("picamera2: closing %s: %s", self.info.camera_id, err)

    def _start(self) -> int:
        """Configure main (full size, [B, G, R] pixels: "RGB888" in picamera2's naming) and
        lores (YUV420) and start; returns the lores width in px."""
        width, height = self.info.max_resolution
        lores_w = min(LORES_WIDTH, width)
        lores = {"size": (lores_w, 2 * round(lores_w * height / width / 2)), "format": "YUV420"}
        main = {"size": (width, height), "format": "RGB888"}
        try:
            self._device.configure(self._device.create_still_configuration(main=main, lores=lores))
            self._device.start()
            return int(self._device.camera_configuration()["lores"]["size"][0])
        except (RuntimeError, ValueError) as err:
            raise Unavailable(f"camera {self.info.camera_id} did not start: {err}") from err

    def _wait(self, call: Callable[[float], _T], frames: int = 1) -> _T:
        """Run a picamera2 call that waits for frames, with a timeout (s); -> CameraFault."""
        self._check_open()
        timeout_s = FRAME_TIMEOUT_S + frames * self._applied.get("ExposureTime", 1e6) / 1e6
        try:
            return call(timeout_s)
        except TimeoutError as err:
            self._device.cancel_all_and_flush()  # the manual's way out of a stalled camera
            raise CameraFault(f"camera {self.info.camera_id}: no frame in {timeout_s:g} s") from err
        except RuntimeError as err:
            raise CameraFault(f"camera {self.info.camera_id} failed: {err}") from err

    def _now(self) -> dict[str, Any]:
        """The latest frame's metadata, overridden by the controls set through this adapter."""
        return self._wait(lambda wait: self._device.capture_metadata(wait=wait)) | self._applied

    def _apply(self, changes: dict[str, Any]) -> None:
        """set_controls, with manual exposure for ExposureTime and AnalogueGain and manual
        focus for LensPosition (the library ignores them otherwise)."""
        self._check_open()
        limits, manual = self._device.camera_controls, self._af_modes["Manual"]
        implied = {"LensPosition": {"AfMode": manual}} | _MANUAL
        for name in changes.keys() & implied.keys():
            changes = {k: v for k, v in implied[name].items() if k in limits} | changes
        try:
            self._device.set_controls(changes)
        except RuntimeError as err:
            raise CameraFault(f"camera {self.info.camera_id} refused {changes}: {err}") from err
        self._applied.update(changes)
        if changes.get("AfMode", manual) != manual:
            self._applied.pop("LensPosition", None)  # the autofocus moves the lens from now on

    def _setting(self, name: str, limits: Limits, now: dict[str, Any]) -> CameraSetting:
        value = now.get(name, limits[2])
        if name != "AfMode":
            return CameraSetting(name, SETTINGS[name], "" if value is None else _text(value))
        modes = self._af_choices(limits)
        current = next((mode for mode, number in modes.items() if number == value), "")
        return CameraSetting(name, SETTINGS[name], current, tuple(modes))

    def _af_choices(self, limits: Limits) -> dict[str, int]:
        """The AfModeEnum members within the camera's AfMode range, by name."""
        return {k: v for k, v in self._af_modes.items() if limits[0] <= v <= limits[1]}

    def _check_open(self) -> None:
        if self._closed:
            raise Unavailable(f"camera {self.info.camera_id} is closed")


def _number(name: str, text: str, limits: Limits) -> float:
    """``text`` as a value of a numeric control (an int for an integer control)."""
    try:
        number = float(text)
    except ValueError:
        raise InvalidInput(name, "must be a number") from None
    low, high = limits[0], limits[1]
    if not (math.isfinite(number) and low <= number <= high):
        raise InvalidInput(name, f"must be between {_text(low)} and {_text(high)}")
    return round(number) if isinstance(low, int) and isinstance(high, int) else number


def _unit(position: float, limits: Limits) -> float:
    """A LensPosition as 0..1 of its (min, max) range."""
    low, high = float(limits[0]), float(limits[1])
    return min(1.0, max(0.0, (position - low) / (high - low))) if high > low else 0.0


def _text(value: Any) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"
