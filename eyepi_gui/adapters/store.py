"""Atomic files: temp name, fsync, rename, fsync of the directory. Never half-written."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from pathlib import Path

from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import StorageError

PART_SUFFIX = ".part"


def _temp_name(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}{PART_SUFFIX}")


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write(
    path: Path, data: bytes, *, durable: bool = True, shown: str = "", mode: int = 0o644
) -> None:
    """Replace ``path`` with ``data``: readers see the old file or the new one, never a part.

    ``durable`` fsyncs the file and its directory (station.toml, images); the rename is
    atomic either way. Raises StorageError naming the file as ``shown`` (a path relative to
    the station's home; the file name by default): absolute paths stay out of messages.
    ``mode`` is the new file's permission bits (before the umask).
    """
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
        if durable:
            fsync_dir(path.parent)
    except OSError as err:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StorageError(f"could not write {shown or path.name}: {error_reason(err)}") from err


PRIVATE = 0o600
"""Settings files and their copies: station.toml may hold network cameras' stream passwords."""
MAX_TEXT_BYTES = 1024 * 1024
"""The most a settings file may hold (bytes); station.toml is a few KiB."""
_KINDS = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
    stat.S_IFSOCK: "a socket",
    stat.S_IFLNK: "a symbolic link",
}


def read_regular(path: Path, limit: int = MAX_TEXT_BYTES, *, follow: bool = True) -> bytes | None:
    """The bytes of ``path`` (a symlink is followed unless ``follow`` is False: then it is
    refused like any other non-regular file), None when it does not exist.

    Only a regular file of at most ``limit`` bytes is read: anything else raises
    StorageError naming the file and why, before it is opened (a named pipe would block the
    open, a device like /dev/zero never end); the open never blocks all the same."""
    flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC
    try:
        _check_regular(path, os.stat(path) if follow else os.lstat(path), limit)
        fd = os.open(path, flags if follow else flags | os.O_NOFOLLOW)
    except FileNotFoundError:
        return None
    except OSError as err:
        raise StorageError(f"could not read {path.name}: {error_reason(err)}") from err
    try:
        _check_regular(path, os.fstat(fd), limit)  # the file opened may not be the one looked at
        data = _read_at_most(fd, limit + 1)  # it may have grown since
    except OSError as err:
        raise StorageError(f"could not read {path.name}: {error_reason(err)}") from err
    finally:
        os.close(fd)
    if len(data) > limit:
        raise _too_large(path, limit)
    return data


def _check_regular(path: Path, info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = _KINDS.get(stat.S_IFMT(info.st_mode), "something else")
        raise StorageError(f"could not read {path.name}: it is {kind}, not a regular file")
    if info.st_size > limit:
        raise _too_large(path, limit)


def _too_large(path: Path, limit: int) -> StorageError:
    most = f"{limit // 1024} KiB" if limit % (1024 * 1024) else f"{limit // (1024 * 1024)} MiB"
    return StorageError(f"could not read {path.name}: larger than {most}, the most it may be")


def _read_at_most(fd: int, size: int) -> bytes:
    chunks: list[bytes] = []
    left = size
    while left > 0 and (chunk := os.read(fd, min(left, 65536))):
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class AtomicTextFile:
    """A text file (station.toml) with a last-known-good copy beside it
    (``station.last-good.toml``). Implements TextStore; reads only regular files of at most
    ``MAX_TEXT_BYTES`` (``read_regular``)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last_good = path.with_name(f"{path.stem}.last-good{path.suffix}")

    def read(self) -> str | None:
        return self._read(self.path)

    def read_last_good(self) -> str | None:
        return self._read(self.last_good)

    @staticmethod
    def _read(path: Path) -> str | None:
        data = read_regular(path)
        try:
            return None if data is None else data.decode("utf-8")
        except UnicodeDecodeError as err:
            raise StorageError(f"could not read {path.name}: not UTF-8 text") from err

    def write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        atomic_write(self.path, data, mode=PRIVATE)
        atomic_write(self.last_good, data, mode=PRIVATE)

    def mark_good(self, text: str) -> None:
        data = text.encode("utf-8")
        with contextlib.suppress(StorageError):
            if read_regular(self.last_good) == data:
                return
        atomic_write(self.last_good, data, mode=PRIVATE)

    def quarantine(self) -> Path | None:
        if not self.path.is_symlink() and not self.path.exists():
            return None
        target = self._aside()
        try:
            os.replace(self.path, target)
        except FileNotFoundError:
            return None
        except OSError as err:
            raise StorageError(
                f"could not move {self.path.name} aside: {error_reason(err)}"
            ) from err
        return target

    def keep_copy(self) -> Path | None:
        data = read_regular(self.path)
        if data is None:
            return None
        target = self._aside()
        atomic_write(target, data, mode=PRIVATE)
        return target

    def _aside(self) -> Path:
        """A new name beside the file for a bad copy: ``station.toml.bad-<time>-<pid>``
        (``-2``, ``-3``... after it when taken: an earlier copy is never replaced)."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        name = f"{self.path.name}.bad-{stamp}-{os.getpid()}"
        target, n = self.path.with_name(name), 1
        while target.is_symlink() or target.exists():
            n += 1
            target = self.path.with_name(f"{name}-{n}")
        return target
