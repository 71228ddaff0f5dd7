"""``lsblk --json`` and ``blkid -o export`` output read into ``Volume`` values.

Which volumes are removable is decided per disk: a disk is removable when the kernel says
so (RM), when it is hot-pluggable (HOTPLUG: a USB SSD reports RM 0) or on USB (TRAN), or
when it is named in ``extra_removable`` (tests: loop devices report none of these). A disk
holding a system filesystem ("/", "/boot...", swap, or the folder of the station's home) is
never removable, whatever it reports: a Pi booted from a USB SSD must not offer its own disk
for ejecting. A disk's partitions share its removability, transport and read-only flag.
Older lsblk (2.33) writes every value as a string ("1", "0", "15931539456"); both forms read.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from eyepi_gui.domain.volumes import Volume

COLUMNS = "NAME,PATH,SIZE,TYPE,RM,RO,TRAN,FSTYPE,LABEL,MOUNTPOINT,MODEL,VENDOR,HOTPLUG"
LSBLK_ARGS = ("--json", "--bytes", "--output", COLUMNS)
_DISKS = frozenset({"disk", "loop"})
_SYSTEM_MOUNTS = ("/", "[SWAP]")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|.)")


class LsblkError(ValueError):
    """lsblk's output could not be read (not JSON, or not the shape it always has)."""


def parse_lsblk(
    text: str, *, system_paths: Collection[str] = (), extra_removable: Collection[str] = ()
) -> list[Volume]:
    """Every volume of every disk in lsblk's JSON ``text``: each partition, or the disk
    itself when it has none. ``system_paths`` are folders whose disk is never removable (the
    station's home); ``extra_removable`` names disks (kernel name or /dev path) to treat as
    removable. Raises LsblkError for output of another shape."""
    extra = {name.removeprefix("/dev/") for name in extra_removable}
    volumes: list[Volume] = []
    for disk in _disks(text):
        if str(disk.get("type")) not in _DISKS:
            continue
        removable = _removable(disk, extra) and not _holds_system(disk, system_paths)
        volumes.extend(_volume(node, disk, removable) for node in _leaves(disk))
    return volumes


def _disks(text: str) -> list[dict[str, Any]]:
    try:
        found = json.loads(text)["blockdevices"]
    except (ValueError, KeyError, TypeError) as err:
        raise LsblkError(f"lsblk gave no device list: {err}") from err
    if not isinstance(found, list) or not all(isinstance(d, dict) for d in found):
        raise LsblkError("lsblk's device list is not a list of devices")
    return found


def _leaves(disk: dict[str, Any]) -> Iterator[dict[str, Any]]:
    children = disk.get("children") or ()
    parts = [c for c in children if isinstance(c, dict) and c.get("type") == "part"]
    yield from parts or [disk]


def _subtree(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("children") or ():
        if isinstance(child, dict):
            yield from _subtree(child)


def _removable(disk: dict[str, Any], extra: Collection[str]) -> bool:
    return (
        flag(disk.get("rm"))
        or flag(disk.get("hotplug"))
        or disk.get("tran") == "usb"
        or disk.get("name") in extra
    )


def _holds_system(disk: dict[str, Any], system_paths: Collection[str]) -> bool:
    for node in _subtree(disk):
        mount = node.get("mountpoint")
        if not isinstance(mount, str):
            continue
        if mount in _SYSTEM_MOUNTS or mount.startswith("/boot"):
            return True
        if any(_inside(path, mount) for path in system_paths):
            return True
    return False


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _volume(node: dict[str, Any], disk: dict[str, Any], removable: bool) -> Volume:
    name = _text(node.get("name")) or ""
    return Volume(
        device=_text(node.get("path")) or f"/dev/{name}",
        name=name,
        size=number(node.get("size")),
        fstype=_text(node.get("fstype")),
        label=_text(node.get("label")),
        mountpoint=_text(node.get("mountpoint")),
        removable=removable,
        usb=disk.get("tran") == "usb",
        read_only=flag(node.get("ro")) or flag(disk.get("ro")),
        model=_text(disk.get("model")),
        vendor=_text(disk.get("vendor")),
    )


def flag(value: object) -> bool:
    """lsblk's boolean: true/false (2.38) or "1"/"0" (older)."""
    return value is True or value == "1"


def number(value: object) -> int:
    """lsblk's size in bytes: a number (2.38) or a string of digits (older); 0 otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return max(0, value)
    if isinstance(value, str) and value.isdigit():
        return int(value)
    return 0


def _text(value: object) -> str | None:
    """A non-empty string with lsblk's padding trimmed (MODEL and VENDOR are space-padded)."""
    return (value.strip() or None) if isinstance(value, str) else None


def parse_blkid_export(text: str) -> dict[str, Mapping[str, str]]:
    """``blkid -o export`` output: device path -> its keys (TYPE, LABEL, UUID, ...), values
    with blkid's backslash escapes undone ("My\\ Stick" -> "My Stick")."""
    found: dict[str, Mapping[str, str]] = {}
    for block in text.split("\n\n"):
        keys = dict(_pair(line) for line in block.splitlines() if "=" in line)
        if "DEVNAME" in keys:
            found[keys.pop("DEVNAME")] = keys
    return found


def _pair(line: str) -> tuple[str, str]:
    key, _, value = line.partition("=")
    return key.strip(), _ESCAPE.sub(_unescape, value)


def _unescape(match: re.Match[str]) -> str:
    code = match.group(1)
    return chr(int(code[1:], 16)) if len(code) == 3 and code[0] == "x" else code
