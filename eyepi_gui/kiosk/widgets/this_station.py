""" "This station": a sheet over the whole kiosk window with the station's address as a QR code
for a phone, its URLs, TLS fingerprint, addresses, version, uptimes, zone and a ticking clock.
Opened in one tap from the status bar or the lock screen; it shows nothing secret, so it opens
while locked too. ``eyepi_gui.kiosk.this_station`` wires it into the window.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, tzinfo
from functools import partial

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QHideEvent, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.reach import duration_text
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.kiosk.widgets.qr_image import qr_image
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label
from eyepi_gui.services.station_info import AboutStation
from eyepi_gui.services.station_services import StationServices

TICK_MS = 1000
REFRESH_MS = 10_000
"""How often (ms) the sheet and the status bar's address are read again (DHCP, cables)."""
MARGIN_PX = 16
FINGERPRINT_BYTES_PER_LINE = 8
CAPTIONS = {
    "url": "Open",
    "more_urls": "Also",
    "fingerprint": "TLS SHA-256",
    "hostname": "Hostname",
    "addresses": "Addresses",
    "version": "Version",
    "station_up": "Station up",
    "system_up": "System up",
    "zone": "Time zone",
    "clock": "Clock",
}
FACTS = tuple(CAPTIONS)


def fetch_about(services: StationServices) -> tuple[AboutStation, tzinfo]:
    """Runs on a TaskRunner thread."""
    return services.station_info.about(), services.config.tz()


def fingerprint_lines(fingerprint: str) -> str:
    """ "AB:CD:..." broken after every 8 bytes, so 32 bytes take 4 short lines."""
    parts = fingerprint.split(":")
    step = FINGERPRINT_BYTES_PER_LINE
    return "\n".join(":".join(parts[i : i + step]) for i in range(0, len(parts), step))


def address_lines(about: AboutStation) -> str:
    lines = [
        f"{a.interface}  {a.address}{'  (link-local)' if a.link_local else ''}"
        for a in about.addresses
    ]
    return "\n".join(lines) or "none: no network"


class ThisStationSheet(QWidget):
    """Covers its parent (the kiosk window) until Close. Reads ``station_info.about`` through
    the runner when opened and every 10 s; the clock and uptimes tick locally each second."""

    def __init__(self, parent: QWidget, services: StationServices, runner: TaskRunner) -> None:
        super().__init__(parent)
        self.setObjectName("thisStationSheet")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self._services, self._runner = services, runner
        self.about: AboutStation | None = None
        self._tz: tzinfo = UTC
        self._fetched_at = 0.0
        self.close_button = QPushButton("Close")
        self.close_button.setObjectName("closeSheetButton")
        self.close_button.clicked.connect(self.dismiss)
        self.qr = QLabel()
        self.qr.setObjectName("stationQr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.values = {name: plain_label("…", f"about_{name}", wrap=True) for name in FACTS}
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._build()
        self._ticker = QTimer(self, interval=TICK_MS)
        self._ticker.timeout.connect(self.tick)
        self._refresher = QTimer(self, interval=REFRESH_MS)
        self._refresher.timeout.connect(self.refresh)
        parent.installEventFilter(self)

    def _build(self) -> None:
        header = QHBoxLayout()
        header.addWidget(plain_label("This station", "title"), 1)
        header.addWidget(self.close_button)
        facts = QWidget()
        facts.setObjectName("stationFacts")
        grid = QGridLayout(facts)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        for row, name in enumerate(FACTS):
            caption = plain_label(CAPTIONS[name], f"caption_{name}")
            caption.setProperty("role", "hint")
            grid.addWidget(caption, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self.values[name], row, 1)
        grid.setRowStretch(len(FACTS), 1)
        self.facts_area = QScrollArea()
        self.facts_area.setWidgetResizable(True)
        self.facts_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.facts_area.setWidget(facts)
        flick_to_scroll(self.facts_area)
        top_middle = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter
        self.body.addWidget(self.qr, 0, top_middle)
        self.body.addWidget(self.facts_area, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(MARGIN_PX, MARGIN_PX // 2, MARGIN_PX, MARGIN_PX)
        column.addLayout(header)
        column.addLayout(self.body, 1)

    def open(self) -> None:
        """Cover the parent, show what is known and read the station again."""
        self._fit()
        self.show()
        self.raise_()
        self.close_button.setFocus()
        self.refresh()
        self._ticker.start()
        self._refresher.start()

    def dismiss(self) -> None:
        self._runner.cancel("this-station")
        self.hide()

    def hideEvent(self, event: QHideEvent) -> None:
        """Closed, or the window went away (its runner may be closed): read nothing more."""
        self._ticker.stop()
        self._refresher.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        self._runner.refresh("this-station", partial(fetch_about, self._services), self._shown)

    def _shown(self, result: tuple[AboutStation, tzinfo]) -> None:
        self.show_about(*result)

    def show_about(self, about: AboutStation, tz: tzinfo) -> None:
        """Show ``about``; its clock runs in the station's zone ``tz``."""
        self.about, self._tz, self._fetched_at = about, tz, time.monotonic()
        values = self.values
        values["url"].setText("\n".join(t for t in (about.primary_url, about.remote_note) if t))
        values["more_urls"].setText("\n".join(about.urls[1:]) or "none")
        values["fingerprint"].setText(fingerprint_lines(about.fingerprint or "") or "no TLS")
        values["hostname"].setText(about.hostname)
        values["addresses"].setText(address_lines(about))
        values["version"].setText(f"eyepi {about.version}")
        values["zone"].setText(about.zone)
        self._draw_qr()
        self.tick()

    def tick(self) -> None:
        """Clock and uptimes move on from the last reading without asking the station."""
        if self.about is None:
            return
        since = time.monotonic() - self._fetched_at
        now = self.about.now + since
        self.values["clock"].setText(f"{datetime.fromtimestamp(now, self._tz):%Y-%m-%d %H:%M:%S}")
        self.values["station_up"].setText(duration_text(self.about.station_uptime_s + since))
        self.values["system_up"].setText(duration_text(self.about.system_uptime_s + since))

    def _draw_qr(self) -> None:
        url = self.about.primary_url if self.about else None
        self.qr.setVisible(url is not None)
        if url is not None:
            pixmap = QPixmap.fromImage(qr_image(url, self._qr_side()))
            self.qr.setPixmap(pixmap)
            self.qr.setFixedSize(pixmap.size())  # never squeezed by long text beside it

    def _qr_side(self) -> int:
        """The biggest square the layout leaves: beside the text in landscape, above it in
        portrait (at most 2/5 of the height there)."""
        width, height = self.width() - 2 * MARGIN_PX, self.height() - 80
        if self._landscape():
            return max(64, min(height, width // 2))
        return max(64, min(width, self.height() * 2 // 5 - 40))

    def _landscape(self) -> bool:
        return self.width() >= self.height()

    def _fit(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        direction = QBoxLayout.Direction.LeftToRight
        if not self._landscape():
            direction = QBoxLayout.Direction.TopToBottom
        self.body.setDirection(direction)
        self._draw_qr()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Follow the window's size (rotation, a new screen)."""
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit()
        return False
