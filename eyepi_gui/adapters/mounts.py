"""Mounting, unmounting and powering off removable volumes (implements ``VolumeInventory``).

A volume is named by its /dev path as the inventory lists it, never by a path a user typed:
the path must be "/dev/" and a plain kernel name, be listed by lsblk now and be removable
(``adapters.lsblk`` decides). It is mounted at ``<mount root>/<kernel name>`` (the root is
the station's own, 0700) with nosuid,nodev,noexec, read-only when the drive is. A filesystem
the kernel reads is mounted by the kernel (``mount -i``: no helper programs); exFAT without
kernel support through FUSE (mount.exfat-fuse, which drops noexec: it is remounted with the
options at once, within the 0700 root, and checked in mountinfo like every mount).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from eyepi_gui.adapters.blockdev import MOUNTINFO, BlockDevices, first_line, mount_options
from eyepi_gui.domain.volumes import KERNEL_NAME, Volume
from eyepi_gui.errors import Busy, CommandFailed, InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import CommandRunner

SAFE_OPTIONS = ("nosuid", "nodev", "noexec")
MOUNT_TIMEOUT_S = 30.0
SYNC_TIMEOUT_S = 120.0  # a slow stick may hold many seconds of unwritten data
BUSY_PAUSES_S = (0.1, 0.3, 0.6, 1.0, 1.5)
"""Pauses between unmount attempts while the stick is busy (3.5 s in all): a file indexer
that looks at a new mount, or the kernel finishing with a stick pulled and put back, lets go
within that; a program that keeps a file open does not."""
FILESYSTEMS = Path("/proc/filesystems")
POWER_OFF = ("power-off", "--no-user-interaction", "-b")
_ONLY = "the station mounts only USB and removable drives"
_MOUNTABLE = frozenset({"ext2", "ext3", "ext4", "vfat", "exfat", "btrfs", "xfs"})


class RemovableVolumes:
    """The machine's volumes (``devices``), mounting removable ones under ``mount_root``."""

    def __init__(
        self,
        runner: CommandRunner,
        devices: BlockDevices,
        mount_root: Path,
        *,
        filesystems: Path = FILESYSTEMS,
        mountinfo: Path = MOUNTINFO,
    ) -> None:
        self._runner, self._devices, self._root = runner, devices, mount_root
        self._filesystems, self._mountinfo = filesystems, mountinfo

    def volumes(self) -> list[Volume]:
        return self._devices.volumes()

    def holding(self, path: Path) -> Volume:
        return self._devices.holding(path)

    def mount(self, device: str) -> Path:
        """Mount the removable ``device``; returns where. Mounted here already: the same
        folder. Raises InvalidInput("device") for what cannot be mounted (not removable, no
        medium, no filesystem, one the kernel cannot read), NotFound when it is not listed,
        Busy when mounted elsewhere, CommandFailed when mount fails."""
        volume = self._removable(device)
        target = self._root / volume.name
        check_mountable(volume)
        if volume.mountpoint == str(target):
            return target
        if volume.mountpoint:
            raise Busy(f"{device} is mounted at {volume.mountpoint}: unmount it there first")
        self._prepare(target)
        options = ",".join((*SAFE_OPTIONS, "ro") if volume.read_only else SAFE_OPTIONS)
        try:
            self._mount(volume, target, options)
        except (CommandFailed, InvalidInput):
            if not os.path.ismount(target):
                target.rmdir()
            raise
        if not self._safe(target):
            self._run("umount", ["--lazy", "--", str(target)])
            raise CommandFailed("mount", f"{device} was not mounted with {options}")
        return target

    def unmount(self, device: str) -> None:
        """Write what is cached to the stick, then unmount it (lazily when the stick is gone
        or stays busy). Nothing happens when the station has it not mounted. Raises
        InvalidInput for a device name of another form, Busy when a program keeps it open
        (tried again for a few seconds first: see BUSY_PAUSES_S)."""
        target = self._root / kernel_name(device)
        if not os.path.ismount(target):
            return
        lost = self._sync(target)
        done = self._runner.run("umount", ["--", str(target)], timeout_s=MOUNT_TIMEOUT_S)
        for pause in BUSY_PAUSES_S:
            if done.exit_code == 0 or not self._listed(device):
                break
            time.sleep(pause)
            done = self._runner.run("umount", ["--", str(target)], timeout_s=MOUNT_TIMEOUT_S)
        if done.exit_code != 0 and self._listed(device):
            raise Busy(f"{device} could not be unmounted: {first_line(done.stderr)}")
        if done.exit_code != 0:
            self._run("umount", ["--lazy", "--", str(target)])
        target.rmdir()
        if lost:
            raise CommandFailed("sync", f"{device} lost writes (pulled out too soon?): {lost}")

    def _sync(self, target: Path) -> str | None:
        """Write the cached data of the filesystem at ``target``; why that failed, or None."""
        try:
            done = self._runner.run("sync", ["-f", "--", str(target)], timeout_s=SYNC_TIMEOUT_S)
        except CommandFailed as err:
            return err.reason
        return first_line(done.stderr) if done.exit_code != 0 else None

    def power_off(self, device: str) -> None:
        """Power the unmounted removable drive of ``device`` off (udisks2). Raises Busy while
        it is mounted, Unavailable when udisks2 is missing or not running."""
        volume = self._removable(device)
        if volume.mountpoint:
            raise Busy(f"{device} is still mounted at {volume.mountpoint}")
        try:
            done = self._runner.run("udisksctl", [*POWER_OFF, device])
        except CommandFailed as err:
            raise Unavailable(f"{err.program} {err.reason}") from err
        if done.exit_code != 0:
            raise Unavailable(f"cannot power {device} off: {first_line(done.stderr)}")

    def _removable(self, device: str) -> Volume:
        kernel_name(device)
        for volume in self._devices.volumes():
            if volume.device == device:
                if not volume.removable:
                    raise InvalidInput("device", f"{device} is not a removable drive: {_ONLY}")
                return volume
        raise NotFound(f"no drive {device} (was it pulled out?)")

    def _listed(self, device: str) -> bool:
        """``device`` is still there (listed, with its medium)."""
        try:
            volumes = self._devices.volumes()
            return any(v.device == device and v.has_medium for v in volumes)
        except CommandFailed:
            return False

    def _prepare(self, target: Path) -> None:
        self._root.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self._root, 0o700)
        if target.is_symlink() or (target.exists() and not target.is_dir()):
            raise Unavailable(f"{target} is in the way of a mount (not a folder)")
        target.mkdir(mode=0o700, exist_ok=True)

    def _mount(self, volume: Volume, target: Path, options: str) -> None:
        fstype = str(volume.fstype)
        place = ["--", volume.device, str(target)]
        if fstype in self._kernel_filesystems():
            self._run("mount", ["-i", "-t", fstype, "-o", options, *place])
        elif fstype == "exfat":
            self._run("mount.exfat-fuse", ["-o", options, *place])
            self._run("mount", ["-o", f"remount,{options}", "--", str(target)])
        else:
            raise InvalidInput("device", f"this system cannot read {fstype} (no kernel support)")

    def _run(self, program: str, args: list[str]) -> None:
        done = self._runner.run(program, args, timeout_s=MOUNT_TIMEOUT_S)
        if done.exit_code != 0:
            raise CommandFailed(program, first_line(done.stderr), done.exit_code)

    def _kernel_filesystems(self) -> set[str]:
        lines = self._filesystems.read_text(encoding="ascii", errors="replace").splitlines()
        return {line.split()[-1] for line in lines if line.strip()}

    def _safe(self, target: Path) -> bool:
        """The mount at ``target`` is in mountinfo with every one of SAFE_OPTIONS."""
        return set(SAFE_OPTIONS) <= (mount_options(str(target), self._mountinfo) or set())


def check_mountable(volume: Volume) -> None:
    """Raises InvalidInput("device") unless ``volume`` holds a medium with a data filesystem."""
    if not volume.has_medium:
        raise InvalidInput("device", f"{volume.device} holds no medium (an empty card reader?)")
    if volume.fstype is None:
        raise InvalidInput(
            "device", f"{volume.device} holds no filesystem (format it as exFAT or ext4 first)"
        )
    if volume.fstype not in _MOUNTABLE:
        raise InvalidInput("device", f"{volume.device} holds {volume.fstype}: no data filesystem")


def kernel_name(device: str) -> str:
    """The kernel name of ``device`` ("/dev/sdb1" -> "sdb1"); InvalidInput for any other form."""
    name = device.removeprefix("/dev/")
    if not device.startswith("/dev/") or not KERNEL_NAME.fullmatch(name):
        raise InvalidInput("device", "name a drive as the station lists it (/dev/sdb1)")
    return name
