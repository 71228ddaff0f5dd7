"""The station's volumes (the data disk and removable drives) and how long the data disk
lasts at the current schedules.

The forecast is measured, not guessed: each camera's bytes per capture are the mean of its
last ``FORECAST_FILES`` indexed image files (per slot: a slot saved as jpg and png counts
both), its captures per day are the slots of its schedule in the next 24 h (interval and
daily window, as the overview plans a day). JSON sidecars (about 1 KiB a capture) are not
in the index and not counted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from eyepi_gui.domain import schedule
from eyepi_gui.domain.volumes import (
    CameraForecast,
    StorageForecast,
    Volume,
    bytes_per_capture,
    days_until_full,
)
from eyepi_gui.errors import CommandFailed, Unavailable
from eyepi_gui.ports import CaptureSizes, Clock, VolumeInventory
from eyepi_gui.services.access import reads
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.space import FreeSpace

FORECAST_FILES = 40
"""Image files per camera whose mean size forecasts its next captures."""
DAY_S = 86400.0


@dataclass(frozen=True)
class StationVolumes:
    """The data disk (the filesystem ``images/`` is on) and the removable drives plugged in
    now; ``problem`` says why removable drives could not be listed (then there are none)."""

    data_disk: Volume
    removable: tuple[Volume, ...]
    problem: str | None = None


class VolumeService:
    """Lists volumes and forecasts the data disk. ``camera_ids`` gives the cameras the
    station has now; ``images`` is the folder captures are written to."""

    def __init__(
        self,
        inventory: VolumeInventory,
        sizes: CaptureSizes,
        config: SettingsService,
        space: FreeSpace,
        camera_ids: Callable[[], Iterable[str]],
        clock: Clock,
        images: Path,
    ) -> None:
        self._inventory, self._sizes, self._config = inventory, sizes, config
        self._space, self._camera_ids, self._clock = space, camera_ids, clock
        self._images = images

    @reads
    def volumes(self) -> StationVolumes:
        """The data disk and the removable drives (with free space where mounted)."""
        disk = self._inventory.holding(self._images)
        try:
            found = self._inventory.volumes()
        except CommandFailed as err:
            return StationVolumes(disk, (), f"removable drives cannot be listed: {err}")
        return StationVolumes(disk, tuple(v for v in found if v.removable))

    @reads
    def forecast(self) -> StorageForecast:
        """Days until the data disk reaches the free-space floor at the current schedules.
        Raises StorageError when the disk cannot be measured."""
        cameras = tuple(self._camera(camera_id) for camera_id in sorted(self._camera_ids()))
        free, floor = self._space.free_bytes(), self._space.floor_bytes()
        rates = {c.camera_id: c.bytes_per_day or 0.0 for c in cameras}
        return StorageForecast(
            free=free,
            total=self._space.total_bytes(),
            floor=floor,
            cameras=cameras,
            days_until_full=days_until_full(free, floor, rates),
        )

    def _camera(self, camera_id: str) -> CameraForecast:
        settings = self._config.camera(camera_id)
        per_day = 0
        if settings.enabled:
            now, tz = self._clock.now(), self._config.tz()
            window, interval = settings.daily_window, settings.interval_s
            per_day = schedule.count_slots(now, now + DAY_S, interval, window, tz)
        return CameraForecast(
            camera_id, per_day, self._bytes_per_capture(camera_id), settings.keep == "all"
        )

    def _bytes_per_capture(self, camera_id: str) -> float | None:
        try:
            files = self._sizes.recent_sizes(camera_id, FORECAST_FILES)
        except Unavailable:
            return None  # state.db held by another process: this camera is not measured now
        return bytes_per_capture(files, complete=len(files) < FORECAST_FILES)
