"""Each camera's capture health over the last 24 h: expected vs taken per hour, time off, and
when the last capture was. "Expected" counts only slots while the station ran and the camera
was enabled (``services.station_activity``); the capture index is read in one query per camera.
"""

from __future__ import annotations

from dataclasses import dataclass

from eyepi_gui.domain import health
from eyepi_gui.domain.health import STATION, HourHealth, RunSpan, camera_subject
from eyepi_gui.errors import Unavailable
from eyepi_gui.ports import ActivityLog, CaptureTally, Clock
from eyepi_gui.services.access import reads
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.station_activity import StationActivity

HOURS = 24


@dataclass(frozen=True)
class CameraHealth:
    """One camera's last ``HOURS`` local clock hours, oldest first (the last one ends at
    ``now``, epoch s). ``known`` is False while state.db is held by another process: then
    ``hours`` is empty and ``last_capture_at`` None."""

    camera_id: str
    now: float
    last_capture_at: float | None
    hours: tuple[HourHealth, ...]
    known: bool = True

    @property
    def expected(self) -> int:
        return sum(hour.expected for hour in self.hours)

    @property
    def taken(self) -> int:
        return sum(hour.taken for hour in self.hours)

    @property
    def gaps(self) -> int:
        """Hours in which slots were missed."""
        return sum(hour.gap for hour in self.hours)


class CaptureHealth:
    def __init__(
        self,
        config: SettingsService,
        tally: CaptureTally,
        log: ActivityLog,
        activity: StationActivity,
        clock: Clock,
    ) -> None:
        self._config, self._tally, self._log = config, tally, log
        self._activity, self._clock = activity, clock

    @reads
    def camera(self, camera_id: str) -> CameraHealth:
        """The camera's health now (any id: a camera never seen has no captures)."""
        now, tz = self._clock.now(), self._config.tz()
        edges = health.hour_edges(now, tz, HOURS)
        try:
            taken, last = self._tally.per_hour(camera_id, edges[0], HOURS)
            camera, station = self._runs(camera_id, edges[0], now)
        except Unavailable:
            return CameraHealth(camera_id, now, None, (), known=False)
        settings = self._config.camera(camera_id)
        hours = health.hourly_health(
            edges, camera, station, taken, settings.interval_s, settings.daily_window, tz
        )
        return CameraHealth(camera_id, now, last, tuple(hours))

    @reads
    def expected_since(self, camera_id: str, since: float) -> int | None:
        """Slots from ``since`` to now while the camera ran (None while state.db is busy)."""
        now, settings = self._clock.now(), self._config.camera(camera_id)
        if not settings.enabled:
            return 0
        try:
            camera, station = self._runs(camera_id, since, now)
        except Unavailable:
            return None
        running = health.merge(
            part for span in camera for part in health.clip(station, span.start, span.stop)
        )
        return health.expected_slots(
            running, since, now, settings.interval_s, settings.daily_window, self._config.tz()
        )

    def _runs(
        self, camera_id: str, since: float, now: float
    ) -> tuple[list[RunSpan], list[RunSpan]]:
        """The camera's and the station's run spans overlapping [since, now), the ones
        running now extended to ``now`` (their last heartbeat may be a minute old)."""
        stored = self._log.spans(since, now)
        live = self._activity.running()
        spans = []
        for subject in (camera_subject(camera_id), STATION):
            found = stored.get(subject, [])
            if subject in live:
                found = [*found, RunSpan(live[subject], now)]
            spans.append(health.merge(found))
        return spans[0], spans[1]
