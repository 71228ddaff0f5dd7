"""Wires the "This station" sheet into the kiosk window: one tap on the status bar's address
or the lock screen's button opens it, and the status bar shows the station's address."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from eyepi_gui.kiosk.lock_screen import LoginPage
from eyepi_gui.kiosk.status_bar import StationStatusBar
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.services.station_info import AboutStation
from eyepi_gui.services.station_services import StationServices

if TYPE_CHECKING:
    from eyepi_gui.kiosk.widgets.this_station import ThisStationSheet

ADDRESS_REFRESH_MS = 10_000
"""How often the status bar's address is read again (ms)."""


class ThisStation(QObject):
    """Wires the sheet into a kiosk window: the status bar's and the lock screen's buttons
    open it (built on first use), and the status bar's button shows the station's address,
    read again every 10 s."""

    def __init__(
        self,
        window: QWidget,
        status: StationStatusBar,
        login: LoginPage,
        services: StationServices,
        runner: TaskRunner,
    ) -> None:
        super().__init__(window)
        self._window, self._status, self._services, self._runner = window, status, services, runner
        self._sheet: ThisStationSheet | None = None
        status.about_wanted.connect(self.open)
        login.about_wanted.connect(self.open)
        self._timer = QTimer(self, interval=ADDRESS_REFRESH_MS)
        self._timer.timeout.connect(self.refresh_address)
        self._first_paint_due = False
        window.installEventFilter(self)
        if window.isVisible():
            self._start()

    @property
    def sheet(self) -> ThisStationSheet:
        if self._sheet is None:  # built, and its module (QR code making) loaded, on first use
            from eyepi_gui.kiosk.widgets.this_station import ThisStationSheet

            self._sheet = ThisStationSheet(self._window, self._services, self._runner)
            self._sheet.hide()
        return self._sheet

    def open(self) -> None:
        self.sheet.open()

    def refresh_address(self) -> None:
        work = self._services.station_info.about
        self._runner.refresh("station-address", work, self._address_read)

    def _address_read(self, about: AboutStation) -> None:
        self._status.show_address(about.primary_address)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Read the address while the window shows, from just after its first paint: the
        read (psutil, the OS's addresses) runs on a worker thread that would otherwise take
        the interpreter from the GUI thread while it paints the first screen. A closed
        window's runner is closed."""
        if watched is not self._window:
            return False
        kind = event.type()
        if kind == QEvent.Type.Show:
            self._first_paint_due = True
        elif kind == QEvent.Type.Paint and self._first_paint_due:
            self._first_paint_due = False
            QTimer.singleShot(0, self, self._start_if_shown)
        elif kind == QEvent.Type.Hide:
            self._first_paint_due = False
            self._timer.stop()
        return False

    def _start_if_shown(self) -> None:
        if self._window.isVisible():
            self._start()

    def _start(self) -> None:
        self._timer.start()
        self.refresh_address()

    def stop(self) -> None:
        """Stop reading (before the runner closes)."""
        self._timer.stop()
        if self._sheet is not None:
            self._sheet.dismiss()
