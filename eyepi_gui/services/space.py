"""The free-space floor: nothing the station writes takes a volume below it."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path

from eyepi_gui.domain.sizes import MIB, mib
from eyepi_gui.errors import StorageError
from eyepi_gui.ports import VolumeProbe
from eyepi_gui.services.access import internal, reads
from eyepi_gui.services.config import SettingsService

__all__ = ["MIB", "FreeSpace", "mib"]


class FreeSpace:
    """Space on the volumes images are written to, in bytes: ``images/`` (kept captures and
    test shots; the one the status shows, whatever disk is mounted there) and ``latest/``.

    A capture is checked against the floor (``free_space_floor_mib``) before its first byte
    is written and counted as reserved while it is written, so two cameras saving at once
    cannot both take the last room. A camera's next capture is expected to be as large as
    its last one."""

    def __init__(
        self, config: SettingsService, volume: VolumeProbe, images: Path, latest: Path
    ) -> None:
        self._config, self._volume = config, volume
        self._folders = {"images": images, "latest": latest}
        self._reserved: dict[int, int] = {}  # volume -> bytes being written now
        self._expected: dict[str, int] = {}  # camera -> bytes of its last capture
        self._lock = threading.Lock()

    @reads
    def free_bytes(self) -> int:
        """Free space on the volume of ``images/``."""
        return self._volume.free_bytes(self._folders["images"])

    @reads
    def total_bytes(self) -> int:
        return self._volume.total_bytes(self._folders["images"])

    @reads
    def floor_bytes(self) -> int:
        return self._config.current().free_space_floor_mib * MIB

    @reads
    def problem(self, camera_id: str | None = None) -> str | None:
        """Why the camera's next capture (any camera's, for None) cannot be written now, or
        None when there is room above the floor."""
        with self._lock:
            if camera_id is None:
                camera_id = max(self._expected, key=self._expected.__getitem__, default=None)
            expected = self._expected.get(camera_id, 0) if camera_id else 0
            needs = self._needs({"images": expected, "latest": 0})
            return self._problem(needs, f"the next capture of {camera_id}")

    @internal
    def check(self, camera_id: str) -> None:
        """Raise StorageError (saying free space and floor) unless the camera's next
        capture fits above the floor."""
        problem = self.problem(camera_id)
        if problem:
            raise StorageError(problem)

    @internal
    @contextlib.contextmanager
    def reserve(self, camera_id: str, sizes: dict[str, int]) -> Iterator[None]:
        """Hold room for a capture while it is written: ``sizes`` are bytes per folder
        ("images", "latest"). Raises StorageError when it would go below the floor."""
        with self._lock:
            needs = self._needs(sizes)
            problem = self._problem(needs, None)
            if problem:
                raise StorageError(problem)
            self._count(needs, +1)
        try:
            yield
        finally:
            with self._lock:
                self._count(needs, -1)
                self._expected[camera_id] = sum(sizes.values())

    def _needs(self, sizes: dict[str, int]) -> dict[int, tuple[str, int]]:
        """Bytes per volume, with the first folder on it (two folders may share one)."""
        needs: dict[int, tuple[str, int]] = {}
        for folder, size in sizes.items():
            volume = self._volume.volume_of(self._folders[folder])
            name, before = needs.get(volume, (folder, 0))
            needs[volume] = (name, before + size)
        return needs

    def _problem(self, needs: dict[int, tuple[str, int]], expected_of: str | None) -> str | None:
        """Why ``needs`` do not fit; ``expected_of`` names the capture they are expected for
        (None: the capture being written)."""
        floor = self.floor_bytes()
        for volume, (folder, need) in needs.items():
            free = self._volume.free_bytes(self._folders[folder]) - self._reserved.get(volume, 0)
            if free - need < floor:
                return _refusal(folder, free, need, floor, expected_of)
        return None

    def _count(self, needs: dict[int, tuple[str, int]], sign: int) -> None:
        for volume, (_, need) in needs.items():
            self._reserved[volume] = self._reserved.get(volume, 0) + sign * need


def _refusal(folder: str, free: int, need: int, floor: int, expected_of: str | None) -> str:
    """The numbers that decide a refusal: free space rounded down, the need rounded up and
    the floor in whole MiB, so that they always bear the refusal out. ``expected_of`` names
    a capture not taken yet, expected as large as that camera's last."""
    where, keep = f"the disk of {folder}/", f"{mib(floor)} must stay free (free_space_floor_mib)"
    if free < floor or not need:
        return (
            f"{where} is at its free-space floor: {mib(free)} free, {keep}; nothing more is "
            "written until space is freed"
        )
    needed = mib(need, up=True)
    if expected_of:
        what = f"{expected_of} is expected to need {needed} (as large as its last)"
    else:
        what = f"this capture needs {needed}"
    return f"not enough space on {where}: {mib(free)} free, {what} and {keep}"
