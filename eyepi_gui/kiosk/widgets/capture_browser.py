"""The capture browser: a camera's days, a day's thumbnails (lazy), one image full size.

A piece the Storage tab will host; until then the Cameras tab opens it from a card's Browse
button. Every service call runs off the GUI thread: listings and full images through the
kiosk's TaskRunner, thumbnails through the ``ThumbnailLoader``'s own threads. Camera names
and file names are shown as plain text."""

from __future__ import annotations

from datetime import UTC, date, tzinfo
from functools import partial
from typing import BinaryIO

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.browse import BrowseImage, DayCount
from eyepi_gui.kiosk.messages import sentence
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.kiosk.widgets.day_grid import DayGrid, DayModel, caption
from eyepi_gui.kiosk.widgets.full_image import ZOOM_STEP, FullImageView
from eyepi_gui.kiosk.widgets.images import load_scaled
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, size_by_current_page
from eyepi_gui.kiosk.widgets.thumbnail_loader import ThumbnailLoader
from eyepi_gui.services.station_services import StationServices

FULL_PX = 2048
"""A full view is decoded at most this large on its longer side (zoom room, bounded memory)."""


def _day_listing(
    services: StationServices, camera_id: str, day: date
) -> tuple[list[BrowseImage], tzinfo]:
    """Runs on a TaskRunner thread."""
    return services.browser.day(camera_id, day), services.config.tz()


class CaptureBrowserView(QWidget):
    """Signals: closed(): the Back button of the day grid was pressed."""

    closed = Signal()

    def __init__(
        self, services: StationServices, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("captureBrowser")
        self._services, self._runner = services, runner
        self.camera_id = ""
        self.days: list[DayCount] = []
        self.loader = ThumbnailLoader(partial(services.thumbnails.thumbnail), self)
        self.model = DayModel(self.loader, self)
        self.current_row = -1
        self._tz: tzinfo = UTC
        self.pages = QStackedWidget(self)
        self.day_page = self._day_page()
        self.full_page = self._full_page()
        self.pages.addWidget(self.day_page)
        self.pages.addWidget(self.full_page)
        size_by_current_page(self.pages)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)

    # ---- the day grid ---------------------------------------------------------------------

    def _day_page(self) -> QWidget:
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.closed.emit)
        self.title = plain_label("", "browserTitle", wrap=True)
        self.day_choice = QComboBox()
        self.day_choice.setObjectName("dayChoice")
        self.day_choice.currentIndexChanged.connect(self._day_chosen)
        self.status = plain_label("", "browserStatus", wrap=True)
        self.grid = DayGrid(self.model)
        flick_to_scroll(self.grid)
        self.grid.opened.connect(self.open_image)
        top = QHBoxLayout()
        top.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.title, 1)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(12, 12, 12, 12)
        column.addLayout(top)
        column.addWidget(self.day_choice)
        column.addWidget(self.status)
        column.addWidget(self.grid, 1)
        return page

    def open_camera(self, camera_id: str, name: str) -> None:
        """Show ``camera_id``'s days (``name`` shown as plain text), newest day first."""
        self.camera_id = camera_id
        self.title.setText(f"Images of {name}")
        self.pages.setCurrentWidget(self.day_page)
        self.days = []
        self.day_choice.blockSignals(True)
        self.day_choice.clear()
        self.day_choice.blockSignals(False)
        self.model.show_day([], self._tz)
        self.status.setText("Looking for images…")
        self._runner.run(
            "browse-days",
            partial(self._services.browser.days, camera_id),
            self._show_days,
            self._failed,
        )

    def _show_days(self, days: list[DayCount]) -> None:
        self.days = days
        self.day_choice.blockSignals(True)
        self.day_choice.clear()
        for found in days:
            self.day_choice.addItem(f"{found.day.isoformat()} ({found.count} images)")
        self.day_choice.blockSignals(False)
        if not days:
            self.status.setText("No kept images of this camera yet.")
            return
        self.day_choice.setCurrentIndex(0)
        self._day_chosen(0)

    def _day_chosen(self, index: int) -> None:
        if not 0 <= index < len(self.days):
            return
        self.status.setText("Loading the day…")
        day = self.days[index].day
        work = partial(_day_listing, self._services, self.camera_id, day)
        self._runner.run("browse-day", work, self._show_day, self._failed)

    def _show_day(self, listing: tuple[list[BrowseImage], tzinfo]) -> None:
        images, self._tz = listing
        added = self.model.show_day(images, self._tz)
        drifted = sum(image.drifted for image in images)
        note = f", {drifted} with focus drift" if drifted else ""
        self.status.setText(f"{len(images)} images{note}. Tap one to see it full size.")
        if not added:
            self.grid.scrollToTop()

    def capture_landed(self, camera_id: str) -> None:
        """A new image of ``camera_id``: when its newest day is on show, list the day again
        (new images are added at the end; the position and thumbnails stay)."""
        index = self.day_choice.currentIndex()
        if camera_id != self.camera_id or index != 0 or not self.days:
            return
        work = partial(_day_listing, self._services, self.camera_id, self.days[0].day)
        self._runner.refresh("browse-day", work, self._show_day, self._failed)

    def _failed(self, error: Exception) -> None:
        self.status.setText(f"Cannot show the images: {sentence(error)}")

    # ---- the full view --------------------------------------------------------------------

    def _full_page(self) -> QWidget:
        self.day_button = QPushButton("Back to the day")
        self.day_button.clicked.connect(self.show_day_grid)
        self.info = plain_label("", "imageInfo", wrap=True)
        self.view = FullImageView()
        self.view.swiped.connect(self.step)
        self.earlier_button = QPushButton("Earlier")
        self.earlier_button.clicked.connect(partial(self.step, -1))
        self.later_button = QPushButton("Later")
        self.later_button.clicked.connect(partial(self.step, 1))
        self.zoom_in_button = QPushButton("Zoom in")
        self.zoom_in_button.clicked.connect(partial(self.view.zoom_by, ZOOM_STEP))
        self.fit_button = QPushButton("Fit")
        self.fit_button.clicked.connect(self.view.fit)
        top = QHBoxLayout()
        top.addWidget(self.day_button, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.info, 1)
        actions = QHBoxLayout()
        for button in (self.earlier_button, self.zoom_in_button, self.fit_button):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.later_button)
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(12, 12, 12, 12)
        column.addLayout(top)
        column.addWidget(self.view, 1)
        column.addLayout(actions)
        return page

    def open_image(self, row: int) -> None:
        """Show the day's image at ``row`` full size (decoded off the GUI thread)."""
        images = self.model.images
        if not 0 <= row < len(images):
            return
        self.current_row = row
        image = images[row]
        self.pages.setCurrentWidget(self.full_page)
        where = caption(image, self._tz).replace("\n", " · ")
        self.info.setText(f"{image.name}\n{where} · {row + 1} of {len(images)}")
        self.info.setToolTip(image.name)
        self.earlier_button.setEnabled(row > 0)
        self.later_button.setEnabled(row < len(images) - 1)
        self.view.clear()
        opener = partial(self._open_file, image.record_id)
        work = partial(load_scaled, opener, FULL_PX, FULL_PX)
        self._runner.run("browse-full", work, self._show_full, self._full_failed)

    def _open_file(self, record_id: int) -> BinaryIO:
        return self._services.captures.open_file(record_id)[1]

    def _show_full(self, image: QImage) -> None:
        self.view.show_image(image)

    def _full_failed(self, error: Exception) -> None:
        self.info.setText(f"Cannot show this image: {sentence(error)}")

    def step(self, by: int) -> None:
        """The earlier (-1) or later (+1) image of the day, if there is one."""
        row = self.current_row + by
        if 0 <= row < len(self.model.images):
            self.open_image(row)

    def show_day_grid(self) -> None:
        self.pages.setCurrentWidget(self.day_page)
        if self.current_row >= 0:
            self.grid.scrollTo(self.model.index(self.current_row))

    def stop(self) -> None:
        """The kiosk closes: drop waiting thumbnails and wait (bounded) for running ones."""
        self.loader.stop()
