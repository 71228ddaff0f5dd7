"""A real small filesystem for tests: a tmpfs of a few MiB mounted on a folder (root only).

``small_disk`` mounts it and always unmounts what it mounted; it skips, saying why, when not
root, when ``mount`` is missing or when the kernel refuses. ``fill`` leaves an exact number
of bytes free on it (tmpfs counts whole 4 KiB pages).
"""

import contextlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest

MIB = 2**20
PAGE = 4096


@contextlib.contextmanager
def small_disk(path: Path, size_mib: int = 8):
    """Mount a tmpfs of ``size_mib`` MiB on ``path`` (made if missing) for the block."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if not mount or not umount:
        pytest.skip("mount and umount are needed to mount a small tmpfs")
    path.mkdir(parents=True, exist_ok=True)
    options = f"size={size_mib}m,mode=0755"
    done = _run([mount, "-t", "tmpfs", "-o", options, "tmpfs", str(path)])
    if done.returncode:
        pytest.skip(f"could not mount a tmpfs on {path}: {done.stderr.strip()}")
    try:
        yield path
    finally:
        _unmount(umount, path)


def _run(argv):
    return subprocess.run(argv, capture_output=True, text=True, timeout=30, check=False)


def _unmount(umount: str, path: Path) -> None:
    if _run([umount, str(path)]).returncode:
        # still busy (a file left open): detach it now; the kernel frees it when closed
        _run([umount, "--lazy", str(path)])
    assert not os.path.ismount(path), f"{path} is still mounted"


def free_bytes(path: Path) -> int:
    st = os.statvfs(path)
    return st.f_bavail * st.f_frsize


def fill(disk: Path, leave: int) -> Path:
    """Take the disk's space but ``leave`` bytes (a multiple of PAGE) with one filler file,
    made larger or smaller on each call."""
    assert leave % PAGE == 0, "tmpfs counts whole pages"
    filler = disk / "filler.bin"
    size = filler.stat().st_size if filler.exists() else 0
    target = size + free_bytes(disk) - leave
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
    try:
        os.ftruncate(fd, min(size, target))
        if target > size:
            os.posix_fallocate(fd, 0, target)
    finally:
        os.close(fd)
    assert free_bytes(disk) == leave
    return filler
