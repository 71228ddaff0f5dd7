"""Image files under the station home: ``images/`` for kept captures, ``latest/`` per camera."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path
from typing import BinaryIO

from eyepi_gui.adapters.store import PART_SUFFIX, atomic_write
from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import NotFound, StorageError, Unavailable

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISLNK, "a symbolic link"),
    (stat.S_ISFIFO, "a FIFO"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
)


class ImageFolder:
    """Implements ImageStore. Paths given to ``write`` are relative to ``images/``; messages
    name files relative to the home ("images/sim-1/2026-06-01/x.jpg"), never absolutely."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.images = home / "images"
        self.latest = home / "latest"

    def write(self, relative: str, data: bytes) -> Path:
        return self._write(self.images / relative, data, durable=True)

    def exists(self, relative: str) -> bool:
        return (self.images / relative).exists()

    def write_latest(self, camera_id: str, jpeg: bytes) -> Path:
        # replaced every capture; the kept copy is durable
        return self._write(self.latest / f"{camera_id}.jpg", jpeg, durable=False)

    def latest_path(self, camera_id: str) -> Path | None:
        """``latest/<camera>.jpg`` when it is a regular file (the station writes no other
        kind there: a directory, FIFO or symbolic link in its place is not an image)."""
        path = self.latest / f"{camera_id}.jpg"
        try:
            return path if stat.S_ISREG(path.lstat().st_mode) else None
        except OSError:
            return None

    def open_latest(self, camera_id: str) -> BinaryIO:
        """The camera's latest image, opened for reading; never blocks (a FIFO in its place
        is refused, not read). Raises NotFound when there is none yet, Unavailable when the
        name holds something other than a readable regular file."""
        path = self._inside(self.latest / f"{camera_id}.jpg")
        return self._open_image(path, f"camera {camera_id} has no image yet")

    def open_kept(self, path: str) -> BinaryIO:
        resolved = Path(os.path.realpath(path))
        gone, root = "this image is no longer on this station", Path(os.path.realpath(self.images))
        if resolved == root or not resolved.is_relative_to(root):
            raise NotFound(gone)
        return self._open_image(resolved, gone)

    def _open_image(self, path: Path, missing: str) -> BinaryIO:
        """``path`` opened for reading when it is a regular file, without blocking and
        without following a last symbolic link; NotFound (``missing``) or Unavailable."""
        flags = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC
        try:
            fd = os.open(path, flags)
        except FileNotFoundError as err:
            raise NotFound(missing) from err
        except OSError as err:
            kind = _kind(path)
            why = f"it is {kind}, not an image file" if kind else error_reason(err)
            raise Unavailable(f"cannot read {self._shown(path)}: {why}") from err
        kind = _kind_of(os.fstat(fd).st_mode)
        if kind:
            os.close(fd)
            raise Unavailable(f"cannot read {self._shown(path)}: it is {kind}, not an image file")
        return os.fdopen(fd, "rb")

    def remove(self, path: Path) -> None:
        path = self._inside(path)
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as err:
            raise StorageError(
                f"could not remove {self._shown(path)}: {error_reason(err)}"
            ) from err

    def sweep_partial(self) -> int:
        removed = 0
        for root in (self.images, self.latest):
            for part in root.rglob(f".*{PART_SUFFIX}") if root.exists() else ():
                with contextlib.suppress(OSError):
                    part.unlink()
                    removed += 1
        return removed

    def _write(self, path: Path, data: bytes, *, durable: bool) -> Path:
        path = self._inside(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            shown = self._shown(path.parent)
            raise StorageError(f"could not create {shown}: {error_reason(err)}") from err
        atomic_write(path, data, durable=durable, shown=self._shown(path))
        return path

    def _shown(self, path: Path) -> str:
        """``path`` as messages name it: relative to the home."""
        return Path(os.path.abspath(path)).relative_to(self.home.absolute()).as_posix()

    def _inside(self, path: Path) -> Path:
        resolved = Path(os.path.abspath(path))
        if not any(resolved.is_relative_to(root.absolute()) for root in (self.images, self.latest)):
            raise StorageError(f"refusing to touch {path.name}: outside the image folders")
        return resolved


def _kind_of(mode: int) -> str | None:
    """What a file of ``mode`` is when not a regular file ("a directory"), else None."""
    return next((kind for test, kind in _KINDS if test(mode)), None)


def _kind(path: Path) -> str | None:
    try:
        return _kind_of(path.lstat().st_mode)
    except OSError:
        return None
