"""The kiosk window: a problem banner, one tab per panel and the station status bar."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow, QTabWidget, QVBoxLayout, QWidget

from eyepi_gui.domain.events import (
    CameraStateChanged,
    SettingsChanged,
    SettingsRecovered,
    StorageAlert,
)
from eyepi_gui.kiosk import formatting
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.status_bar import StationStatusBar
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.kiosk.widgets.banner import Banner
from eyepi_gui.kiosk.widgets.not_built import NotBuiltPage
from eyepi_gui.services.overview import StationHealth
from eyepi_gui.services.station_services import StationServices

HEALTH_MS = 5000
NOT_BUILT = {
    "Focus": "Focus preview is not built yet. Live view, focus score and zoom arrive in a "
    "later release.",
    "Network": "Network settings are not built yet. Wi-Fi, Ethernet and the station's address "
    "arrive in a later release.",
    "Storage": "Storage is not built yet. USB export and disk clean-up arrive in a later release.",
    "Logs": "The log viewer is not built yet. Browsing and filtering the station log arrive in "
    "a later release.",
    "Users": "User management is not built yet. Accounts, roles and passwords arrive in a "
    "later release.",
}
TAB_NAMES = ("Cameras", *NOT_BUILT)
_HEALTH_EVENTS = (StorageAlert, CameraStateChanged, SettingsChanged, SettingsRecovered)


def fetch_health(services: StationServices) -> tuple[StationHealth, tzinfo]:
    """Runs on a TaskRunner thread."""
    return services.overview.health(), services.config.tz()


class MainWindow(QMainWindow):
    """One window from 800x480 to 1920x1080. Owns the TaskRunner (every service call goes
    through it) and the EventBridge; refreshes health every 5 s and on station events."""

    def __init__(self, services: StationServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        self.setWindowTitle("eyepi")
        self._services = services
        self.runner = TaskRunner(self)
        self.bridge = EventBridge(services.bus, self)
        self.banner = Banner()
        self.cameras = CamerasPanel(services, self.runner, self.bridge)
        self.tabs = self._tabs()
        self.status = StationStatusBar(self)
        self.setStatusBar(self.status)
        self.setCentralWidget(self._central())
        self._health_soon = QTimer(self, singleShot=True, interval=50)
        self._health_soon.timeout.connect(self.refresh_health)
        self._health_timer = QTimer(self, interval=HEALTH_MS)
        self._health_timer.timeout.connect(self.refresh_health)
        self._health_timer.start()
        self.bridge.service_event.connect(self._on_event)
        self._closed = False
        self.refresh()

    def _tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        tabs.setObjectName("panelTabs")
        tabs.setDocumentMode(True)
        tabs.tabBar().setExpanding(True)
        tabs.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
        tabs.addTab(self.cameras, "Cameras")
        for name, message in NOT_BUILT.items():
            tabs.addTab(NotBuiltPage(name, message), name)
        return tabs

    def _central(self) -> QWidget:
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        return central

    def refresh(self) -> None:
        """Fetch health and every camera again (off the GUI thread)."""
        self.refresh_health()
        self.cameras.refresh()

    def refresh_health(self) -> None:
        self.runner.refresh("health", partial(fetch_health, self._services), self._show_health)

    def start_station(self, on_shown: Callable[[], object]) -> None:
        """Run ``on_shown`` (camera discovery, scheduler start) off the GUI thread; the panels
        refresh when it is done and the banner says why if it failed."""
        self.runner.run("station-start", on_shown, self._station_started, self._station_failed)

    def _station_started(self, _result: object) -> None:
        self.banner.set_messages("start", [])
        self.cameras.station_started()
        self.refresh_health()

    def _station_failed(self, error: Exception) -> None:
        self.banner.set_messages("start", [f"The cameras could not be started: {error}"])
        self.cameras.station_started()
        self.refresh_health()

    def _show_health(self, result: tuple[StationHealth, tzinfo]) -> None:
        health, tz = result
        self.status.show_health(health, tz)
        self.banner.set_messages("health", formatting.banner_messages(health))

    def _on_event(self, event: object) -> None:
        if isinstance(event, _HEALTH_EVENTS):
            self._health_soon.start()

    def shutdown(self) -> bool:
        """Stop timers, leave the event bus and wait briefly for running tasks. Idempotent;
        True when no task is left running."""
        if self._closed:
            return True
        self._closed = True
        for timer in (self._health_soon, self._health_timer):
            timer.stop()
        self.status.stop()
        self.cameras.stop()
        self.bridge.close()
        return self.runner.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
