"""The simulated camera backend ``sim``: deterministic cameras that need no hardware.

Every camera looks at the demo scene (``resources/sim/scene.json``) through a virtual lens:
defocus blur grows with the distance of the focus position from a hidden per-camera best focus,
brightness follows shutter x ISO, and sensor noise grows with ISO. Tests inject faults (a
failure, a hang, an unplugged cable) through ``SimBackend.faults``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import time
from typing import TYPE_CHECKING, cast

import cv2
import numpy as np

from eyepi_gui.adapters.cameras import scene, stills
from eyepi_gui.adapters.cameras.sim_faults import SimFaults
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
from eyepi_gui.errors import InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import BackendStatus
from eyepi_gui.resources import resource_path

if TYPE_CHECKING:
    from eyepi_gui.domain.frame import Frame

MODEL = "eyepi simulated camera"
MAX_RESOLUTION = (4056, 3040)
LIVE_SIZE = (1280, 720)
BLUR_PER_FOCUS = 24.0  # defocus sigma in px (at 1280 px width) per unit of |focus - best focus|
NORMAL_EXPOSURE = 200 / 125  # shutter_s x ISO that gives the scene's own brightness
NOISE_AT_ISO_200 = 1.5  # sensor noise std-dev in 8-bit levels
_NOISE_MARGIN = 16  # px the live view's noise window wanders between frames
SHUTTER_CHOICES = ("1/500", "1/250", "1/125", "1/60", "1/30", "1/15")
ISO_CHOICES = ("100", "200", "400", "800", "1600")
FOCUS_STEPS = LENS_STEPS
"""How far one Near/Far step moves the simulated lens (its range is 0 near .. 1 far)."""
AUTOFOCUS_ERROR = 0.004  # the simulated autofocus lands this close to the best focus
AUTOFOCUS_S = 0.3  # and takes this long


def best_focus(seed: int, camera_id: str) -> float:
    """The hidden sharpest focus position (0.3..0.7) of a camera; for tests, never shown."""
    return float(np.random.default_rng(_camera_seed(seed, camera_id)).uniform(0.3, 0.7))


class SimBackend:
    """The ``sim`` backend: cameras "sim-1".."sim-<count>"; a still takes ``capture_delay_s`` s."""

    name = "sim"

    def __init__(self, count: int = 2, seed: int = 0, *, capture_delay_s: float = 0.05) -> None:
        self._seed = seed
        self._capture_delay_s = capture_delay_s
        self._faults = {f"sim-{n}": SimFaults(f"sim-{n}") for n in range(1, count + 1)}

    def status(self) -> BackendStatus:
        return BackendStatus(self.name, True, "simulated cameras, no hardware needed")

    def discover(self) -> list[CameraInfo]:
        """The plugged-in cameras."""
        return [_info(camera_id) for camera_id, faults in self._faults.items() if faults.plugged]

    def open(self, camera_id: str) -> SimCamera:
        """Open a camera; ``NotFound`` for an unknown id, ``Unavailable`` while unplugged."""
        faults = self.faults(camera_id)
        faults.check_plugged()
        return SimCamera(_info(camera_id), faults, self._seed, self._capture_delay_s)

    def faults(self, camera_id: str) -> SimFaults:
        """The fault controls of a camera; ``NotFound`` for an unknown id."""
        if camera_id not in self._faults:
            raise NotFound(f"camera {camera_id!r}")
        return self._faults[camera_id]


class SimCamera:
    """One simulated camera: the demo scene through a virtual lens. Sizes in px, RGB frames."""

    def __init__(self, info: CameraInfo, faults: SimFaults, seed: int, delay_s: float) -> None:
        self._info = info
        self._faults = faults
        self._best_focus = best_focus(seed, info.camera_id)
        self._noise_seed = _camera_seed(seed, info.camera_id)
        self._capture_delay_s = delay_s
        self._controls = ExposureControls()
        self._live_optics: tuple[float, Frame] | None = None  # (focus, blurred live scene)
        self._frames = 0
        self._closed = False

    @property
    def info(self) -> CameraInfo:
        return self._info

    def controls(self) -> ExposureControls:
        self._check_usable()
        return self._controls

    def set_controls(self, controls: ExposureControls) -> None:
        """Apply focus (0..1), shutter (s) and ISO; ``InvalidInput`` for impossible values."""
        self._check_usable()
        check_controls(controls)
        self._controls = controls

    def settings(self) -> list[CameraSetting]:
        """Shutter speed and ISO as a camera's menu offers them (they drive the exposure)."""
        self._check_usable()
        controls = self._controls
        shutter = _fraction(controls.shutter_s)
        return [
            CameraSetting("shutterspeed", "Shutter speed", shutter, SHUTTER_CHOICES),
            CameraSetting("iso", "ISO", str(controls.iso), ISO_CHOICES),
            CameraSetting("model", "Model", MODEL, read_only=True),
        ]

    def set_setting(self, name: str, value: str) -> CameraSetting:
        self._check_usable()
        current = {setting.name: setting for setting in self.settings()}
        setting = current.get(name)
        if setting is None or setting.read_only:
            raise InvalidInput(name, "this camera has no such setting to change")
        if value not in setting.choices:
            raise InvalidInput(name, f"choose one of {', '.join(setting.choices)}")
        if name == "iso":
            self._controls = dataclasses.replace(self._controls, iso=int(value))
        else:
            top, bottom = value.split("/")
            self._controls = dataclasses.replace(self._controls, shutter_s=int(top) / int(bottom))
        return next(s for s in self.settings() if s.name == name)

    def focus_support(self) -> FocusSupport:
        """A lens the station drives in steps, with an autofocus; no live-view zoom."""
        return FocusSupport(drive=True, autofocus=True)

    def drive_focus(self, direction: FocusDirection, step: FocusStep) -> None:
        """Move the lens one step (``FOCUS_STEPS``) towards near (0) or far (1), stopping at
        the ends as a real lens does."""
        self._check_usable()
        focus = min(1.0, max(0.0, self._controls.focus + direction * FOCUS_STEPS[step]))
        self._controls = dataclasses.replace(self._controls, focus=focus)

    def autofocus(self) -> None:
        """Settle within ``AUTOFOCUS_ERROR`` of the hidden best focus after ``AUTOFOCUS_S``."""
        self._check_usable()
        time.sleep(AUTOFOCUS_S)
        side = 1 if self._frames % 2 else -1
        focus = self._best_focus + side * AUTOFOCUS_ERROR
        self._controls = dataclasses.replace(self._controls, focus=focus)

    def set_live_zoom(self, level: int, centre: tuple[float, float]) -> None:
        raise Unavailable("the simulated camera has no live-view zoom; magnify in the viewer")

    def live_frame(self) -> Frame:
        """The 1280x720 live view with a clock and frame-counter overlay."""
        self._check_usable()
        focus = self._controls.focus
        if self._live_optics is None or self._live_optics[0] != focus:
            self._live_optics = (focus, self._optics(*LIVE_SIZE))
        self._frames += 1
        width, height = LIVE_SIZE
        noise = scene.sensor_noise(self._noise_seed, width + _NOISE_MARGIN, height + _NOISE_MARGIN)
        dy, dx = divmod(self._frames * 37 % _NOISE_MARGIN**2, _NOISE_MARGIN)
        frame = self._expose(self._live_optics[1], noise[dy : dy + height, dx : dx + width])
        _stamp(frame, f"{self._info.camera_id}  {time.strftime('%H:%M:%S')}  #{self._frames}")
        return frame

    def capture_still(self, request: StillRequest) -> StillImage:
        """Capture at the requested size; the same request and controls give the same bytes."""
        self._check_usable()
        stills.check_request(request, MAX_RESOLUTION)
        self._faults.play_capture(self._capture_delay_s)
        width, height = request.width, request.height
        noise = scene.sensor_noise(self._noise_seed, width, height)
        image = self._expose(self._optics(width, height), noise)
        info = self._info  # the metadata never names the best focus
        about = {"backend": info.backend, "camera_id": info.camera_id, "model": info.model}
        metadata = about | dataclasses.asdict(self._controls)
        bgr = cast("Frame", cv2.cvtColor(image, cv2.COLOR_RGB2BGR))
        return StillImage(stills.encode(bgr, request), width, height, metadata)

    def close(self) -> None:
        self._closed = True

    def _check_usable(self) -> None:
        if self._closed:
            raise Unavailable(f"camera {self._info.camera_id} is closed")
        self._faults.check_plugged()

    def _optics(self, width: int, height: int) -> Frame:
        """The scene as the lens forms it at ``width`` x ``height`` px, before exposure."""
        sigma = BLUR_PER_FOCUS * abs(self._controls.focus - self._best_focus) * width / 1280
        return scene.lens_blur(scene.render_scene(_demo_scene(), width, height), sigma)

    def _expose(self, optical: Frame, noise: scene.Noise) -> Frame:
        """Brightness x (shutter x ISO / normal) ** (1 / 2.2) (display gamma), ISO-scaled noise."""
        controls = self._controls
        gain = (controls.shutter_s * controls.iso / NORMAL_EXPOSURE) ** (1 / 2.2)
        return scene.expose(optical, gain, noise, NOISE_AT_ISO_200 * math.sqrt(controls.iso / 200))


def _info(camera_id: str) -> CameraInfo:
    number = camera_id.removeprefix("sim-")
    return CameraInfo(
        camera_id,
        SimBackend.name,
        MODEL,
        MAX_RESOLUTION,
        identity=f"simulated camera {number}",
        port="none (simulated)",
    )


def _fraction(seconds: float) -> str:
    """1/125 for 0.008 s; whole seconds as "2"."""
    return str(round(seconds)) if seconds >= 1 else f"1/{round(1 / seconds)}"


def _camera_seed(seed: int, camera_id: str) -> int:
    """A stable per-camera seed (Python's hash() of a str changes between runs)."""
    return int(np.random.SeedSequence([seed, *camera_id.encode()]).generate_state(1)[0])


@functools.cache
def _demo_scene() -> scene.Scene:
    return scene.load_scene(resource_path("sim", "scene.json"))


def _stamp(frame: Frame, text: str) -> None:
    """Draw ``text`` at the top left of a live frame, white with a dark drop shadow (2 px)."""
    for origin, colour in (((18, 38), (0, 0, 0)), ((16, 36), (255, 255, 255))):
        cv2.putText(frame, text, origin, cv2.FONT_HERSHEY_SIMPLEX, 0.8, colour, 2, cv2.LINE_AA)
