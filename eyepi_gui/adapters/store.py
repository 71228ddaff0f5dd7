"""Atomic files: temp name, fsync, rename, fsync of the directory. Never half-written."""

from __future__ import annotations

import contextlib
import os
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


def atomic_write(path: Path, data: bytes, *, durable: bool = True, shown: str = "") -> None:
    """Replace ``path`` with ``data``: readers see the old file or the new one, never a part.

    ``durable`` fsyncs the file and its directory (station.toml, images); the rename is
    atomic either way. Raises StorageError naming the file as ``shown`` (a path relative to
    the station's home; the file name by default): absolute paths stay out of messages.
    """
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
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


class AtomicTextFile:
    """A text file (station.toml) with a last-known-good copy beside it. Implements TextStore."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.last_good = path.with_name(f"{path.stem}.last-good{path.suffix}")

    def read(self) -> str | None:
        return self._read(self.path)

    def read_last_good(self) -> str | None:
        return self._read(self.last_good)

    @staticmethod
    def _read(path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as err:
            raise StorageError(f"could not read {path.name}: {error_reason(err)}") from err
        except UnicodeDecodeError as err:
            raise StorageError(f"could not read {path.name}: not UTF-8 text") from err

    def write(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = text.encode("utf-8")
        atomic_write(self.path, data)
        atomic_write(self.last_good, data)

    def mark_good(self) -> None:
        current = self.path.read_bytes()
        with contextlib.suppress(OSError):
            if self.last_good.read_bytes() == current:
                return
        atomic_write(self.last_good, current)

    def quarantine(self) -> Path | None:
        if not self.path.exists():
            return None
        target = self._aside()
        try:
            os.replace(self.path, target)
        except OSError as err:
            raise StorageError(
                f"could not move {self.path.name} aside: {error_reason(err)}"
            ) from err
        return target

    def keep_copy(self) -> Path | None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as err:
            reason = err.strerror or type(err).__name__
            raise StorageError(f"could not read {self.path.name}: {reason}") from err
        target = self._aside()
        atomic_write(target, data)
        return target

    def _aside(self) -> Path:
        """A new name beside the file for a bad copy: ``station.toml.bad-<time>-<pid>``."""
        stamp = time.strftime("%Y%m%d-%H%M%S")
        return self.path.with_name(f"{self.path.name}.bad-{stamp}-{os.getpid()}")
