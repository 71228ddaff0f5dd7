"""Writing captures onto a mounted stick so that what carries a final name is whole, and
reading them back from the device to prove it.

Nothing on the stick is trusted: every folder is opened one part at a time relative to its
parent with O_NOFOLLOW|O_DIRECTORY, files are created O_EXCL|O_NOFOLLOW under a temporary
name, so a symlink on the stick (to /etc, say) fails the export instead of being followed,
and a device file or fifo is never opened (``lstat`` first). Each file is written to
``.<name>.part`` (by the kernel, copy_file_range, where it can; its writeback started at
once), and by ``settle`` (once per batch) made durable (syncfs), only then renamed to its
name, the folders fsynced: a stick pulled at any moment leaves no incomplete file under a
final name.

Read-back (``verify``): after the fsync the file's cached pages are dropped
(``posix_fadvise(DONTNEED)``: clean pages go, so the next read asks the filesystem) and the
file is read again and hashed. Measured here (kernel 6.x, loop sticks; the tests in
tests/adapters/test_stick_files.py keep it true), with one bit flipped in the stick's image
behind every cache:

- a plain read sees the old byte on both (the page cache answers);
- ext4: fadvise on the file is enough: its pages are read from the device again;
- exFAT through FUSE: fadvise on the file is NOT enough: exfat-fuse reads /dev/... through
  the block device's own page cache, which still holds what was written. Dropping that
  cache too (``forget_device``: fadvise on the device node, opened read-only) makes the
  read-back reach the device. The export does both before each batch's read-back.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from eyepi_gui.domain.export import EXPORT_FOLDER, MANIFEST, manifest_line, parse_manifest
from eyepi_gui.errors import StickGone, StorageError

CHUNK = 1 << 20
"""Bytes read and written at a time (and between two cancellation checks)."""
PART = ".part"
_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_NEW_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
_LIBC = ctypes.CDLL(None, use_errno=True)
_SYNC_FILE_RANGE_WRITE = 2
Tick = Callable[[int], None]
"""Called after each chunk with its size: progress, and the place to check cancellation."""


_GONE = {errno.EIO, errno.ENXIO, errno.ENODEV, errno.ENOTCONN, errno.ESHUTDOWN}


def failure(err: OSError, what: str) -> StorageError:
    """``err`` while doing ``what`` as the StorageError the job reports."""
    if err.errno in _GONE:
        return StickGone(f"the stick stopped answering while {what} (pulled out?)")
    if err.errno == errno.ENOSPC:
        return StorageError(f"the stick is full ({what})")
    if err.errno == errno.EROFS:  # ext4 turns read-only at its first I/O error, too
        return StickGone(f"the stick refused writes while {what} (write-protected, pulled out?)")
    if err.errno in (errno.ELOOP, errno.ENOTDIR, errno.EEXIST):
        return StorageError(f"{what}: the stick has a link or another file in the way")
    return StorageError(f"{what}: {err.strerror or err}")


@dataclass(frozen=True)
class _Pending:
    """A copied file waiting for ``sync``: its folder, temporary and final name, open fd."""

    dir_fd: int
    part: str
    name: str
    fd: int


class StickFolder:
    """The export folder on a stick mounted at ``mountpoint``; ``close`` when done."""

    def __init__(self, mountpoint: Path, device: str) -> None:
        self._device = device
        self._fds: dict[str, int] = {}
        self._manifest: int | None = None
        self._pending: dict[str, _Pending] = {}
        try:
            root = os.open(mountpoint, _DIR_FLAGS)
            try:
                self._fds[""] = _subfolder(root, EXPORT_FOLDER)
            finally:
                os.close(root)
        except OSError as err:
            raise failure(err, f"opening {EXPORT_FOLDER}/ on the stick") from err

    def close(self) -> None:
        """Close every folder, temporary file and the manifest (nothing is synced: see
        ``sync``; temporaries not synced stay as leftovers, replaced by the next copy)."""
        pending = [p.fd for p in self._pending.values()]
        self._pending.clear()
        for fd in [*pending, *self._fds.values(), *([self._manifest] if self._manifest else [])]:
            with suppress(OSError):
                os.close(fd)
        self._fds.clear()
        self._manifest = None

    def forget_cache(self) -> None:
        """Drop the device's cached pages (``forget_device``) before a read-back."""
        forget_device(self._device)

    def folder(self, relative: str) -> int:
        """The fd of folder ``relative`` (made when missing), each part opened O_NOFOLLOW."""
        if relative in self._fds:
            return self._fds[relative]
        parent, _, name = relative.rpartition("/")
        parent_fd = self.folder(parent)
        try:
            fd = _subfolder(parent_fd, name)
        except OSError as err:
            raise failure(err, f"opening the folder {relative}/ on the stick") from err
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

    def record(self, sha256: str, relative: str) -> None:
        """Append a verified file's line to the manifest (durable at the next ``sync``; a
        line cut short by a pull is ignored when read)."""
        try:
            if self._manifest is None:
                self._manifest = _open_manifest(self._fds[""])
            os.write(self._manifest, manifest_line(sha256, relative).encode())
        except OSError as err:
            raise failure(err, f"writing {MANIFEST}") from err

    def copy(self, source: str, relative: str, tick: Tick) -> None:
        """Copy the file ``source`` to a temporary name beside ``relative`` (under
        EXPORT_FOLDER) and start its writeback. ``settle`` fsyncs it and only then renames
        it to ``relative``; ``verify`` then proves what the stick holds."""
        folder, _, name = relative.rpartition("/")
        dir_fd = self.folder(folder)
        part = f".{name}{PART}"
        _remove_leftover(dir_fd, part)
        try:
            _check_in_the_way(dir_fd, name)
            fd = _write_part(source, dir_fd, part, tick)
        except OSError as err:
            raise failure(err, f"copying {relative}") from err
        self._pending[relative] = _Pending(dir_fd, part, name, fd)

    def write(self, relative: str, chunks: Iterable[bytes], tick: Tick) -> None:
        """Write ``chunks`` as the new file ``relative`` (under EXPORT_FOLDER), as ``copy``
        and ``settle`` do for a copy: to a temporary name beside it, fsynced, only then
        renamed, the folder fsynced. A pull at any moment leaves no part under its name; work
        that fails (the chunks' maker, a cancel) takes its temporary file away."""
        folder, _, name = relative.rpartition("/")
        dir_fd = self.folder(folder)
        part = f".{name}{PART}"
        _remove_leftover(dir_fd, part)
        try:
            _check_in_the_way(dir_fd, name)
            fd = os.open(part, _NEW_FLAGS, 0o644, dir_fd=dir_fd)
            try:
                _write_all(fd, chunks, tick)
                os.fsync(fd)
            except BaseException:
                with suppress(OSError):
                    os.unlink(part, dir_fd=dir_fd)
                raise
            finally:
                os.close(fd)
            os.rename(part, name, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
            os.fsync(dir_fd)
        except OSError as err:
            raise failure(err, f"writing {relative}") from err

    def verify(self, relative: str, tick: Tick) -> str:
        """SHA-256 of ``relative`` read back after dropping its cached pages."""
        folder, _, name = relative.rpartition("/")
        dir_fd = self.folder(folder)
        try:
            if not stat.S_ISREG(os.lstat(name, dir_fd=dir_fd).st_mode):
                raise StorageError(f"{relative} on the stick is not a plain file")
            fd = os.open(name, _READ_FLAGS, dir_fd=dir_fd)
        except OSError as err:
            raise failure(err, f"reading {relative} back") from err
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise StorageError(f"{relative} on the stick is not a plain file")
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
            os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_WILLNEED)  # reads ahead while hashing
            return _hash_fd(fd, tick)
        except OSError as err:
            raise failure(err, f"reading {relative} back") from err
        finally:
            os.close(fd)

    def remove(self, relative: str) -> None:
        """Remove ``relative`` (a file that failed verification); a link is removed itself."""
        folder, _, name = relative.rpartition("/")
        pending = self._pending.pop(relative, None)
        if pending is not None:
            os.close(pending.fd)
            name = pending.part
        try:
            os.unlink(name, dir_fd=self.folder(folder))
        except FileNotFoundError:
            pass
        except OSError as err:
            raise failure(err, f"removing {relative}") from err

    def settle(self, relatives: Iterable[str]) -> None:
        """Give the copies of ``relatives`` their names: made durable (one syncfs for them
        all, which does for each what its fsync would, in one journal commit), only then
        renamed; their folders fsynced. Writeback started at each copy, so the sync mostly
        finds the data written already. (May run on another thread than ``copy``.)"""
        folders = set()
        settling = [(relative, self._pending[relative]) for relative in relatives]
        if settling:
            try:  # one syncfs makes every one durable: a journal commit, not one per file
                _syncfs(settling[0][1].fd)
            except OSError as err:
                raise failure(err, "writing to the stick") from err
        for relative, _ in settling:
            pending = self._pending.pop(relative)
            try:
                folder = pending.dir_fd
                os.rename(pending.part, pending.name, src_dir_fd=folder, dst_dir_fd=folder)
            except OSError as err:
                raise failure(err, f"copying {relative}") from err
            finally:
                os.close(pending.fd)
            folders.add(pending.dir_fd)
        try:
            for fd in folders:
                os.fsync(fd)
        except OSError as err:
            raise failure(err, "writing to the stick") from err

    def sync_manifest(self) -> None:
        """fsync the manifest (its lines durable; the files it names were settled)."""
        try:
            if self._manifest is not None:
                os.fsync(self._manifest)
        except OSError as err:
            raise failure(err, f"writing {MANIFEST}") from err

    def sync(self) -> None:
        """Make what was written durable: the manifest fsynced, then the whole filesystem
        (syncfs through the folder's fd). Copies get their names only by ``settle``."""
        try:
            if self._manifest is not None:
                os.fsync(self._manifest)
            os.fsync(self._fds[""])
            _syncfs(self._fds[""])
        except OSError as err:
            raise failure(err, "writing to the stick") from err


def _syncfs(fd: int) -> None:
    """syncfs(2) on the filesystem of ``fd`` (Python has no os.syncfs): only the stick is
    written out, not the data disk too as sync(2) would."""
    if _LIBC.syncfs(fd) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


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


def _open_manifest(folder: int) -> int:
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    fd = os.open(MANIFEST, flags, 0o644, dir_fd=folder)
    try:
        found = os.fstat(fd)
        if not stat.S_ISREG(found.st_mode):
            raise StorageError(f"{MANIFEST} on the stick is not a plain file")
        if found.st_size and os.pread(fd, 1, found.st_size - 1) != b"\n":
            os.write(fd, b"\n")  # a line cut short by a pull stays apart from the next one
    except BaseException:
        os.close(fd)
        raise
    return fd


def _subfolder(parent: int, name: str) -> int:
    """Open (making it when missing) folder ``name`` in ``parent``, never through a link."""
    with suppress(FileExistsError):
        os.mkdir(name, 0o755, dir_fd=parent)
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


def _write_part(source: str, dir_fd: int, part: str, tick: Tick) -> int:
    """Copy ``source`` to the new file ``part`` in the kernel (copy_file_range: no trip
    through this process, as cp does it); its fd, open, writeback started."""
    src = os.open(source, _READ_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(src).st_mode):
            raise StorageError(f"{source} is not a plain file")
        os.posix_fadvise(src, 0, 0, os.POSIX_FADV_SEQUENTIAL)
        dst = os.open(part, _NEW_FLAGS, 0o644, dir_fd=dir_fd)
        try:
            _copy_range(src, dst, tick)
            _start_writeback(dst)
            return dst
        except BaseException:
            os.close(dst)
            raise
    finally:
        os.close(src)


def _copy_range(src: int, dst: int, tick: Tick) -> None:
    """Copy all of ``src`` to ``dst`` CHUNK at a time (a tick after each); through a
    buffer where the kernel cannot copy between the two filesystems (EXDEV, EINVAL)."""
    try:
        while copied := os.copy_file_range(src, dst, CHUNK):
            tick(copied)
        return
    except OSError as err:
        if err.errno not in (errno.EXDEV, errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while read := os.readv(src, [buffer]):
        written = 0
        while written < read:
            written += os.write(dst, view[written:read])
        tick(read)


def _write_all(fd: int, chunks: Iterable[bytes], tick: Tick) -> None:
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            view = view[os.write(fd, view) :]
        tick(len(chunk))


def _start_writeback(fd: int) -> None:
    """sync_file_range(SYNC_FILE_RANGE_WRITE): the kernel starts writing the file's dirty
    pages now, without waiting (the fsync at ``sync`` then mostly finds them written)."""
    if _LIBC.sync_file_range(fd, ctypes.c_int64(0), ctypes.c_int64(0), _SYNC_FILE_RANGE_WRITE):
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code))


def _hash_fd(fd: int, tick: Tick) -> str:
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK)
    view = memoryview(buffer)
    while read := os.readv(fd, [buffer]):
        digest.update(view[:read])
        tick(read)
    return digest.hexdigest()
