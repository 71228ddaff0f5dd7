"""The machine's block devices as ``Volume`` values: lsblk through the runner, blkid for the
filesystem and label where lsblk has none (without udev lsblk shows neither), statvfs for the
free space of mounted ones, /proc/self/mountinfo for the filesystem holding a folder."""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Collection, Mapping
from pathlib import Path

from eyepi_gui.adapters.lsblk import LSBLK_ARGS, LsblkError, parse_blkid_export, parse_lsblk
from eyepi_gui.domain.volumes import Volume
from eyepi_gui.errors import CommandFailed
from eyepi_gui.ports import CommandRunner

MOUNTINFO = Path("/proc/self/mountinfo")
LSBLK_TIMEOUT_S = 10.0
BLKID_TIMEOUT_S = 15.0  # probing reads each device; a slow stick takes a while
_BLKID_READ = (0, 2)  # 2: nothing found on some device (no filesystem)


class BlockDevices:
    """Lists volumes. ``home`` is the station's home: the disk holding it is never
    removable. ``extra_removable`` (kernel names or /dev paths) are disks treated as
    removable: for tests, whose loop devices stand in for USB sticks; the station's own
    wiring never passes it."""

    def __init__(
        self,
        runner: CommandRunner,
        *,
        home: Path,
        extra_removable: Collection[str] = (),
        mountinfo: Path = MOUNTINFO,
    ) -> None:
        self._runner, self._home = runner, os.path.realpath(home)
        self._extra = extra_removable  # read at each listing: a test's stick may come back
        # under another loop device name
        self._mountinfo = mountinfo

    def volumes(self) -> list[Volume]:
        """Every volume now, with filesystem, label and free space filled in where they can
        be read. Raises CommandFailed when lsblk cannot be run or gives what it never does."""
        result = self._runner.run("lsblk", list(LSBLK_ARGS), timeout_s=LSBLK_TIMEOUT_S)
        if result.exit_code != 0:
            raise CommandFailed("lsblk", first_line(result.stderr), result.exit_code)
        try:
            found = parse_lsblk(
                result.stdout, system_paths=(self._home,), extra_removable=self._extra
            )
        except LsblkError as err:
            raise CommandFailed("lsblk", str(err)) from err
        return [with_free(volume) for volume in self._probed(found)]

    def holding(self, path: Path) -> Volume:
        """The filesystem holding ``path``: its block device from lsblk when one is mounted
        there, else as the kernel names it (an overlay, a tmpfs). Never removable."""
        return volume_holding(path, self.volumes, self._mountinfo)

    def _probed(self, volumes: list[Volume]) -> list[Volume]:
        """``volumes`` with TYPE and LABEL from blkid for the removable ones lsblk gave no
        filesystem (others are never mounted; the data disk's is read from mountinfo)."""
        unknown = [v.device for v in volumes if v.removable and v.fstype is None and v.has_medium]
        if not unknown:
            return volumes
        try:
            result = self._runner.run(
                "blkid", ["-p", "-o", "export", "--", *unknown], timeout_s=BLKID_TIMEOUT_S
            )
        except CommandFailed:
            return volumes  # blkid missing or hanging: the volumes show without a filesystem
        found = parse_blkid_export(result.stdout) if result.exit_code in _BLKID_READ else {}
        return [_with_blkid(v, found.get(v.device)) for v in volumes]


def _with_blkid(volume: Volume, keys: Mapping[str, str] | None) -> Volume:
    if not keys or keys.get("USAGE", "filesystem") != "filesystem" or "TYPE" not in keys:
        return volume
    label = keys.get("LABEL") or volume.label
    return dataclasses.replace(volume, fstype=keys["TYPE"], label=label)


def with_free(volume: Volume) -> Volume:
    """``volume`` with its free space and size from statvfs when mounted (free None when the
    mount cannot be measured: a stick pulled without unmounting)."""
    if volume.mountpoint is None or not volume.mountpoint.startswith("/"):
        return volume
    try:
        if not os.path.ismount(volume.mountpoint):  # unmounted since lsblk looked
            return dataclasses.replace(volume, free=None)
        st = os.statvfs(volume.mountpoint)
    except OSError:
        return dataclasses.replace(volume, free=None)
    return dataclasses.replace(volume, free=st.f_bavail * st.f_frsize)


def volume_holding(
    path: Path, listed: Callable[[], list[Volume]], mountinfo: Path = MOUNTINFO
) -> Volume:
    """The filesystem holding ``path``: the volume ``listed`` shows mounted there (any
    CommandFailed of it ignored), else as the kernel names it. Never removable."""
    mountpoint, source, fstype = mount_of(os.path.realpath(path), mountinfo)
    try:
        mounted = {v.mountpoint: v for v in listed() if v.mountpoint}
    except CommandFailed:
        mounted = {}
    volume = mounted.get(mountpoint) or Volume(
        device=source, name=os.path.basename(source), size=0, fstype=fstype
    )
    volume = with_free(dataclasses.replace(volume, mountpoint=mountpoint, removable=False))
    if volume.size == 0:  # no block device (overlay, tmpfs): the filesystem's size
        st = os.statvfs(mountpoint)
        volume = dataclasses.replace(volume, size=st.f_blocks * st.f_frsize)
    return volume


def mount_options(target: str, mountinfo: Path = MOUNTINFO) -> set[str] | None:
    """The per-mount options ("rw", "nosuid", ...) of the mount at ``target``, or None when
    nothing is mounted there (the last mount there when stacked)."""
    found = None
    for line in mountinfo.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split(" ")
        if len(fields) > 5 and unescape_mount(fields[4]) == target:
            found = set(fields[5].split(","))
    return found


def mount_of(path: str, mountinfo: Path = MOUNTINFO) -> tuple[str, str, str]:
    """(mount point, source, filesystem type) of the mount holding ``path`` (absolute and
    resolved): the last-mounted of the longest mount points containing it."""
    best = ("/", "rootfs", "unknown")
    for line in mountinfo.read_text(encoding="utf-8", errors="replace").splitlines():
        fields = line.split(" ")
        if "-" not in fields:
            continue
        dash = fields.index("-")
        point = unescape_mount(fields[4])
        if len(fields) > dash + 2 and _contains(point, path) and len(point) >= len(best[0]):
            best = (point, unescape_mount(fields[dash + 2]), fields[dash + 1])
    return best


def _contains(folder: str, path: str) -> bool:
    return folder == "/" or path == folder or path.startswith(folder + "/")


def unescape_mount(text: str) -> str:
    r"""Undo mountinfo's escapes of space, tab, newline and backslash (\040 ...)."""
    for code in ("\\040", "\\011", "\\012", "\\134"):
        text = text.replace(code, chr(int(code[1:], 8)))
    return text


def first_line(text: str) -> str:
    return (text.strip().splitlines() or ["failed"])[0]
