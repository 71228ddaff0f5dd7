"""FakeVolumes: a VolumeInventory whose drives the test plugs in and pulls out.

It keeps the real adapter's rules (the contract suite runs over both): a drive is named by
its listed /dev path, only removable ones with medium and a filesystem are mounted, under
``mount_root/<kernel name>`` (a plain folder here), a drive mounted elsewhere is Busy, and
power-off needs an unmounted drive and ``udisks`` (False: Unavailable, as without udisks2).
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path

from eyepi_gui.domain.volumes import KERNEL_NAME, Volume
from eyepi_gui.errors import Busy, InvalidInput, NotFound, Unavailable

DATA_DISK = Volume("/dev/mmcblk0p2", "mmcblk0p2", 32 * 2**30, "ext4", "rootfs", "/", 20 * 2**30)


class FakeVolumes:
    def __init__(self, mount_root: Path, *, udisks: bool = False) -> None:
        self.mount_root, self.udisks = mount_root, udisks
        self.data_disk = DATA_DISK
        self.powered_off: list[str] = []
        self._drives: dict[str, Volume] = {DATA_DISK.device: DATA_DISK}
        self._lock = threading.Lock()

    def plug(self, volume: Volume) -> Volume:
        with self._lock:
            self._drives[volume.device] = volume
        return volume

    def pull(self, device: str) -> None:
        """The drive is gone; a mount of it stays until unmounted (as lazily on Linux)."""
        with self._lock:
            self._drives.pop(device, None)

    def volumes(self) -> list[Volume]:
        with self._lock:
            return list(self._drives.values())

    def holding(self, path: Path) -> Volume:
        return self.data_disk

    def mount(self, device: str) -> Path:
        volume = self._removable(device)
        target = self.mount_root / volume.name
        if volume.mountpoint == str(target):
            return target
        if volume.mountpoint:
            raise Busy(f"{device} is mounted at {volume.mountpoint} by another program")
        if not volume.has_medium or volume.fstype is None:
            raise InvalidInput("device", f"{device} holds no medium or no filesystem")
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
        free = volume.size // 2
        self.plug(dataclasses.replace(volume, mountpoint=str(target), free=free))
        return target

    def unmount(self, device: str) -> None:
        name = _kernel_name(device)
        target = self.mount_root / name
        with self._lock:
            volume = self._drives.get(device)
            if volume is not None and volume.mountpoint == str(target):
                self._drives[device] = dataclasses.replace(volume, mountpoint=None, free=None)
        if target.is_dir():
            target.rmdir()

    def power_off(self, device: str) -> None:
        volume = self._removable(device)
        if volume.mountpoint:
            raise Busy(f"{device} is still mounted at {volume.mountpoint}")
        if not self.udisks:
            raise Unavailable(f"cannot power {device} off (udisksctl: not installed)")
        self.powered_off.append(device)
        self.pull(device)

    def _removable(self, device: str) -> Volume:
        _kernel_name(device)
        with self._lock:
            volume = self._drives.get(device)
        if volume is None:
            raise NotFound(f"no drive {device} (was it pulled out?)")
        if not volume.removable:
            raise InvalidInput("device", f"{device} is not a removable drive")
        return volume


def _kernel_name(device: str) -> str:
    name = device.removeprefix("/dev/")
    if not device.startswith("/dev/") or not KERNEL_NAME.fullmatch(name):
        raise InvalidInput("device", "name a drive as the station lists it (/dev/sdb1)")
    return name


def stick(name: str = "sda1", *, fstype: str | None = "exfat", **fields: object) -> Volume:
    """A USB stick of 16 GB as the inventory lists it."""
    values: dict[str, object] = {"size": 16 * 10**9, "label": "STICK", "removable": True}
    values |= {"usb": True, **fields}
    return Volume(f"/dev/{name}", name, fstype=fstype, **values)  # type: ignore[arg-type]
