"""The real-camera backends of this machine. Building them imports no camera library: each
imports its own only when asked for its status or its cameras (start-up stays fast)."""

from __future__ import annotations

from eyepi_gui.ports import CameraBackend
from eyepi_gui.settings import StationSettings


def camera_backends(settings: StationSettings) -> list[CameraBackend]:
    """gphoto2 DSLRs, picamera2 Pi cameras, OpenCV webcams and the network cameras in
    ``settings`` (read at start: a changed URL applies when the station restarts)."""
    from eyepi_gui.adapters.cameras.gphoto2 import Gphoto2Backend
    from eyepi_gui.adapters.cameras.opencv import OpencvBackend
    from eyepi_gui.adapters.cameras.picamera2 import Picamera2Backend

    streams = {camera_id: camera.url for camera_id, camera in settings.network_cameras.items()}
    return [Gphoto2Backend(), Picamera2Backend(), OpencvBackend(streams)]
