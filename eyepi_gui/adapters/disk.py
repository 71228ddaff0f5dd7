"""Free and total space of a volume (implements VolumeProbe)."""

from __future__ import annotations

import os
from pathlib import Path

from eyepi_gui.errors import StorageError


class StatvfsProbe:
    """Space available to this (unprivileged) process, via statvfs, in bytes. A folder not
    made yet is measured on the volume that will hold it. Raises StorageError."""

    def free_bytes(self, path: Path) -> int:
        st = _statvfs(path)
        return st.f_bavail * st.f_frsize

    def total_bytes(self, path: Path) -> int:
        st = _statvfs(path)
        return st.f_blocks * st.f_frsize

    def volume_of(self, path: Path) -> int:
        """The device number of the volume holding ``path`` (equal for one volume)."""
        try:
            return os.stat(_existing(path)).st_dev
        except OSError as err:
            raise StorageError(f"could not look at {path.name}: {err.strerror}") from err


def _statvfs(path: Path) -> os.statvfs_result:
    try:
        return os.statvfs(_existing(path))
    except OSError as err:
        raise StorageError(f"could not measure the space of {path.name}: {err.strerror}") from err


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
