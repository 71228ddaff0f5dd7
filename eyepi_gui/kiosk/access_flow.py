"""Logging in on the touchscreen: which screen shows, and the service calls behind it."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal

from eyepi_gui.domain.access import Origin, Principal
from eyepi_gui.domain.events import UserChanged
from eyepi_gui.errors import Forbidden, InvalidInput
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.lock_screen import FirstRunPage, LoginPage
from eyepi_gui.kiosk.messages import sentence as say
from eyepi_gui.kiosk.session import KioskSession
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.services.station_services import StationServices

MAIN, LOGIN, FIRST_RUN = "main", "login", "first_run"


class AccessFlow(QObject):
    """Keeps the session and the screens in step: the first-run screen while no account
    exists, the login screen while locked (unless the locked view may be shown), else main.

    Signals:
        screen_wanted(name: str): "main", "login" or "first_run" should be shown.
    """

    screen_wanted = Signal(str)

    def __init__(
        self,
        services: StationServices,
        runner: TaskRunner,
        session: KioskSession,
        login: LoginPage,
        bridge: EventBridge,
    ) -> None:
        super().__init__(session)
        self._services, self._runner, self._session = services, runner, session
        self.login_page = login
        self._first_run: FirstRunPage | None = None
        self._needs_admin = False
        self._login_asked = False
        login.submitted.connect(self._log_in)
        login.cancelled.connect(self._back)
        session.changed.connect(self._session_changed)
        bridge.service_event.connect(self._on_event)

    @property
    def first_run_page(self) -> FirstRunPage:
        """Built when first needed: most starts find accounts and never show it."""
        if self._first_run is None:
            self._first_run = FirstRunPage()
            self._first_run.submitted.connect(self._create_admin)
        return self._first_run

    def start(self) -> None:
        """Find out whether an administrator exists yet (off the GUI thread)."""
        self._runner.run("needs-admin", self._services.users.needs_first_admin, self._admin_known)

    def ask_login(self) -> None:
        """Show the login screen (the "Log in" button of the locked view)."""
        self._login_asked = True
        self.login_page.reset(can_go_back=self._session.viewer_when_locked)
        self._show()

    def screen(self) -> str:
        if self._needs_admin:
            return FIRST_RUN
        if self._session.locked and (self._login_asked or not self._session.viewer_when_locked):
            return LOGIN
        return MAIN

    def _show(self) -> None:
        self.screen_wanted.emit(self.screen())

    def _admin_known(self, needed: bool) -> None:
        self._needs_admin = needed
        self._show()

    def _session_changed(self, _principal: Principal) -> None:
        if self._session.locked:
            self.login_page.reset(can_go_back=self._session.viewer_when_locked)
        self._show()

    def _back(self) -> None:
        self._login_asked = False
        self._show()

    def _log_in(self, username: str, password: str) -> None:
        self.login_page.set_busy(True)
        work = partial(self._services.login.login, Origin.KIOSK, username, password)
        self._runner.run("login", work, self._logged_in, self._login_failed)

    def _logged_in(self, principal: Principal) -> None:
        self._login_asked = False
        self.login_page.clear()
        self.login_page.set_busy(False)
        self._session.log_in(principal)

    def _login_failed(self, error: Exception) -> None:
        self.login_page.set_busy(False)
        self.login_page.password_edit.clear()
        self.login_page.password_edit.setFocus()
        self.login_page.show_error(say(error))

    def _create_admin(self, username: str, password: str) -> None:
        self.first_run_page.set_busy(True)
        work = partial(self._services.users.create_first_admin, Origin.KIOSK, username, password)
        self._runner.run("first-admin", work, self._admin_created, self._admin_failed)

    def _admin_created(self, principal: Principal) -> None:
        self._needs_admin = False
        self.first_run_page.clear()
        self.first_run_page.set_busy(False)
        self._session.log_in(principal)

    def _admin_failed(self, error: Exception) -> None:
        self.first_run_page.set_busy(False)
        if isinstance(error, InvalidInput):
            self.first_run_page.show_problems({error.field: as_sentence(error.reason)})
        elif isinstance(error, Forbidden):  # someone else created the first account meanwhile
            self._needs_admin = False
            self._show()
        else:
            self.first_run_page.show_error(f"Not created: {say(error)}")

    def _on_event(self, event: object) -> None:
        """Someone else changed the logged-in user's account: lock, so the next login sees
        the new role (or no account at all)."""
        principal = self._session.principal
        if not isinstance(event, UserChanged) or principal.username is None:
            return
        if event.username == principal.username and event.by != principal.username:
            self._session.lock()
