"""The ``picamera2`` backend: Raspberry Pi CSI cameras through libcamera (Pi only).

picamera2 and libcamera come from apt on a Pi (``python3-picamera2``) and are imported on first
use, never at import. An open camera runs a still configuration: "main" at the sensor's full
resolution for stills, a small YUV420 "lores" stream for the live view. Calls used (Picamera2
manual, picamera2/picamera2.py): ``Picamera2.global_camera_info``, ``Picamera2(n)``,
``camera_properties``, ``camera_controls``, ``create_still_configuration``, ``configure``,
``camera_configuration``, ``start``, ``stop``, ``close``, ``capture_array(name, wait=)``,
``capture_metadata(wait=)``, ``set_controls``, ``autofocus_cycle(wait=)``,
``cancel_all_and_flush`` and ``libcamera.controls.AfModeEnum``.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import re
from collections.abc import Callable, Mapping
from typing import Any, SupportsInt

from eyepi_gui.adapters.cameras.picamera2_camera import Picamera2Camera
from eyepi_gui.adapters.cameras.picamera2_device import Picamera2Device
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.errors import NotFound, Unavailable
from eyepi_gui.ports import BackendStatus

NAME = "picamera2"
INSTALL_HINT = "on a Raspberry Pi: apt install python3-picamera2"
_NOT_IN_ID = re.compile(r"[^a-z0-9_-]+")
_log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class Picamera2Library:
    """What the backend takes from the libraries: ``Picamera2`` (its constructor and its
    ``global_camera_info``) and ``libcamera.controls.AfModeEnum``'s members by name."""

    open: Callable[[int], Picamera2Device]
    global_camera_info: Callable[[], list[dict[str, Any]]]
    af_modes: Mapping[str, SupportsInt]


def load_picamera2() -> Picamera2Library:
    """Import picamera2 and libcamera; ``ImportError`` where they are missing (not a Pi)."""
    picamera2 = importlib.import_module("picamera2").Picamera2
    af_modes = importlib.import_module("libcamera").controls.AfModeEnum.__members__
    return Picamera2Library(picamera2, picamera2.global_camera_info, dict(af_modes))


class Picamera2Backend:
    """The ``picamera2`` backend; ``loader`` imports the libraries on first use (tests pass a
    fake). Camera ids are "picam-<model>-<port>", e.g. "picam-imx477-0"."""

    name = NAME

    def __init__(self, loader: Callable[[], Picamera2Library] = load_picamera2) -> None:
        self._loader = loader
        self._library: Picamera2Library | None = None
        self._sizes: dict[str, tuple[int, int]] = {}  # camera_id -> sensor size (px)

    def status(self) -> BackendStatus:
        try:
            self._load()
        except Unavailable as err:
            return BackendStatus(self.name, False, str(err))
        return BackendStatus(self.name, True, "picamera2 is installed")

    def discover(self) -> list[CameraInfo]:
        """The CSI cameras libcamera lists (USB webcams are the opencv backend's). A camera new
        to this backend is opened briefly to read its sensor size; if another program holds
        it, it is left out until that works."""
        try:
            cameras = self._cameras()
        except Unavailable:
            return []
        found = [self._describe(number, entry) for number, entry in cameras]
        return [info for info in found if info is not None]

    def open(self, camera_id: str) -> Picamera2Camera:
        """``NotFound`` for an unknown id, ``Unavailable`` when the camera is busy or absent."""
        cameras = [(n, e) for n, e in self._cameras() if _camera_id(e, n) == camera_id]
        if not cameras:
            raise NotFound(f"camera {camera_id!r}")
        number, entry = cameras[0]
        device = self._acquire(number, camera_id)
        try:
            info = _info(entry, number, _sensor_size(device))
            camera = Picamera2Camera(info, device, self._load().af_modes)
        except Exception:
            device.close()
            raise
        self._sizes[camera_id] = info.max_resolution
        return camera

    def _load(self) -> Picamera2Library:
        if self._library is None:
            try:
                self._library = self._loader()
            except ImportError as err:
                raise Unavailable(f"picamera2 is not installed ({INSTALL_HINT})") from err
        return self._library

    def _cameras(self) -> list[tuple[int, dict[str, Any]]]:
        """(number, entry) per CSI camera. The number is the position in
        ``global_camera_info()``, which ``Picamera2(number)`` opens (picamera2 maps it to
        libcamera's own "Num"); it is the port in the camera's id and identity."""
        try:
            listed = self._load().global_camera_info()
        except RuntimeError as err:
            raise Unavailable(f"libcamera could not list the cameras: {err}") from err
        return [(n, entry) for n, entry in enumerate(listed) if "/usb" not in str(entry.get("Id"))]

    def _acquire(self, number: int, camera_id: str) -> Picamera2Device:
        try:
            return self._load().open(number)
        except (RuntimeError, IndexError) as err:
            raise Unavailable(
                f"camera {camera_id} is busy (another program?) or gone: {err}"
            ) from err

    def _describe(self, number: int, entry: dict[str, Any]) -> CameraInfo | None:
        camera_id = _camera_id(entry, number)
        if camera_id not in self._sizes:
            try:
                device = self._acquire(number, camera_id)
            except Unavailable as err:
                _log.warning("picamera2: %s left out: %s", camera_id, err)
                return None
            try:
                self._sizes[camera_id] = _sensor_size(device)
            finally:
                device.close()
        return _info(entry, number, self._sizes[camera_id])


def _camera_id(entry: dict[str, Any], number: int) -> str:
    """The id "picam-<model>-<number>": a-z, 0-9, '_' and '-', at most 64 characters."""
    stem = _NOT_IN_ID.sub("-", f"picam-{entry.get('Model', 'camera')}".lower())
    return f"{stem[: 63 - len(str(number))]}-{number}"


def _info(entry: dict[str, Any], number: int, size: tuple[int, int]) -> CameraInfo:
    """Identity "<Model> on CSI port <number>"; ``port`` holds libcamera's "Id" (the sensor's
    device-tree path, which names its I2C/CSI bus)."""
    model = str(entry.get("Model", "camera"))
    identity = f"{model} on CSI port {number}"
    return CameraInfo(_camera_id(entry, number), NAME, model, size, identity, str(entry.get("Id")))


def _sensor_size(device: Picamera2Device) -> tuple[int, int]:
    """The full sensor resolution (px): the "PixelArraySize" property."""
    width, height = device.camera_properties["PixelArraySize"]
    return int(width), int(height)
