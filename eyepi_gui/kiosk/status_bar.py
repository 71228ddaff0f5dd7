"""The kiosk's status bar: station name, capture health, the station's address (a button to
"This station"), free space and a clock."""

from __future__ import annotations

import time
from datetime import tzinfo
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QIcon, QResizeEvent
from PySide6.QtWidgets import QLabel, QPushButton, QStatusBar, QWidget

from eyepi_gui.kiosk import formatting
from eyepi_gui.kiosk.widgets.reflow import is_narrow
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.resources import resource_path
from eyepi_gui.services.overview import StationHealth

if TYPE_CHECKING:  # built after the first paint (main_window): kept out of start-up
    from eyepi_gui.kiosk.jobs_indicator import JobsIndicator

CLOCK_MS = 1000
ABOUT_TEXT = "This station"
INFO_ICON = "info.svg"
"""The address button on a portrait (480 px) screen shows only this icon (resources/icons/);
the address stays in its tooltip."""
TOUCH_PX = 44
ICON_PX = 24
"""The address button's height (px): a touch target; the bar grows to hold it."""
NAME_PX = 170
"""Widest the station name may show (px); longer ones end in "…" so that the whole bar
fits an 800 px screen."""
NAME_NARROW_PX = 96
"""The same on a portrait (480 px) screen."""


def set_elided(label: QLabel, text: str, width: int = NAME_PX) -> None:
    """Show ``text`` cut to ``width`` px with "…"; the full text stays in the tooltip."""
    label.setText(label.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, width))
    label.setToolTip(text)


class StationStatusBar(QStatusBar):
    """Shows the last StationHealth it was given; the clock ticks every second from the
    system time alone (no I/O, no service call).

    Signals:
        about_wanted(): the address button was tapped ("This station" should open).
    """

    about_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stationStatus")
        self.setSizeGripEnabled(False)
        self.station = plain_label("eyepi", "statusStation")
        self.health = plain_label("starting…", "statusHealth")  # wraps on narrow screens
        # These two may wrap to two lines, so that the bar fits a 480 px portrait screen.
        self.free = plain_label("", "statusFree", wrap=True)
        self.clock = plain_label("", "statusClock", wrap=True)
        self.address = QPushButton(ABOUT_TEXT)
        self.address.setObjectName("statusAddress")
        self.address.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.address.setMinimumHeight(TOUCH_PX)
        self.address.clicked.connect(self.about_wanted)
        self.address.setIconSize(QSize(ICON_PX, ICON_PX))
        self._info_icon: QIcon | None = None  # loaded when first shown: SVG costs start-up
        self.addWidget(self.station)
        self.addWidget(self.health)
        self.addPermanentWidget(self.address)
        self.addPermanentWidget(self.free)
        self.addPermanentWidget(self.clock)

        self._jobs: JobsIndicator | None = None
        self._tz: tzinfo | None = None
        self._timer = QTimer(self, interval=CLOCK_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()

    def show_health(self, health: StationHealth, tz: tzinfo) -> None:
        """Show ``health``; the clock uses the station's zone ``tz`` from now on."""
        self._tz = tz
        set_elided(
            self.station, health.station_name, NAME_NARROW_PX if is_narrow(self) else NAME_PX
        )
        self.health.setText(formatting.health_text(health))
        set_role(self.health, "ok" if formatting.health_ok(health) else "error")
        self.free.setText(formatting.free_text(health))
        self.tick()

    def show_address(self, address: str | None) -> None:
        """Name the station by ``address`` on the button ("This station" while it has none;
        only an info icon on a portrait screen, the address in the tooltip)."""
        text = address or ABOUT_TEXT
        narrow = is_narrow(self)
        self.address.setToolTip(text)
        self.address.setText("" if narrow else text)
        self.address.setIcon(self._info() if narrow else QIcon())

    def _info(self) -> QIcon:
        if self._info_icon is None:
            self._info_icon = QIcon(str(resource_path("icons", INFO_ICON)))
        return self._info_icon

    def add_jobs_indicator(self, indicator: JobsIndicator) -> None:
        """Hold the "a job runs" button; on a portrait screen it takes the station name's
        room while it shows (the bar would not fit 480 px with both)."""
        self._jobs = indicator
        self.addWidget(indicator)
        indicator.showing.connect(self._fit_jobs)
        indicator.refit()
        self._fit_jobs(not indicator.isHidden())

    def _fit_jobs(self, jobs_shown: bool) -> None:
        self.station.setVisible(not (is_narrow(self) and jobs_shown))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.show_address(self.address.toolTip() or None)
        self.health.setWordWrap(is_narrow(self))
        if self._jobs is not None:
            self._jobs.refit()
            self._fit_jobs(not self._jobs.isHidden())

    def tick(self) -> None:
        self.clock.setText(formatting.clock_text(time.time(), self._tz))

    def stop(self) -> None:
        self._timer.stop()
