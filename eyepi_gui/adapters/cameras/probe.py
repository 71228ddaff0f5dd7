"""The real-camera backends of this machine. Building them imports no camera library: each
imports its own only when asked for its status or its cameras (start-up stays fast)."""

from __future__ import annotations

from collections.abc import Callable

from eyepi_gui.ports import CameraBackend
from eyepi_gui.settings import StationSettings

SettingsNow = Callable[[], StationSettings]
"""The settings in force now (``SettingsService.current``)."""


def camera_backends(settings: SettingsNow) -> list[CameraBackend]:
    """gphoto2 DSLRs, picamera2 Pi cameras, OpenCV webcams and the network cameras."""
    from eyepi_gui.adapters.cameras.gphoto2 import Gphoto2Backend
    from eyepi_gui.adapters.cameras.opencv import OpencvBackend
    from eyepi_gui.adapters.cameras.picamera2 import Picamera2Backend

    webcams = OpencvBackend(stream_urls(settings))
    return [Gphoto2Backend(), Picamera2Backend(), webcams]


def network_backends(settings: SettingsNow) -> list[CameraBackend]:
    """The network cameras alone (a station without hardware probing, as in tests)."""
    from eyepi_gui.adapters.cameras.opencv import OpencvBackend

    return [OpencvBackend(stream_urls(settings), sysfs_root=None)]


def stream_urls(settings: SettingsNow) -> Callable[[], dict[str, str]]:
    """The network cameras of ``settings()``, read at every scan and open, by camera id: a
    camera added or removed while the station runs applies at the next scan."""

    def streams() -> dict[str, str]:
        cameras = settings().network_cameras
        return {camera_id: camera.open_url() for camera_id, camera in cameras.items()}

    return streams
