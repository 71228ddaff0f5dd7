"""Image files under the station home: ``images/`` for kept captures, ``latest/`` per camera."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from eyepi_gui.adapters.store import PART_SUFFIX, atomic_write
from eyepi_gui.errors import StorageError


class ImageFolder:
    """Implements ImageStore. Paths given to ``write`` are relative to ``images/``."""

    def __init__(self, home: Path) -> None:
        self.images = home / "images"
        self.latest = home / "latest"

    def write(self, relative: str, data: bytes) -> Path:
        path = self._inside(self.images / relative)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"could not create {path.parent}: {err.strerror}") from err
        atomic_write(path, data)
        return path

    def exists(self, relative: str) -> bool:
        return (self.images / relative).exists()

    def write_latest(self, camera_id: str, jpeg: bytes) -> Path:
        path = self._inside(self.latest / f"{camera_id}.jpg")
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, jpeg, durable=False)  # replaced every capture; the kept copy is durable
        return path

    def latest_path(self, camera_id: str) -> Path | None:
        path = self.latest / f"{camera_id}.jpg"
        return path if path.exists() else None

    def kept_file(self, path: str) -> Path | None:
        resolved = Path(os.path.realpath(path))
        inside = resolved.is_relative_to(Path(os.path.realpath(self.images)))
        return resolved if inside and resolved.is_file() else None

    def remove(self, path: Path) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._inside(path).unlink()

    def sweep_partial(self) -> int:
        removed = 0
        for root in (self.images, self.latest):
            for part in root.rglob(f".*{PART_SUFFIX}") if root.exists() else ():
                with contextlib.suppress(OSError):
                    part.unlink()
                    removed += 1
        return removed

    def _inside(self, path: Path) -> Path:
        resolved = Path(os.path.abspath(path))
        if not any(resolved.is_relative_to(root.absolute()) for root in (self.images, self.latest)):
            raise StorageError(f"refusing to touch {path}: outside the image folders")
        return resolved
