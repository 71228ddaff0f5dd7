"""udisks2's object tree (``ObjectManager.GetManagedObjects``, as jeepney unwraps it: every
property a (signature, value) pair) read into ``Volume`` values.

As with lsblk (``adapters.lsblk``): every partition, or the whole disk when it has no
partition table, is a volume; an unattached loop device (0 bytes, no drive) is none. A disk
is removable when its Drive says so (Removable: removable media, flash cards and hot-plug
buses such as USB; or Ejectable) or sits on USB, or when it is named in ``extra_removable``;
never when
one of its volumes holds a system filesystem ("/", "/boot...", active swap, or a folder of
the station's home). A volume's mount point is its first in Filesystem.MountPoints.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from eyepi_gui.domain.volumes import Volume

UDISKS = "org.freedesktop.UDisks2"
BLOCK = f"{UDISKS}.Block"
FILESYSTEM = f"{UDISKS}.Filesystem"
PARTITION = f"{UDISKS}.Partition"
PARTITION_TABLE = f"{UDISKS}.PartitionTable"
DRIVE = f"{UDISKS}.Drive"
SWAPSPACE = f"{UDISKS}.Swapspace"
NO_OBJECT = "/"
_SYSTEM_MOUNTS = ("/",)

Properties = Mapping[str, tuple[str, Any]]
Objects = Mapping[str, Mapping[str, Properties]]


@dataclass(frozen=True)
class UDisksVolume:
    """One listed volume and where udisks2 keeps it: ``block`` its object's path, ``drive``
    its Drive's (None: no drive, a loop device), ``can_power_off`` the Drive's word,
    ``mountpoints`` every mount point udisks2 knows of it."""

    volume: Volume
    block: str
    drive: str | None
    can_power_off: bool
    mountpoints: tuple[str, ...]


def read_objects(
    objects: Objects, *, system_paths: Collection[str] = (), extra_removable: Collection[str] = ()
) -> list[UDisksVolume]:
    """The volumes of ``objects``; see the module docstring. ``extra_removable`` names disks
    (kernel name or /dev path) to treat as removable, for tests."""
    extra = {name.removeprefix("/dev/") for name in extra_removable}
    blocks = {path: ifaces for path, ifaces in objects.items() if BLOCK in ifaces}
    disks: dict[str, list[str]] = {}
    for path, ifaces in blocks.items():
        if _is_volume(ifaces):
            disks.setdefault(_disk_of(path, ifaces), []).append(path)
    found: list[UDisksVolume] = []
    for disk, paths in disks.items():
        drive = objects.get(disk, {}).get(DRIVE, {})
        removable = _removable(drive, _name(objects, disk), extra)
        removable = removable and not any(_system(blocks[p], system_paths) for p in paths)
        found.extend(_volume(p, blocks[p], drive, removable) for p in sorted(paths))
    return found


def _is_volume(ifaces: Mapping[str, Properties]) -> bool:
    block = ifaces[BLOCK]
    no_drive = value(block, "Drive", NO_OBJECT) == NO_OBJECT
    return PARTITION_TABLE not in ifaces and not (no_drive and value(block, "Size", 0) == 0)


def _disk_of(path: str, ifaces: Mapping[str, Properties]) -> str:
    """The path that stands for the volume's disk: its Drive, else its partition table's
    block, else its own block."""
    drive = str(value(ifaces[BLOCK], "Drive", NO_OBJECT))
    if drive != NO_OBJECT:
        return drive
    table = str(value(ifaces.get(PARTITION, {}), "Table", NO_OBJECT))
    return table if table != NO_OBJECT else path


def _name(objects: Objects, disk: str) -> str:
    """The kernel name of the disk at ``disk`` (a block's path; "" for a Drive's)."""
    block = objects.get(disk, {}).get(BLOCK)
    return os.path.basename(device_path(block)) if block else ""


def _removable(drive: Properties, name: str, extra: Collection[str]) -> bool:
    return (
        bool(value(drive, "Removable", False) or value(drive, "Ejectable", False))
        or value(drive, "ConnectionBus", "") == "usb"
        or name in extra
    )


def _system(ifaces: Mapping[str, Properties], system_paths: Collection[str]) -> bool:
    if value(ifaces.get(SWAPSPACE, {}), "Active", False):
        return True
    for mount in mountpoints(ifaces):
        if mount in _SYSTEM_MOUNTS or mount.startswith("/boot"):
            return True
        if any(_inside(path, mount) for path in system_paths):
            return True
    return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _volume(
    path: str, ifaces: Mapping[str, Properties], drive: Properties, removable: bool
) -> UDisksVolume:
    block = ifaces[BLOCK]
    device = device_path(block)
    usage, fstype = value(block, "IdUsage", ""), value(block, "IdType", "")
    mounts = tuple(mountpoints(ifaces))
    drive_path = str(value(block, "Drive", NO_OBJECT))
    volume = Volume(
        device=device,
        name=os.path.basename(device),
        size=int(value(block, "Size", 0)),
        fstype=str(fstype) if usage == "filesystem" and fstype else None,
        label=str(value(block, "IdLabel", "")) or None,
        mountpoint=mounts[0] if mounts else None,
        removable=removable,
        usb=value(drive, "ConnectionBus", "") == "usb",
        read_only=bool(value(block, "ReadOnly", False)),
        model=_text(value(drive, "Model", "")),
        vendor=_text(value(drive, "Vendor", "")),
    )
    return UDisksVolume(
        volume=volume,
        block=path,
        drive=None if drive_path == NO_OBJECT else drive_path,
        can_power_off=bool(value(drive, "CanPowerOff", False)),
        mountpoints=mounts,
    )


def mountpoints(ifaces: Mapping[str, Properties]) -> Iterator[str]:
    """Filesystem.MountPoints as text (udisks2 sends each as NUL-terminated bytes)."""
    for raw in value(ifaces.get(FILESYSTEM, {}), "MountPoints", []):
        yield _bytes_text(raw)


def device_path(block: Properties) -> str:
    """Block.Device as text ("/dev/sdb1")."""
    return _bytes_text(value(block, "Device", b""))


def value(properties: Properties, name: str, default: Any) -> Any:
    """The value of property ``name``, or ``default`` when it is not there."""
    found = properties.get(name)
    return default if found is None else found[1]


def _bytes_text(raw: bytes | list[int]) -> str:
    return bytes(raw).rstrip(b"\0").decode("utf-8", errors="surrogateescape")


def _text(found: object) -> str | None:
    return (found.strip() or None) if isinstance(found, str) else None
