"""Which camera libraries this machine has, found without importing them (start-up stays fast)."""

from __future__ import annotations

import importlib.util

from eyepi_gui.ports import BackendStatus, CameraBackend
from eyepi_gui.settings import StationSettings

_LIBRARIES = {
    "gphoto2": ("gphoto2", "pip install 'eyepi[gphoto2]'"),
    "picamera2": ("picamera2", "on a Raspberry Pi: apt install python3-picamera2"),
    "opencv": ("cv2", "pip install opencv-python-headless"),
}


def hardware_backends() -> list[BackendStatus]:
    """Status of each real-camera backend. Their adapters are not part of this release yet,
    so each one says so instead of pretending to look for cameras."""
    result = []
    for name, (module, install) in _LIBRARIES.items():
        if importlib.util.find_spec(module) is None:
            reason = f"{module} is not installed ({install})"
        else:
            reason = f"{module} is installed, but eyepi's {name} adapter is not built yet"
        result.append(BackendStatus(name, False, reason))
    return result


def camera_backends(settings: StationSettings) -> list[CameraBackend]:
    """The real-camera backends, built for ``settings`` (network cameras come from there).
    Each imports its library only when it is asked to look for cameras."""
    return []
