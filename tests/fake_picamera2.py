"""A hand-written fake of the picamera2 surface eyepi's adapter uses, honest where the adapter
depends on the real library's behaviour (picamera2/picamera2.py, the Picamera2 manual):

- ``Picamera2.global_camera_info()`` gives dicts with "Model", "Location", "Rotation", "Id" and
  "Num", sorted as picamera2 does (by Id, descending, USB cameras last); ``Picamera2(n)`` opens
  the n-th of them, raises ``IndexError`` past the end and
  ``RuntimeError("Camera __init__ sequence did not complete.")`` when the camera is held.
- ``create_still_configuration`` defaults to main "BGR888" at the sensor size and lores
  "YUV420"; ``configure`` wants even sizes and a YUV lores no larger than main (as on a Pi 4).
- ``capture_array``: "RGB888" gives [B, G, R] pixels and "BGR888" [R, G, B] (picamera2's
  naming); "YUV420" gives I420 planes as an array of (height * 3 / 2, stride), rows padded to a
  stride that is a multiple of 64 bytes.
- ``set_controls`` raises ``RuntimeError`` for a control the camera does not advertise;
  ExposureTime/AnalogueGain only take effect in manual mode (ExposureTimeMode/AnalogueGainMode
  1, libcamera >= 0.5) and LensPosition only with AfMode Manual.
- ``autofocus_cycle`` sets AfMode Auto and AfTrigger Start (so it fails the same way on a
  camera without autofocus) and returns whether the lens found focus.
- A wait that times out raises ``TimeoutError`` (concurrent.futures' one since Python 3.11).

The scene is deterministic: R = 200, B = 40 everywhere, G rising from 0 at the left edge to 255
at the right edge, at whatever size a stream is configured.
"""

from __future__ import annotations

import copy
import enum
from dataclasses import dataclass, field

import cv2
import numpy as np

from eyepi_gui.adapters.cameras.picamera2 import Picamera2Library

HELD = "Camera __init__ sequence did not complete."
AE_EXPOSURE_US = 20_000  # what auto exposure settles on in the fake
AE_GAIN = 1.5
_STILL_OPTIONS = {"raw", "transform", "colour_space", "buffer_count", "controls", "display"}
_STILL_OPTIONS |= {"encode", "queue", "sensor", "use_case"}
_STREAM_KEYS = ("format", "size", "stride", "preserve_ar")


class AfModeEnum(enum.IntEnum):
    """libcamera.controls.AfModeEnum"""

    Manual = 0
    Auto = 1
    Continuous = 2


class AfTriggerEnum(enum.IntEnum):
    """libcamera.controls.AfTriggerEnum"""

    Start = 0
    Cancel = 1


@dataclass
class FakeSensor:
    """One attached camera, its injectable faults, and what the fake did with it."""

    model: str = "imx708"
    bus: str = "i2c@88000"  # the sensor's I2C bus in its device-tree path (Pi 5: CAM1)
    size: tuple[int, int] = (4608, 2592)  # PixelArraySize, px
    autofocus: bool = True
    id: str = ""
    held: bool = False  # another program holds the camera
    fail_capture: bool = False  # every frame request fails with RuntimeError
    stall: bool = False  # frames stop coming: every wait times out
    af_finds_focus: bool = True
    af_lens_position: float = 2.5  # dioptres where an autofocus cycle leaves the lens
    acquired: bool = False
    opened: int = 0
    configured: dict | None = None
    controls_set: list[dict] = field(default_factory=list)
    autofocus_cycles: int = 0
    flushes: int = 0

    def __post_init__(self):
        self.id = self.id or f"/base/axi/pcie@120000/rp1/{self.bus}/{self.model}@1a"

    def camera_controls(self):
        controls = {
            "ExposureTime": (26, 66_666_666, None),
            "ExposureTimeMode": (0, 1, 0),
            "AnalogueGain": (1.0, 16.0, None),
            "AnalogueGainMode": (0, 1, 0),
            "Brightness": (-1.0, 1.0, 0.0),
            "Contrast": (0.0, 32.0, 1.0),
        }
        if self.autofocus:
            controls |= {
                "AfMode": (0, 2, 0),
                "AfTrigger": (0, 1, 0),
                "LensPosition": (0.0, 15.0, 1.0),
            }
        return controls


def fake_library(*sensors: FakeSensor) -> Picamera2Library:
    """What the adapter's loader returns, with ``sensors`` attached (in libcamera's order)."""

    class BoundPicamera2(Picamera2):
        attached = list(sensors)

    return Picamera2Library(
        BoundPicamera2, BoundPicamera2.global_camera_info, dict(AfModeEnum.__members__)
    )


class Picamera2:
    """picamera2.Picamera2 over the ``attached`` sensors."""

    attached: list[FakeSensor] = []

    @classmethod
    def global_camera_info(cls):
        cameras = [
            {"Model": s.model, "Location": 2, "Rotation": 0, "Id": s.id, "Num": num}
            for num, s in enumerate(cls.attached)
        ]
        return sorted(cameras, key=lambda cam: ("/usb" not in cam["Id"], cam["Id"]), reverse=True)

    def __init__(self, camera_num=0):
        self.is_open = self.started = False
        self.sensor = self.attached[self.global_camera_info()[camera_num]["Num"]]
        if self.sensor.held or self.sensor.acquired:
            raise RuntimeError(HELD)
        self.sensor.acquired, self.is_open = True, True
        self.sensor.opened += 1
        self.camera_properties = {"Model": self.sensor.model, "PixelArraySize": self.sensor.size}
        self.camera_controls = self.sensor.camera_controls()
        self.camera_config = None
        self._requested = {}
        self._lens = self.camera_controls.get("LensPosition", (0, 0, None))[2]
        self.frames = 0

    def create_still_configuration(self, main=None, lores=None, **options):
        if unknown := set(options) - _STILL_OPTIONS:
            raise TypeError(f"unexpected keyword arguments {sorted(unknown)}")
        main = _stream({"format": "BGR888", "size": self.sensor.size, "preserve_ar": True}, main)
        if lores is not None:
            lores = _stream({"format": "YUV420", "size": main["size"], "preserve_ar": False}, lores)
        config = {"use_case": "still", "buffer_count": 1, "main": main, "lores": lores}
        return config | {"raw": None, "controls": {}, "display": None, "encode": None} | options

    def configure(self, camera_config):
        if self.started:
            raise RuntimeError("Camera must be stopped before configuring")
        config = copy.deepcopy(camera_config)
        for name in ("main", "lores"):
            if config.get(name) is not None:
                _check_stream(config[name], name)
        if config.get("lores") is not None:
            if any(lo > hi for lo, hi in zip(config["lores"]["size"], config["main"]["size"])):
                raise RuntimeError("lores stream dimensions may not exceed main stream")
            if config["lores"]["format"] != "YUV420":
                raise RuntimeError("lores stream must be YUV")
        self.camera_config = self.sensor.configured = config

    def camera_configuration(self):
        return self.camera_config

    def start(self):
        if self.camera_config is None:
            raise RuntimeError("fake: configure first (the library would use its preview mode)")
        self.started = True

    def stop(self):
        self.started = False

    def close(self):
        if self.is_open:
            self.stop()
            self.sensor.acquired = self.is_open = False

    def capture_array(self, name="main", wait=None):
        self._next_frame(wait)
        stream = self.camera_config[name]
        width, height = stream["size"]
        rgb = scene(width, height)
        if stream["format"] == "RGB888":
            return np.ascontiguousarray(rgb[..., ::-1])
        if stream["format"] == "YUV420":
            return _i420(rgb, stream["stride"])
        return rgb

    def capture_metadata(self, wait=None):
        self._next_frame(wait)
        wanted = self._requested
        manual_exposure = wanted.get("ExposureTimeMode") == 1
        manual_gain = wanted.get("AnalogueGainMode") == 1
        metadata = {
            "ExposureTime": wanted.get("ExposureTime", AE_EXPOSURE_US)
            if manual_exposure
            else AE_EXPOSURE_US,
            "AnalogueGain": wanted.get("AnalogueGain", AE_GAIN) if manual_gain else AE_GAIN,
            "SensorTimestamp": self.frames * 33_333_000,
        }
        if self.sensor.autofocus:
            metadata |= {"LensPosition": self._lens, "AfState": 0}
        return metadata

    def set_controls(self, controls):
        for name in controls:
            if name not in self.camera_controls:
                raise RuntimeError(f"Control {name} is not advertised by libcamera")
        self.sensor.controls_set.append(dict(controls))
        self._requested |= controls
        if "LensPosition" in controls and self._requested.get("AfMode") == AfModeEnum.Manual:
            self._lens = controls["LensPosition"]

    def autofocus_cycle(self, wait=None, signal_function=None):
        self.set_controls({"AfMode": AfModeEnum.Auto, "AfTrigger": AfTriggerEnum.Start})
        self._next_frame(wait)
        self.sensor.autofocus_cycles += 1
        if self.sensor.af_finds_focus:
            self._lens = self.sensor.af_lens_position
        return self.sensor.af_finds_focus

    def cancel_all_and_flush(self):
        self.sensor.flushes += 1

    def _next_frame(self, wait):
        if not self.started:
            raise RuntimeError("fake: the camera is not started (the library would wait forever)")
        if self.sensor.stall:
            if wait is None or wait is True:
                raise RuntimeError("fake: stalled with no timeout (the library would hang)")
            raise TimeoutError()
        if self.sensor.fail_capture:
            raise RuntimeError("fake: the frame request failed")
        self.frames += 1


def scene(width, height):
    """The fake's view as RGB uint8: R = 200, G = 0..255 from left to right, B = 40."""
    rgb = np.empty((height, width, 3), np.uint8)
    rgb[..., 0], rgb[..., 2] = 200, 40
    rgb[..., 1] = np.linspace(0, 255, width).round().astype(np.uint8)
    return rgb


def _stream(defaults, updates):
    for key in updates or {}:
        if key not in _STREAM_KEYS:
            raise ValueError(f"Bad key {key!r}: valid stream configuration keys are {_STREAM_KEYS}")
    return defaults | (updates or {})


def _check_stream(stream, name):
    width, height = stream["size"]
    if width % 2 or height % 2:
        raise RuntimeError("width and height should be even")
    if stream["format"] not in ("RGB888", "BGR888", "YUV420"):
        raise RuntimeError(f"Bad format {stream['format']} in stream {name}")
    bytes_per_row = width if stream["format"] == "YUV420" else width * 3
    stream["stride"] = -(-bytes_per_row // 64) * 64


def _i420(rgb, stride):
    """Y, then U, then V planes, each row padded to the stride (half of it for U and V)."""
    height, width = rgb.shape[:2]
    flat = cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420).reshape(-1)
    quarter = width * height // 4
    planes = [
        (flat[: 4 * quarter].reshape(height, width), stride),
        (flat[4 * quarter : 5 * quarter].reshape(height // 2, width // 2), stride // 2),
        (flat[5 * quarter :].reshape(height // 2, width // 2), stride // 2),
    ]
    padded = [
        np.pad(plane, ((0, 0), (0, row - plane.shape[1]))).reshape(-1) for plane, row in planes
    ]
    return np.concatenate(padded).reshape(height * 3 // 2, stride)
