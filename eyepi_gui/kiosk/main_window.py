"""The kiosk window: a problem banner, one tab per panel and the station status bar."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import tzinfo
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QPaintEvent, QShowEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Principal
from eyepi_gui.domain.events import (
    CamerasChanged,
    CameraStateChanged,
    SettingsChanged,
    SettingsRecovered,
    StorageAlert,
)
from eyepi_gui.kiosk import formatting
from eyepi_gui.kiosk import tabs as tab_table
from eyepi_gui.kiosk.access_flow import FIRST_RUN, LOGIN, AccessFlow
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.lock_screen import FirstRunPage, LoginPage
from eyepi_gui.kiosk.messages import sentence
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.session import KioskSession
from eyepi_gui.kiosk.status_bar import StationStatusBar
from eyepi_gui.kiosk.tab_bar import TabBarFit
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.kiosk.this_station import ThisStation
from eyepi_gui.kiosk.widgets.banner import Banner
from eyepi_gui.kiosk.widgets.lazy_page import LazyPage
from eyepi_gui.kiosk.widgets.text import size_by_current_page
from eyepi_gui.resources import resource_path
from eyepi_gui.services.overview import StationHealth
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.settings import SecuritySettings

if TYPE_CHECKING:
    from eyepi_gui.kiosk.jobs_indicator import JobsIndicator
    from eyepi_gui.kiosk.widgets.job_progress import JobProgressStrip
    from eyepi_gui.kiosk.widgets.keyboard import TouchKeyboard

P = TypeVar("P", bound=Panel)

HEALTH_MS = 5000
SMALL_SCREEN_PX = 600
"""Windows up to this height hide the status bar while the on-screen keyboard shows."""
USER_PX = 90
"""Widest a username may show on the corner button (px); longer ones end in "…"."""
_HEALTH_EVENTS = (
    StorageAlert,
    CameraStateChanged,
    CamerasChanged,
    SettingsChanged,
    SettingsRecovered,
)


def fetch_health(services: StationServices) -> tuple[StationHealth, tzinfo, SecuritySettings]:
    """Runs on a TaskRunner thread."""
    return services.overview.health(), services.config.tz(), services.config.current().security


class MainWindow(QMainWindow):
    """One window from 800x480 to 1920x1080. Owns the TaskRunner (every service call goes
    through it) and the EventBridge; refreshes health every 5 s and on station events.
    While a job runs the status bar says so; tapping that shows its progress strip above the
    tabs."""

    def __init__(self, services: StationServices, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("kioskWindow")
        self.setWindowTitle("eyepi")
        self._services = services
        self.runner = TaskRunner(self)
        self.bridge = EventBridge(services.bus, self)
        self.session = KioskSession(self)
        self.banner = Banner()
        self._station_up = False
        self.context = PanelContext(
            services, self.runner, self.bridge, self.session, self._watch_job, self._show_camera
        )
        self._pages: dict[str, tuple[tab_table.Tab, LazyPage]] = {}
        self._rows_added = False
        self.tabs = self._tabs()
        self.status = StationStatusBar(self)
        self.setStatusBar(self.status)
        self._jobs: tuple[JobProgressStrip, JobsIndicator] | None = None
        self.login_page = LoginPage()
        self.this_station = ThisStation(self, self.status, self.login_page, services, self.runner)
        self.screens = self._screens()
        self._column = _column(self.banner, self.screens)
        self.setCentralWidget(self._column)
        self._keyboard: TouchKeyboard | None = None  # attached after the first paint
        self._painted = False
        self.access = AccessFlow(services, self.runner, self.session, self.login_page, self.bridge)
        self.access.screen_wanted.connect(self._show_screen)
        self.session_button.clicked.connect(self._session_button)
        self.session.changed.connect(self._show_session)
        self._health_soon = QTimer(self, singleShot=True, interval=50)
        self._health_soon.timeout.connect(self.refresh_health)
        self._health_timer = QTimer(self, interval=HEALTH_MS)
        self._health_timer.timeout.connect(self.refresh_health)
        self._health_timer.start()
        self.bridge.service_event.connect(self._on_event)
        self._closed = False
        self._show_session(self.session.principal)
        self._show_screen(self.access.screen())
        self.access.start()

    def _tabs(self) -> QTabWidget:
        tabs = QTabWidget()
        tabs.setObjectName("panelTabs")
        tabs.setDocumentMode(True)
        tabs.tabBar().setExpanding(True)
        tabs.tabBar().setElideMode(Qt.TextElideMode.ElideNone)
        self.session_button = QPushButton("Log in")
        self.session_button.setObjectName("sessionButton")
        self.session_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tabs.setCornerWidget(self.session_button, Qt.Corner.TopRightCorner)
        self.tab_fit = TabBarFit(tabs, self.session_button, [t.label for t in tab_table.TABS])
        return tabs

    def _tab_rows(self) -> None:
        """One tab per row of the tab table, and the session button's icon. The first screen
        is the login screen, so they wait for the first paint (their SVG icons bring Qt's SVG
        engine in: some 12 ms); anything that wants the tabs sooner adds them first."""
        if self._rows_added:
            return
        self._rows_added = True
        self.session_button.setIcon(_icon("lock.svg"))
        for tab in tab_table.TABS:
            page = LazyPage(partial(self._build_panel, tab))
            self._pages[tab.name] = (tab, page)
            index = self.tabs.addTab(page, _icon(tab.icon), tab.label)
            self.tabs.setTabToolTip(index, tab.name)
        size_by_current_page(self.tabs)
        self.tab_fit.refit()

    def _build_panel(self, tab: tab_table.Tab) -> Panel:
        panel = tab.panel_class()(self.context)
        if self._station_up:
            panel.station_started()
        return panel

    def tab_names(self) -> list[str]:
        """Every tab's name, in tab-bar order."""
        self._tab_rows()
        return list(self._pages)

    def show_tab(self, name: str) -> Panel:
        """Make tab ``name`` current and return its panel (built now if it was not)."""
        self._tab_rows()
        _tab, page = self._pages[name]
        self.tabs.setCurrentWidget(page)
        return page.content()

    def panel(self, cls: type[P]) -> P:
        """The panel of class ``cls``, built now if it was not: ``window.panel(UsersPanel)``."""
        self._tab_rows()
        for tab, page in self._pages.values():
            built = page.built
            if isinstance(built, cls) or (built is None and tab.holds(cls)):
                content = page.content()
                if isinstance(content, cls):
                    return content
        raise LookupError(f"no tab holds a {cls.__name__}")

    def built_panels(self) -> Iterator[Panel]:
        """The panels built so far (tabs shown at least once)."""
        for _tab, page in self._pages.values():
            if page.built is not None:
                yield page.built

    def _screens(self) -> QStackedWidget:
        screens = QStackedWidget()
        screens.setObjectName("screens")
        for page in (self.tabs, self.login_page):
            screens.addWidget(page)
        size_by_current_page(screens)
        return screens

    @property
    def first_run_page(self) -> FirstRunPage:
        """The first-run screen, built and added to the screens when first needed."""
        page = self.access.first_run_page
        if self.screens.indexOf(page) < 0:
            self.screens.addWidget(page)
        return page

    def _show_screen(self, name: str) -> None:
        page: LoginPage | FirstRunPage | None = None
        if name == LOGIN:
            page = self.login_page
        elif name == FIRST_RUN:
            page = self.first_run_page
        if page is None:
            self._tab_rows()
            self.screens.setCurrentIndex(0)
        else:
            self.screens.setCurrentWidget(page)
            page.username_edit.setFocus()

    def _show_session(self, principal: Principal) -> None:
        """The corner button locks the screen, or logs in while locked; it names the user."""
        if principal.username is None:
            self.tab_fit.set_button_text("Log in", "Log in")
            self.session_button.setToolTip("")
            return
        metrics = self.session_button.fontMetrics()
        name = metrics.elidedText(principal.username, Qt.TextElideMode.ElideRight, USER_PX)
        self.tab_fit.set_button_text(f"Lock · {name}", "Lock")
        self.session_button.setToolTip(f"{principal.username} ({principal.role})")

    @property
    def keyboard(self) -> TouchKeyboard:
        """The on-screen keyboard: attached just after the first paint (its ~80 keys are not
        needed to paint the first screen), or now if asked for sooner."""
        if self._keyboard is None:
            from eyepi_gui.kiosk.widgets.keyboard import attach_keyboard, keyboard_wanted

            self._keyboard = attach_keyboard(self, automatic=False)
            self._keyboard.about_to_show.connect(lambda: self._keyboard_shown(True))
            self._keyboard.visibility_changed.connect(self._keyboard_shown)
            # Only now: a field that has focus already brings the keyboard up at once.
            self._keyboard.set_enabled_automatic(keyboard_wanted())
        return self._keyboard

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            QTimer.singleShot(0, self._after_first_paint)

    def _after_first_paint(self) -> None:
        """What the first screen does not need: the tabs, the keyboard, and the station's
        health (a worker thread competing for the interpreter while the window is still
        painting). Nothing when the window closed before the event loop got here."""
        if self._closed:
            return
        self._tab_rows()
        _ = self.jobs_indicator
        _ = self.keyboard
        self.refresh_health()

    @property
    def job_strip(self) -> JobProgressStrip:
        """The progress strip above the screens (built after the first paint)."""
        return self._job_widgets()[0]

    @property
    def jobs_indicator(self) -> JobsIndicator:
        """The status bar's "a job runs" button (built after the first paint)."""
        return self._job_widgets()[1]

    def _watch_job(self, job_id: str) -> None:
        """A panel started job ``job_id``: follow it in the progress strip."""
        self.job_strip.watch(job_id)

    def _show_camera(self, camera_id: str) -> None:
        """A panel links to camera ``camera_id``: its card on the Cameras tab."""
        self.show_tab(tab_table.CAMERA_TAB).show_camera(camera_id)

    def _job_widgets(self) -> tuple[JobProgressStrip, JobsIndicator]:
        """The jobs' widgets, made at first use: the first screen shows no job, and their
        modules are kept out of start-up (tests/bench/test_startup.py)."""
        if self._jobs is None:
            from eyepi_gui.kiosk.jobs_indicator import JobsIndicator
            from eyepi_gui.kiosk.widgets.job_progress import JobProgressStrip

            strip = JobProgressStrip(self._services, self.runner, self.bridge, self.session)
            indicator = JobsIndicator(self._services, self.runner, self.bridge)
            indicator.job_wanted.connect(strip.watch)
            self.status.add_jobs_indicator(indicator)
            column = self._column.layout()
            assert isinstance(column, QVBoxLayout)
            column.insertWidget(1, strip)  # under the banner, above the screens
            self._jobs = strip, indicator
        return self._jobs

    def _keyboard_shown(self, shown: bool) -> None:
        """The status bar gives its rows to the keyboard on small screens."""
        self.status.setVisible(not shown or self.height() > SMALL_SCREEN_PX)

    def _session_button(self) -> None:
        if self.session.locked:
            self.access.ask_login()
        else:
            self.session.lock()

    def refresh_health(self) -> None:
        self.runner.refresh("health", partial(fetch_health, self._services), self._show_health)

    def start_station(self, on_shown: Callable[[], object]) -> None:
        """Run ``on_shown`` (camera discovery, scheduler start) off the GUI thread; the panels
        refresh when it is done and the banner says why if it failed."""
        self.runner.run("station-start", on_shown, self._station_started, self._station_failed)

    def _station_started(self, _result: object) -> None:
        self.banner.set_messages("start", [])
        self._cameras_looked_for()

    def _station_failed(self, error: Exception) -> None:
        why = sentence(error)
        self.banner.set_messages("start", [f"The cameras could not be started. {why}"])
        self._cameras_looked_for()

    def _cameras_looked_for(self) -> None:
        self._station_up = True
        for panel in self.built_panels():
            panel.station_started()
        self.refresh_health()

    def _show_health(self, result: tuple[StationHealth, tzinfo, SecuritySettings]) -> None:
        health, tz, security = result
        self.session.configure(security.auto_lock_s, security.viewer_when_locked)
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
        self.session.stop()
        if (handle := self.windowHandle()) is not None:
            handle.removeEventFilter(self.session)
        for panel in self.built_panels():
            panel.stop()
        self.this_station.stop()
        self.bridge.close()
        return self.runner.close()

    def showEvent(self, event: QShowEvent) -> None:
        """Every touch, click and key reaches the top-level window before any widget: watching
        it (not the whole application) counts activity for the auto-lock at little cost."""
        super().showEvent(event)
        if (handle := self.windowHandle()) is not None:
            handle.removeEventFilter(self.session)
            handle.installEventFilter(self.session)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)


def _icon(name: str) -> QIcon:
    """An SVG from the package's resources/icons/."""
    return QIcon(str(resource_path("icons", name)))


def _column(*tops: QWidget) -> QWidget:
    """``tops`` over the last widget (which takes the room left) in a vertical layout, so
    the keyboard can be added below."""
    column = QWidget()
    layout = QVBoxLayout(column)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    *above, main = tops
    for top in above:
        layout.addWidget(top)
    layout.addWidget(main, 1)
    return column
