"""Free and total space of a volume (implements VolumeProbe)."""

from __future__ import annotations

import os
from pathlib import Path


class StatvfsProbe:
    """Space available to this (unprivileged) process, via statvfs, in bytes."""

    def free_bytes(self, path: Path) -> int:
        st = os.statvfs(_existing(path))
        return st.f_bavail * st.f_frsize

    def total_bytes(self, path: Path) -> int:
        st = os.statvfs(_existing(path))
        return st.f_blocks * st.f_frsize


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path
