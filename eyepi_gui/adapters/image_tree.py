"""The kept image files as they lie in ``images/<camera>/<date>/`` (implements ``ImageListing``).

Paths are absolute text built the way ``ImageFolder.write`` builds them (``os.path.abspath``),
so they compare equal to the paths in the capture index.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

SIDECAR = ".json"
_MAX_SIDECAR = 1 << 20  # bytes; a capture's sidecar is a few kB


class ImageTree:
    def __init__(self, images: Path) -> None:
        self.root = os.path.abspath(images)
        self._inside = os.path.realpath(images) + os.sep

    def folders(self) -> list[str]:
        return [day for camera in _subfolders(self.root) for day in _subfolders(camera)]

    def files(self, folder: str) -> list[str]:
        try:
            names = os.listdir(folder)  # no file types: a folder here is no image and no row
        except OSError:
            return []
        return [n for n in names if not n.endswith(SIDECAR) and not n.startswith(".")]

    def size_of(self, path: str) -> int | None:
        real = os.path.realpath(path)
        try:
            found = os.stat(real)
        except OSError:
            return None
        inside = real.startswith(self._inside) and stat.S_ISREG(found.st_mode)
        return found.st_size if inside else None

    def sidecar(self, image: str) -> bytes | None:
        path = os.path.splitext(image)[0] + SIDECAR
        if self.size_of(path) is None:
            return None
        try:
            with open(path, "rb") as file:
                return file.read(_MAX_SIDECAR)
        except OSError:
            return None

    def has_images(self) -> bool:
        """True when any camera folder holds anything (a station that has captured)."""
        return any(_any_entry(camera) for camera in _subfolders(self.root))


def _subfolders(folder: str) -> list[str]:
    """Folders directly in ``folder`` (not hidden, not symlinks), sorted; [] if unreadable."""
    try:
        with os.scandir(folder) as entries:
            names = sorted(
                e.name
                for e in entries
                if not e.name.startswith(".") and e.is_dir(follow_symlinks=False)
            )
    except OSError:
        return []
    return [os.path.join(folder, name) for name in names]


def _any_entry(folder: str) -> bool:
    try:
        with os.scandir(folder) as entries:
            return any(True for _ in entries)
    except OSError:
        return False
