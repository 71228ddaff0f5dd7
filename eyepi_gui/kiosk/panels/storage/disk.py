"""The Storage tab's data disk: free of total, the free-space floor, and how many days the
disk lasts at the current schedules, overall and per camera, in plain words when it
cannot be told (no camera scheduled, no scheduled image measured yet: test shots do not count)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QVBoxLayout, QWidget

from eyepi_gui.domain.volumes import CameraForecast, StorageForecast
from eyepi_gui.kiosk.formatting import bytes_text
from eyepi_gui.kiosk.panels.storage.titles import section_title
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

SOON_DAYS = 7.0
"""Fewer days than this left are shown as a warning."""
NOTHING_SCHEDULED = "Not filling: no camera is scheduled to keep images."
NOT_MEASURED = "Not known yet: no scheduled image has been taken to measure."


def days_text(days: float) -> str:
    """ "about 12 days", "under a day", "full now" (at the floor)."""
    if days <= 0:
        return "full now: capture pauses at the floor"
    if days < 1:
        return "under a day"
    if days >= 730:
        return f"about {days / 365:.0f} years"
    return f"about {days:.0f} day{'s' if round(days) != 1 else ''}"


def until_full_text(forecast: StorageForecast) -> str:
    """When the disk reaches the floor at every camera's schedule, or why it cannot be told."""
    if forecast.days_until_full is not None:
        return f"Full in {days_text(forecast.days_until_full)}"
    scheduled = [c for c in forecast.cameras if c.keeps_all and c.captures_per_day]
    return NOT_MEASURED if scheduled else NOTHING_SCHEDULED


def camera_text(camera: CameraForecast, room: int) -> str:
    """One camera's share, e.g. "288 images a day, 1.2 MB each: 346 MB a day; alone full in
    about 40 days" (``room``: bytes left above the floor)."""
    if not camera.keeps_all:
        return "keeps only its latest image: adds nothing"
    if not camera.captures_per_day:
        return "not scheduled: adds nothing"
    count = camera.captures_per_day
    per_day = f"{count:,} image{'' if count == 1 else 's'} a day"
    if camera.bytes_per_capture is None:
        return f"{per_day}; size known after its first scheduled image"
    rate = camera.bytes_per_day or 0.0
    size = bytes_text(round(camera.bytes_per_capture))
    alone = days_text(max(0.0, room / rate)) if rate > 0 else ""
    return f"{per_day}, {size} each: {bytes_text(round(rate))} a day; alone full in {alone}"


class DataDiskSection(QFrame):
    """Free and total, the floor, days until full and a line per camera (names plain text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storageBox")
        self.space = plain_label("", "storageBig", wrap=True)
        self.floor = plain_label("", "storageFacts", wrap=True)
        self.until_full = plain_label("", "storageUntilFull", wrap=True)
        self.cameras: dict[str, tuple[QLabel, QLabel]] = {}
        """Camera id -> (name, its share), kept and updated in place."""
        self._grid = QGridLayout()
        self._grid.setHorizontalSpacing(12)
        self._grid.setColumnStretch(1, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(4)
        column.addWidget(section_title("Data disk"))
        for label in (self.space, self.floor, self.until_full):
            column.addWidget(label)
        column.addLayout(self._grid)

    def show_forecast(self, forecast: StorageForecast, names: Mapping[str, str]) -> None:
        used = max(0, forecast.total - forecast.free)
        self.space.setText(
            f"{bytes_text(forecast.free)} free of {bytes_text(forecast.total)}"
            f" ({bytes_text(used)} used)"
        )
        self.floor.setText(f"Capture pauses when {bytes_text(forecast.floor)} are left.")
        self.until_full.setText(until_full_text(forecast))
        days = forecast.days_until_full
        set_role(self.until_full, "warn" if days is not None and days < SOON_DAYS else "")
        self._show_cameras(forecast, names)

    def show_problem(self, text: str) -> None:
        """The disk could not be measured: say so instead of numbers."""
        self.space.setText(f"Cannot measure the data disk: {text}")
        self.floor.setText("")
        self.until_full.setText("")
        self._show_cameras(None, {})

    def _show_cameras(self, forecast: StorageForecast | None, names: Mapping[str, str]) -> None:
        shown = {c.camera_id: c for c in forecast.cameras} if forecast is not None else {}
        for gone in set(self.cameras) - set(shown):
            for label in self.cameras.pop(gone):
                label.hide()
                label.deleteLater()
        if forecast is None:
            return
        room = max(0, forecast.free - forecast.floor)
        for camera_id, camera in shown.items():
            if camera_id not in self.cameras:
                labels = plain_label("", "factKey", wrap=True), plain_label("", wrap=True)
                row = self._grid.rowCount()
                self._grid.addWidget(labels[0], row, 0)
                self._grid.addWidget(labels[1], row, 1)
                self.cameras[camera_id] = labels
            name, share = self.cameras[camera_id]
            name.setText(names.get(camera_id, camera_id))
            share.setText(camera_text(camera, room))
