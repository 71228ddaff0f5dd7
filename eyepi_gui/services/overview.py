"""What a person looking at the station wants to know: per camera and for the whole station."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from eyepi_gui.domain import schedule
from eyepi_gui.domain.camera import CameraInfo, CameraState
from eyepi_gui.domain.events import FocusChecked
from eyepi_gui.errors import NotFound, Unavailable
from eyepi_gui.ports import CaptureIndex, Clock, ImageStore
from eyepi_gui.services.access import reads
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.capture import CaptureScheduler
from eyepi_gui.services.capture_health import CameraHealth, CaptureHealth
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.settings import CameraSettings


@dataclass(frozen=True)
class CameraOverview:
    """One camera: times in epoch seconds; counts are today's scheduled slots (local day).
    ``expected_so_far`` counts only slots while the station ran and the camera was enabled
    (0 while state.db is held by another process); ``planned_today`` the whole day's."""

    info: CameraInfo
    settings: CameraSettings
    state: CameraState
    detail: str
    next_capture: float | None
    expected_so_far: int
    planned_today: int
    actual_today: int | None
    """None while state.db cannot be read (held by another process): capture goes on."""
    latest_image: Path | None
    latest_at: float | None
    focus_check: FocusChecked | None = None
    """How the last capture scored against the locked focus (None when not locked)."""
    settings_problem: str | None = None
    """Why the camera does not run on its station.toml section as written, and what it
    runs on instead (None when it does)."""
    latest_problem: str | None = None
    """Why the latest view (``latest_image``) was not updated by the last capture, which
    is kept all the same (None when it was)."""
    health: CameraHealth | None = None
    """The last 24 h hour by hour and the last capture's time (None: not asked for)."""


@dataclass(frozen=True)
class StationHealth:
    """The status bar: space in bytes (of the volume images are written to, which may be
    another disk than the home's), camera counts, and problems worth a banner."""

    station_name: str
    free_bytes: int
    total_bytes: int
    capture_paused: bool
    cameras_total: int
    cameras_ok: int
    settings_problem: str | None
    now: float = 0.0
    """When this was read (epoch s, the station's clock)."""
    storage_problem: str | None = None
    """Why nothing more can be written (free space at the floor), or None."""
    database_problem: str | None = None
    """state.db was made anew (records lost), or records wait for it or were lost; else None."""


class StationOverview:
    def __init__(
        self,
        cameras: CameraService,
        scheduler: CaptureScheduler,
        config: SettingsService,
        index: CaptureIndex,
        images: ImageStore,
        space: FreeSpace,
        clock: Clock,
        capture_health: CaptureHealth,
        database_problem: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._cameras, self._scheduler, self._config = cameras, scheduler, config
        self._index, self._images, self._space = index, images, space
        self._clock, self._database_problem = clock, database_problem
        self._health = capture_health

    @reads
    def cameras(self) -> list[CameraOverview]:
        return [self._camera(info) for info in self._cameras.cameras()]

    @reads
    def camera(self, camera_id: str) -> CameraOverview:
        for info in self._cameras.cameras():
            if info.camera_id == camera_id:
                return self._camera(info)
        raise NotFound(f"no camera {camera_id!r}")

    def _camera(self, info: CameraInfo) -> CameraOverview:
        settings = self._config.camera(info.camera_id)
        status = self._cameras.status(info.camera_id)
        now, tz = self._clock.now(), self._config.tz()
        start, stop = schedule.day_bounds(now, tz)
        window, interval = settings.daily_window, settings.interval_s
        enabled = settings.enabled
        actual_today, latest_at = self._indexed(info.camera_id, start, stop)
        return CameraOverview(
            info=info,
            settings=settings,
            state=status.state,
            detail=status.detail,
            next_capture=self._scheduler.next_capture(info.camera_id) if enabled else None,
            expected_so_far=self._health.expected_since(info.camera_id, start) or 0,
            planned_today=schedule.count_slots(start, stop, interval, window, tz) if enabled else 0,
            actual_today=actual_today,
            latest_image=self._images.latest_path(info.camera_id),
            latest_at=latest_at,
            focus_check=self._focus_check(info.camera_id, settings),
            settings_problem=self._config.camera_problem(info.camera_id),
            latest_problem=self._cameras.latest_problem(info.camera_id),
            health=self._health.camera(info.camera_id),
        )

    def _indexed(
        self, camera_id: str, start: float, stop: float
    ) -> tuple[int | None, float | None]:
        """Today's captures and the last one's time from the index; unknown (None) while
        state.db is held by another process, so the overview still answers."""
        try:
            latest = self._index.latest(camera_id)
            return self._index.count_between(camera_id, start, stop), (
                latest.taken_at if latest else None
            )
        except Unavailable:
            return None, None

    @reads
    def capture_health(self, camera_id: str) -> CameraHealth:
        """The camera's last 24 h of captures, hour by hour; NotFound for an unknown camera."""
        if all(info.camera_id != camera_id for info in self._cameras.cameras()):
            raise NotFound(f"no camera {camera_id!r}")
        return self._health.camera(camera_id)

    @reads
    def latest_image(self, camera_id: str) -> BinaryIO:
        """The camera's latest image, opened for reading (the caller closes it). Raises
        NotFound (no such camera, no image yet) or Unavailable (latest/<camera>.jpg holds
        no readable image file); never blocks on what is there."""
        if all(info.camera_id != camera_id for info in self._cameras.cameras()):
            raise NotFound(f"no camera {camera_id!r}")
        return self._images.open_latest(camera_id)

    def _focus_check(self, camera_id: str, settings: CameraSettings) -> FocusChecked | None:
        check, lock = self._cameras.focus_check(camera_id), settings.focus_lock
        return check if check and lock and check.reference == lock.reference else None

    @reads
    def health(self) -> StationHealth:
        states = [self._cameras.status(c.camera_id).state for c in self._cameras.cameras()]
        ok = sum(state in (CameraState.IDLE, CameraState.CAPTURING) for state in states)
        return StationHealth(
            station_name=self._config.current().station_name,
            free_bytes=self._space.free_bytes(),
            total_bytes=self._space.total_bytes(),
            capture_paused=self._scheduler.paused,
            cameras_total=len(states),
            cameras_ok=ok,
            settings_problem=self._config.problem(),
            now=self._clock.now(),
            storage_problem=self._space.problem(),
            database_problem=self._database_problem(),
        )
