"""The capture browser's listings: a camera's days with images, a day's images with focus
score and drift flag, and a day as a zip streamed in small pieces."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from eyepi_gui.domain.browse import (
    DAY_MAX,
    BrowseImage,
    DayCount,
    DriftMark,
    browse_image,
    day_span,
    days_of,
    drift_mark,
)
from eyepi_gui.ports import CaptureDays
from eyepi_gui.services.access import reads
from eyepi_gui.services.captures import CaptureLibrary
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.day_zip import zip_stream


class CaptureBrowser:
    def __init__(self, days: CaptureDays, library: CaptureLibrary, config: SettingsService) -> None:
        self._days, self._library, self._config = days, library, config

    @reads
    def days(self, camera_id: str) -> list[DayCount]:
        """The days (station zone) with kept images of the camera, newest first."""
        return days_of(self._days.hour_counts(camera_id), self._config.tz())

    @reads
    def day(self, camera_id: str, day: date) -> list[BrowseImage]:
        """The camera's kept images taken on ``day``, oldest first (at most ``DAY_MAX``)."""
        start, stop = day_span(day, self._config.tz())
        mark = self._drift_mark(camera_id)
        records = self._days.on_day(camera_id, start, stop, DAY_MAX)
        return [browse_image(record, mark) for record in records]

    @reads
    def day_zip(self, camera_id: str, day: date) -> Iterator[bytes]:
        """The day's images as one zip, made while it is read: each file is opened when its
        turn comes, and closing the iterator early (a client gone) closes what it holds."""
        images = self.day(camera_id, day)
        return zip_stream(images, self._library.open_file)

    def _drift_mark(self, camera_id: str) -> DriftMark | None:
        lock = self._config.camera(camera_id).focus_lock
        if lock is None:
            return None
        return drift_mark(lock.reference, lock.drift_fraction, lock.locked_at)
