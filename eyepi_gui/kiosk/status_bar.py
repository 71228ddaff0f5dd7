"""The kiosk's status bar: station name, capture health, free space and a clock."""

from __future__ import annotations

import time
from datetime import tzinfo

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton, QStatusBar, QWidget

from eyepi_gui.domain.access import Principal
from eyepi_gui.kiosk import formatting
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.services.overview import StationHealth

CLOCK_MS = 1000


class StationStatusBar(QStatusBar):
    """Shows the last StationHealth it was given; the clock ticks every second from the
    system time alone (no I/O, no service call)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stationStatus")
        self.setSizeGripEnabled(False)
        self.station = plain_label("eyepi", "statusStation")
        self.health = plain_label("starting…", "statusHealth")
        self.free = plain_label("", "statusFree")
        self.clock = plain_label("", "statusClock")
        self.user = plain_label("", "statusUser")
        self.session_button = QPushButton("Log in", self)
        self.session_button.setObjectName("sessionButton")
        self.addWidget(self.station)
        self.addWidget(self.health)
        self.addPermanentWidget(self.free)
        self.addPermanentWidget(self.clock)
        self.addPermanentWidget(self.user)
        self.addPermanentWidget(self.session_button)
        self._tz: tzinfo | None = None
        self._timer = QTimer(self, interval=CLOCK_MS)
        self._timer.timeout.connect(self.tick)
        self._timer.start()
        self.tick()

    def show_health(self, health: StationHealth, tz: tzinfo) -> None:
        """Show ``health``; the clock uses the station's zone ``tz`` from now on."""
        self._tz = tz
        self.station.setText(health.station_name)
        self.health.setText(formatting.health_text(health))
        set_role(self.health, "ok" if formatting.health_ok(health) else "error")
        self.free.setText(formatting.free_text(health))
        self.tick()

    def show_session(self, principal: Principal) -> None:
        """Who is logged in; the button locks the screen, or logs in when locked."""
        if principal.username is None:
            self.user.setText("")
            self.session_button.setText("Log in")
        else:
            self.user.setText(f"{principal.username} ({principal.role})")
            self.session_button.setText("Lock")

    def tick(self) -> None:
        self.clock.setText(formatting.clock_text(time.time(), self._tz))

    def stop(self) -> None:
        self._timer.stop()
