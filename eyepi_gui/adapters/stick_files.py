"""Writing captures onto a mounted stick so that what carries a final name is whole, and
reading them back from the device to prove it.

Nothing on the stick is trusted: every folder is opened one part at a time relative to its
parent with O_NOFOLLOW|O_DIRECTORY, files are created O_EXCL|O_NOFOLLOW under a temporary
name, so a symlink on the stick (to /etc, say) fails the export instead of being followed,
and a device file or fifo is never opened (``lstat`` first). Each file is written to
``.<name>.part``, hashed as it is written, fsynced, renamed to its name and the folder
fsynced: a stick pulled at any moment leaves no incomplete file under a final name.

Read-back (``verify``): after the fsync the file's cached pages are dropped
(``posix_fadvise(DONTNEED)``: clean pages go, so the next read asks the filesystem) and the
file is read again and hashed. Measured (tests/adapters/test_stick_files.py): on ext4 this
alone re-reads the device (a bit flipped on the device behind the cache is seen). exFAT
through FUSE keeps a second copy in the block device's own cache (exfat-fuse reads
/dev/... through it): there the device node's cache is dropped too (``forget_device``,
fadvise on the device opened read-only), after which the flip is seen as well.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from eyepi_gui.domain.export import EXPORT_FOLDER, MANIFEST, manifest_line, parse_manifest
from eyepi_gui.errors import StorageError

CHUNK = 1 << 20
"""Bytes read and written at a time (and between two cancellation checks)."""
PART = ".part"
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
Tick = Callable[[int], None]
"""Called after each chunk with its size: progress, and the place to check cancellation."""


class StickGone(StorageError):
    """The stick stopped answering (pulled out, or failing): EIO, ENXIO, ENODEV, ENOTCONN."""


_GONE = {errno.EIO, errno.ENXIO, errno.ENODEV, errno.ENOTCONN, errno.ESHUTDOWN}


def failure(err: OSError, what: str) -> StorageError:
    """``err`` while doing ``what`` as the StorageError the job reports."""
    if err.errno in _GONE:
        return StickGone(f"the stick stopped answering while {what} (pulled out?)")
    if err.errno == errno.ENOSPC:
        return StorageError(f"the stick is full ({what})")
    if err.errno == errno.EROFS:
        return StorageError("the stick is read-only (write-protected?): nothing was written")
    if err.errno in (errno.ELOOP, errno.ENOTDIR, errno.EEXIST):
        return StorageError(f"{what}: the stick has a link or another file in the way")
    return StorageError(f"{what}: {err.strerror or err}")


class StickFolder:
    """The export folder on a stick mounted at ``mountpoint``; ``close`` when done."""

    def __init__(self, mountpoint: Path) -> None:
        self._fds: dict[str, int] = {}
        try:
            root = os.open(mountpoint, _DIR_FLAGS)
            try:
                self._fds[""] = _subfolder(root, EXPORT_FOLDER)
            finally:
                os.close(root)
        except OSError as err:
            raise failure(err, f"opening {EXPORT_FOLDER}/ on the stick") from err

    def close(self) -> None:
        for fd in self._fds.values():
            os.close(fd)
        self._fds.clear()

    def folder(self, relative: str) -> int:
        """The fd of folder ``relative`` (made when missing), each part opened O_NOFOLLOW."""
        if relative in self._fds:
            return self._fds[relative]
        parent, _, name = relative.rpartition("/")
        fd = _subfolder(self.folder(parent), name)
        self._fds[relative] = fd
        return fd

    def manifest(self) -> dict[str, str]:
        """The manifest's entries (none when there is none yet, or it is no plain file)."""
        try:
            fd = os.open(MANIFEST, _READ_FLAGS, dir_fd=self._fds[""])
        except FileNotFoundError:
            return {}
        except OSError as err:
            raise failure(err, f"reading {MANIFEST}") from err
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise StorageError(f"{MANIFEST} on the stick is not a plain file")
            return parse_manifest(handle.read().decode("utf-8", "replace"))

    @contextmanager
    def manifest_writer(self) -> Iterator[Callable[[str, str], None]]:
        """A function appending a verified file's line to the manifest; fsynced at the end
        and by ``sync_manifest``. A line cut short by a pull is ignored when read."""
        name = MANIFEST
        try:
            fd = os.open(
                name, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644,
                dir_fd=self._fds[""],
            )  # fmt: skip
        except OSError as err:
            raise failure(err, f"opening {MANIFEST}") from err
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StorageError(f"{MANIFEST} on the stick is not a plain file")

            def add(sha256: str, relative: str) -> None:
                try:
                    os.write(fd, manifest_line(sha256, relative).encode())
                except OSError as err:
                    raise failure(err, f"writing {MANIFEST}") from err

            yield add
            try:
                os.fsync(fd)
            except OSError as err:
                raise failure(err, f"writing {MANIFEST}") from err
        finally:
            os.close(fd)

    def copy(self, source: str, relative: str, tick: Tick) -> str:
        """Copy the file ``source`` to ``relative`` (under EXPORT_FOLDER) through a temporary
        name, fsync, rename; returns its SHA-256 as read from ``source``."""
        folder, _, name = relative.rpartition("/")
        dir_fd = self.folder(folder)
        part = f".{name}{PART}"
        _remove_leftover(dir_fd, part)
        try:
            digest = _copy_into(source, dir_fd, part, tick)
            _check_in_the_way(dir_fd, name)
            os.rename(part, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            os.fsync(dir_fd)
        except OSError as err:
            raise failure(err, f"copying {relative}") from err
        return digest

    def verify(self, relative: str, tick: Tick) -> str:
        """SHA-256 of ``relative`` read back after dropping its cached pages."""
        folder, _, name = relative.rpartition("/")
        try:
            fd = os.open(name, _READ_FLAGS, dir_fd=self.folder(folder))
        except OSError as err:
            raise failure(err, f"reading {relative} back") from err
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StorageError(f"{relative} on the stick is not a plain file")
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            return _hash_fd(fd, tick)
        except OSError as err:
            raise failure(err, f"reading {relative} back") from err
        finally:
            os.close(fd)

    def remove(self, relative: str) -> None:
        """Remove ``relative`` (a file that failed verification); a link is removed itself."""
        folder, _, name = relative.rpartition("/")
        try:
            os.unlink(name, dir_fd=self.folder(folder))
        except FileNotFoundError:
            pass
        except OSError as err:
            raise failure(err, f"removing {relative}") from err

    def sync(self) -> None:
        """Write the stick's cached data (syncfs)."""
        try:
            os.fsync(self._fds[""])
            os.sync()
        except OSError as err:
            raise failure(err, "writing to the stick") from err


def forget_device(device: str) -> None:
    """Drop the cached pages of block device ``device`` (read-only open, fadvise): what a
    FUSE filesystem reads through it is read from the device again. Best effort."""
    try:
        fd = os.open(device, os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK)
    except OSError:
        return
    try:
        os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
    except OSError:
        pass
    finally:
        os.close(fd)


def hash_file(path: str, tick: Tick) -> str:
    """SHA-256 of the plain file ``path`` (not followed when a link)."""
    fd = os.open(path, _READ_FLAGS)
    try:
        return _hash_fd(fd, tick)
    finally:
        os.close(fd)


def _subfolder(parent: int, name: str) -> int:
    """Open (making it when missing) folder ``name`` in ``parent``, never through a link."""
    try:
        os.mkdir(name, 0o755, dir_fd=parent)
    except FileExistsError:
        pass
    return os.open(name, _DIR_FLAGS, dir_fd=parent)


def _remove_leftover(dir_fd: int, part: str) -> None:
    """A temporary file of an earlier, interrupted copy goes (a link is unlinked itself)."""
    try:
        os.unlink(part, dir_fd=dir_fd)
    except FileNotFoundError:
        pass
    except OSError as err:
        raise failure(err, f"removing the leftover {part}") from err


def _check_in_the_way(dir_fd: int, name: str) -> None:
    """A folder under the final name would make rename fail confusingly: say so."""
    try:
        found = os.lstat(name, dir_fd=dir_fd)
    except FileNotFoundError:
        return
    if stat.S_ISDIR(found.st_mode):
        raise StorageError(f"a folder named {name} is in the way on the stick")


def _copy_into(source: str, dir_fd: int, part: str, tick: Tick) -> str:
    src = os.open(source, _READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(src).st_mode):
            raise StorageError(f"{source} is not a plain file")
        dst = os.open(part, _NEW_FLAGS, 0o644, dir_fd=dir_fd)
        try:
            digest = hashlib.sha256()
            buffer = bytearray(CHUNK)
            view = memoryview(buffer)
            while read := os.readv(src, [buffer]):
                chunk = view[:read]
                digest.update(chunk)
                written = 0
                while written < read:
                    written += os.write(dst, chunk[written:])
                tick(read)
            os.fsync(dst)
            os.posix_fadvise(dst, 0, 0, os.POSIX_FADV_DONTNEED)
            return digest.hexdigest()
        finally:
            os.close(dst)
    finally:
        os.close(src)


def _hash_fd(fd: int, tick: Tick) -> str:
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while read := os.readv(fd, [buffer]):
        digest.update(view[:read])
        tick(read)
    return digest.hexdigest()
