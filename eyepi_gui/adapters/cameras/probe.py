"""The real-camera backends of this machine. Building them imports no camera library: each
imports its own only when asked for its status or its cameras (start-up stays fast).

Each backend's status says whether it applies here: picamera2 only on a Raspberry Pi (CSI
cameras exist nowhere else), gphoto2 only while a USB still-image (PTP) device is attached
(a DSLR in PTP mode; checked at each status, so a camera plugged in later brings the note).
OpenCV and network cameras apply everywhere (any machine can have a webcam or a stream)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from eyepi_gui.adapters.machine import SysfsHardware
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.ports import BackendStatus, CameraBackend, CameraDevice, MachineHardware
from eyepi_gui.settings import StationSettings

SettingsNow = Callable[[], StationSettings]
"""The settings in force now (``SettingsService.current``)."""


class _Where:
    """A backend whose status says whether the hardware it drives could be here."""

    def __init__(self, backend: CameraBackend, applies: Callable[[], bool]) -> None:
        self._backend, self._applies = backend, applies
        self.name = backend.name

    def status(self) -> BackendStatus:
        status = self._backend.status()
        return dataclasses.replace(status, applies=status.available or self._applies())

    def discover(self) -> Sequence[CameraInfo]:
        return self._backend.discover()

    def open(self, camera_id: str) -> CameraDevice:
        return self._backend.open(camera_id)


def camera_backends(
    settings: SettingsNow, machine: MachineHardware | None = None
) -> list[CameraBackend]:
    """gphoto2 DSLRs, picamera2 Pi cameras, OpenCV webcams and the network cameras.
    ``machine`` tells what hardware could be here (the device tree and sysfs by default)."""
    from eyepi_gui.adapters.cameras.gphoto2 import Gphoto2Backend
    from eyepi_gui.adapters.cameras.opencv import OpencvBackend
    from eyepi_gui.adapters.cameras.picamera2 import Picamera2Backend

    machine = machine or SysfsHardware()
    return [
        _Where(Gphoto2Backend(), machine.still_camera_on_usb),
        _Where(Picamera2Backend(), machine.raspberry_pi),
        OpencvBackend(stream_urls(settings)),
    ]


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
