"""A USB stick for tests: a loop device on a sparse file, formatted ext4 or exFAT (root only).

``usb_stick`` (fixture, parametrised over "ext4" and "exfat"; pick one with
``@pytest.mark.parametrize("usb_stick", ["exfat"], indirect=True)``) and ``make_usb_stick``
(a factory: ``make_usb_stick(fstype="ext4" | "exfat" | None, label=..., read_only=...,
size_mib=...)``) give ``UsbStick`` objects. The machine has no udev, so nothing marks a loop
device removable: hand ``stick.name`` to the adapter's ``extra_removable``.

``pull()`` is the stick pulled out mid-copy: its mounts lazily unmounted and/or the device
gone. A loop device cannot vanish while mounted (``losetup -d`` only marks it to go once
unused), so "gone" is made so: what reached the image is saved, the image emptied and the
loop device's size read again, so every read and write fails with EIO, then it is detached
(at once, or once its last user lets go). ``reinsert()`` restores what reached the stick and
attaches it again (the same device name when free),
``flip_bit(path)`` corrupts one byte of a file ON the device, bypassing the page cache.
Clean-up always runs: every mount of the device is unmounted (lazily if busy), FUSE
processes still serving it are killed by PID, the loop device is detached. The fixtures
skip, saying why, when not root or when a program is missing.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable, Collection, Iterator
from pathlib import Path

import pytest

MIB = 2**20
BLOCK = 4096
PROGRAMS = {
    None: ("losetup", "mount", "umount"),
    "ext4": ("losetup", "mount", "umount", "mkfs.ext4"),
    "exfat": ("losetup", "mount", "umount", "mkfs.exfat", "mount.exfat-fuse"),
}
APT = "apt install exfatprogs exfat-fuse util-linux e2fsprogs"


def _run(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    if check and done.returncode:
        raise RuntimeError(f"{' '.join(argv)}: {done.stderr.strip()}")
    return done


def skip_unless_possible(fstype: str | None) -> None:
    if os.geteuid() != 0:
        pytest.skip("a loop-device USB stick needs root (CI runs as root)")
    missing = [p for p in PROGRAMS[fstype] if shutil.which(p) is None]
    if missing:
        pytest.skip(f"a {fstype or 'blank'} USB stick needs {', '.join(missing)} ({APT})")


def stick_names(*sticks: UsbStick) -> Collection[str]:
    """Every loop device the ``sticks`` were attached as, read live: hand it to
    ``BlockDevices(extra_removable=...)``, so a stick that came back under another name
    (its old one still held by the kernel) is still removable."""
    return _StickNames(sticks)


class _StickNames(Collection[str]):
    def __init__(self, sticks: tuple[UsbStick, ...]) -> None:
        self._sticks = sticks

    def __iter__(self) -> Iterator[str]:
        return iter([device for stick in self._sticks for device in stick.attached])

    def __len__(self) -> int:
        return sum(len(stick.attached) for stick in self._sticks)

    def __contains__(self, name: object) -> bool:
        return any(name in stick.attached for stick in self._sticks)


RELEASE_WAIT_S = 3.0
"""Longest a reinsert waits for the pulled stick's loop device to be let go of."""


class UsbStick:
    """A loop device standing in for a USB stick. ``device`` is its /dev path while
    attached (None once pulled), ``name`` its kernel name as last attached."""

    def __init__(self, image: Path, fstype: str | None, label: str, read_only: bool) -> None:
        self.image, self.fstype, self.label, self.read_only = image, fstype, label, read_only
        self.device: str | None = None
        self.name = ""
        self.attached: list[str] = []  # every device this stick was attached as
        self._saved = image.with_suffix(".pulled")

    def attach(self, wanted: str | None = None) -> str:
        """Attach the image (at ``wanted`` when that loop device is free); returns the path."""
        ro = ["--read-only"] if self.read_only else []
        done = _run("losetup", *ro, wanted, str(self.image), check=False) if wanted else None
        if done is None or done.returncode:
            done = _run("losetup", *ro, "--find", "--show", str(self.image), check=False)
            if done.returncode:
                pytest.skip(f"no loop device could be attached: {done.stderr.strip()}")
            wanted = done.stdout.strip()
        self.device, self.name = wanted, os.path.basename(wanted)
        self.attached.append(wanted)
        return wanted

    def mounts(self) -> list[str]:
        """Where the device is mounted now (from /proc/self/mountinfo)."""
        return _mounts_of([self.device] if self.device else [])

    def _all_mounts(self) -> list[str]:
        return _mounts_of(self.attached)

    def pull(self, *, unmount: bool = True, detach: bool = True) -> None:
        """Pull the stick out: lazily unmount it everywhere and/or detach the loop device
        (both by default). Open files on it fail with EIO/ENXIO from then on."""
        if unmount:
            for mountpoint in self.mounts():
                _run("umount", "--lazy", mountpoint, check=False)
        if detach and self.device is not None:
            shutil.copyfile(self.image, self._saved)
            os.truncate(self.image, 0)
            _run("losetup", "--set-capacity", self.device)
            _run("losetup", "--detach", self.device, check=False)
            self.device = None

    def reinsert(self) -> str:
        """Plug the stick back in, under the same loop device name: the kernel lets go of a
        lazily unmounted filesystem, and so of its loop device, a moment after the last file
        on it was closed; wait for that (up to RELEASE_WAIT_S), as a real stick comes back
        under its own name."""
        assert self.device is None, "pull() first"
        if self._saved.exists():
            os.replace(self._saved, self.image)
        device = f"/dev/{self.name}"
        deadline = time.monotonic() + RELEASE_WAIT_S
        while _backing(device) is not None and time.monotonic() < deadline:
            os.sync()  # writes left for the pulled stick fail now, so the kernel lets go
            time.sleep(0.02)

        return self.attach(device)

    def flip_bit(self, path: Path, offset: int | None = None) -> int:
        """Flip the lowest bit of the byte at ``offset`` (default: the middle of its first
        4 KiB) of the file at ``path`` on the mounted stick, written straight to the device
        with O_DIRECT; then the file's cached pages are dropped. The file's first 4 KiB
        (the whole file when smaller; at least 64 bytes) must occur once on the device.
        Returns the byte's offset on the device."""
        assert self.device is not None, "the stick is pulled"
        with open(path, "rb") as handle:
            head = handle.read(BLOCK)
        assert len(head) >= 64, "flip_bit needs a file of 64 bytes or more"
        offset = len(head) // 2 if offset is None else offset
        assert 0 <= offset < len(head), "flip_bit flips a byte of the file's first 4 KiB"
        os.sync()
        where = _find_on_device(self.device, head) + offset
        _flip_direct(self.device, where)
        _forget_cached(path)
        return where

    def cleanup(self) -> None:
        """Unmount (lazily if busy), end FUSE processes serving the device, detach it."""
        for mountpoint in self._all_mounts():
            if _run("umount", mountpoint, check=False).returncode:
                _run("umount", "--lazy", mountpoint, check=False)
        for device in self.attached:
            for pid in fuse_pids(device):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if _backing(device) in (str(self.image), f"{self.image} (deleted)"):
                _run("losetup", "--detach", device, check=False)
        self.device = None


def _mounts_of(devices: list[str]) -> list[str]:
    """Where any of ``devices`` is mounted now (from /proc/self/mountinfo)."""
    found = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split(" ")
        dash = fields.index("-")
        if fields[dash + 2] in devices:
            found.append(fields[4].replace("\\040", " "))
    return found


def _backing(device: str) -> str | None:
    """The file a loop device is attached to now (None when detached): another test may
    hold the same name by now."""
    name = os.path.basename(device)
    with contextlib.suppress(OSError):
        return Path(f"/sys/block/{name}/loop/backing_file").read_text().strip()
    return None


def _find_on_device(device: str, head: bytes) -> int:
    """Byte offset of the one occurrence of ``head`` on ``device`` (read with O_DIRECT)."""
    found: list[int] = []
    chunk, overlap = 4 * MIB, len(head)
    fd = os.open(device, os.O_RDONLY | os.O_DIRECT)
    buffer = mmap.mmap(-1, chunk)  # page-aligned, as O_DIRECT wants
    try:
        position, carry = 0, b""
        while True:
            read = os.preadv(fd, [buffer], position)
            if read <= 0:
                break
            data = carry + buffer[:read]
            start = position - len(carry)
            at = data.find(head)
            while at >= 0:
                found.append(start + at)
                at = data.find(head, at + 1)
            carry = data[-(overlap - 1) :] if overlap > 1 else b""
            position += read
    finally:
        buffer.close()
        os.close(fd)
    found = sorted(set(found))
    assert len(found) == 1, f"the file's first bytes occur {len(found)} times on the device"
    return found[0]


def _flip_direct(device: str, where: int) -> None:
    block_at = where - where % BLOCK
    buffer = mmap.mmap(-1, BLOCK)
    fd = os.open(device, os.O_RDWR | os.O_DIRECT)
    try:
        assert os.preadv(fd, [buffer], block_at) == BLOCK
        buffer[where - block_at] ^= 0x01
        assert os.pwritev(fd, [buffer], block_at) == BLOCK
        os.fsync(fd)
    finally:
        os.close(fd)
        buffer.close()


def _forget_cached(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    finally:
        os.close(fd)
    Path("/proc/sys/vm/drop_caches").write_text("1\n")  # FUSE and the device's cache too


def fuse_pids(device: str) -> list[int]:
    """Live (not zombie) mount.exfat-fuse processes whose arguments name ``device``."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z" and b"exfat" in argv[0] and device.encode() in argv:
                pids.append(int(entry.name))
    return pids


def _format(stick: UsbStick) -> None:
    if stick.fstype == "ext4":
        _run("mkfs.ext4", "-q", "-F", "-L", stick.label, str(stick.image))
    elif stick.fstype == "exfat":
        _run("mkfs.exfat", "-L", stick.label, str(stick.image))


@contextlib.contextmanager
def usb_stick_at(
    folder: Path,
    fstype: str | None = "ext4",
    *,
    label: str = "EYEPI TEST",
    read_only: bool = False,
    size_mib: int = 64,
) -> Iterator[UsbStick]:
    """A stick made in ``folder`` for the block, cleaned up whatever happens."""
    skip_unless_possible(fstype)
    image = folder / f"stick-{fstype or 'blank'}.img"
    with open(image, "wb") as handle:
        handle.truncate(size_mib * MIB)
    stick = UsbStick(image, fstype, label, read_only)
    _format(stick)
    stick.attach()
    try:
        yield stick
    finally:
        stick.cleanup()


@pytest.fixture
def make_usb_stick(tmp_path: Path) -> Iterator[Callable[..., UsbStick]]:
    """A factory of sticks (see ``usb_stick_at``), all cleaned up after the test."""
    with contextlib.ExitStack() as stack:
        made = iter(range(1000))

        def make(fstype: str | None = "ext4", **options: object) -> UsbStick:
            folder = tmp_path / f"stick{next(made)}"
            folder.mkdir()
            return stack.enter_context(usb_stick_at(folder, fstype, **options))  # type: ignore[arg-type]

        yield make


@pytest.fixture(params=["ext4", "exfat"])
def usb_stick(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UsbStick]:
    """A 64 MiB stick, ext4 or exFAT (the parameter), labelled "EYEPI TEST"."""
    with usb_stick_at(tmp_path, request.param) as stick:
        yield stick
