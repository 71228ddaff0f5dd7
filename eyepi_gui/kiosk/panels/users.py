"""The Users tab: the station's accounts, recent activity, and (for admins) managing them.

Every service call runs through the TaskRunner; the service decides, the panel only disables
what the person at the screen may not use and says why.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import tzinfo
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.accounts import AuditEntry, UserInfo
from eyepi_gui.domain.events import LoginAttempt, UserChanged
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.widgets.text import plain_label, size_by_current_page
from eyepi_gui.kiosk.widgets.user_forms import AddUserPage, ChangePasswordPage
from eyepi_gui.kiosk.widgets.user_manage import ManageUserPage
from eyepi_gui.kiosk.widgets.user_row import user_facts
from eyepi_gui.kiosk.widgets.users_overview import UsersOverview
from eyepi_gui.services.station_services import StationServices

ACTIVITY_LIMIT = 50
LOCKED_TEXT = "Log in to see the station's user accounts and recent activity."
_REFRESH_EVENTS = (UserChanged, LoginAttempt)
_ACTION_KEYS = ("user-add", "user-role", "user-state", "user-reset", "user-remove", "password")
_ENDS_OWN_SESSION = ("role", "state", "remove")
"""Changes to your own account after which the screen locks, so the next login sees them."""


@dataclass(frozen=True)
class UsersSnapshot:
    """Every account and the newest audit entries, as ``principal`` may see them."""

    principal: Principal
    users: list[UserInfo]
    activity: list[AuditEntry]
    tz: tzinfo


def fetch_snapshot(services: StationServices, principal: Principal) -> UsersSnapshot:
    """Runs on a TaskRunner thread."""
    users = services.users.users(principal)
    activity = services.audit.recent(principal, ACTIVITY_LIMIT)
    return UsersSnapshot(principal, users, activity, services.config.tz())


class UsersPanel(Panel):
    """Accounts and recent activity; add, change and remove accounts (admins); change your own
    password (anyone logged in). Refreshes on user and login events and when the session
    changes; shows nothing of the accounts while nobody is logged in."""

    def __init__(
        self,
        context: PanelContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        services, runner, bridge, session = context.parts()
        self.setObjectName("usersPanel")
        self._services, self._runner, self._session = services, runner, session
        self._snapshot: UsersSnapshot | None = None
        self.locked_note = plain_label(LOCKED_TEXT, "emptyState", wrap=True)
        self.locked_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overview = UsersOverview()
        self.add_page, self.password_page = AddUserPage(), ChangePasswordPage()
        self.manage_page = ManageUserPage()
        self.stack = QStackedWidget(self)
        pages = (self.locked_note, self.overview, self.add_page, self.manage_page)
        for page in (*pages, self.password_page):
            self.stack.addWidget(page)
        size_by_current_page(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._connect_pages()
        bridge.service_event.connect(self._on_event)
        session.changed.connect(self._session_changed)
        self._session_changed(session.principal)

    def _connect_pages(self) -> None:
        self.overview.add_button.clicked.connect(self._open_add)
        self.overview.password_button.clicked.connect(self._open_password)
        self.overview.user_list.manage_requested.connect(self._open_manage)
        for page in (self.add_page, self.password_page):
            page.cancelled.connect(self.show_list)
        self.add_page.submitted.connect(self._add)
        self.password_page.submitted.connect(self._change_own_password)
        self.manage_page.back_requested.connect(self.show_list)
        self.manage_page.role_requested.connect(self._set_role)
        self.manage_page.disable_requested.connect(self._set_disabled)
        self.manage_page.reset_requested.connect(self._reset_password)
        self.manage_page.remove_requested.connect(self._remove)

    # ---- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Fetch the accounts and the newest activity off the GUI thread (when logged in)."""
        principal = self._session.principal
        if principal.username is not None:
            work = partial(fetch_snapshot, self._services, principal)
            self._runner.refresh("users", work, self.show_snapshot, self._fetch_failed)

    def show_snapshot(self, snapshot: UsersSnapshot) -> None:
        if snapshot.principal != self._session.principal:
            return  # fetched for someone who has left the screen since
        self._snapshot = snapshot
        me = snapshot.principal.username
        self.overview.show_data(snapshot.users, snapshot.activity, snapshot.tz, me)
        if self.stack.currentWidget() is self.manage_page:
            self._follow_managed(snapshot)

    def _follow_managed(self, snapshot: UsersSnapshot) -> None:
        user = self._user(self.manage_page.username)
        if user is None:
            self.show_list(f"{self.manage_page.username} no longer exists.")
        else:
            me = snapshot.principal.username
            self.manage_page.update_user(user, user_facts(user, snapshot.tz, me))

    def _user(self, username: str) -> UserInfo | None:
        users = self._snapshot.users if self._snapshot else []
        return next((user for user in users if user.username == username), None)

    def _fetch_failed(self, error: Exception) -> None:
        self.overview.show_message(f"Not loaded: {self.context.say(error)}", "error")

    def show_list(self, message: str = "") -> None:
        self.overview.show_message(message)
        self.stack.setCurrentWidget(self.overview)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def _on_event(self, event: object) -> None:
        if isinstance(event, _REFRESH_EVENTS):
            self.refresh()

    def _session_changed(self, principal: Principal) -> None:
        """Someone else is at the screen: forget what was shown and typed, start on the list."""
        for key in ("users", *_ACTION_KEYS):
            self._runner.cancel(key)
        self._snapshot = None
        self.overview.clear()
        self.add_page.reset()
        self.password_page.reset(principal.username or "")
        self.manage_page.clear()
        self.manage_page.set_busy(False)
        self.show_list()
        if principal.username is None:
            self.stack.setCurrentWidget(self.locked_note)
        self._apply_access()
        self.refresh()

    def _apply_access(self) -> None:
        """Enable what the person at the screen may do; say plainly why the rest is off."""
        reason = self._session.why_not(Permission.MANAGE_USERS)
        own = self._session.why_not(Permission.CHANGE_OWN_PASSWORD)
        self.overview.set_access(reason, own)
        self.manage_page.set_allowed(reason)

    # ---- pages -----------------------------------------------------------------------------

    def _open_add(self) -> None:
        self.add_page.reset()
        self.stack.setCurrentWidget(self.add_page)
        self.add_page.username_edit.setFocus()

    def _open_password(self) -> None:
        self.password_page.reset(self._session.principal.username or "")
        self.stack.setCurrentWidget(self.password_page)
        self.password_page.current_edit.setFocus()

    def _open_manage(self, username: str) -> None:
        user = self._user(username)
        if user is None or self._snapshot is None:
            return
        me = self._snapshot.principal.username
        self.manage_page.open(user, user_facts(user, self._snapshot.tz, me))
        self.stack.setCurrentWidget(self.manage_page)

    # ---- service calls ---------------------------------------------------------------------

    def _add(self, username: str, password: str, role: str) -> None:
        self.add_page.set_busy(True)
        work = partial(self._services.users.add_user, self._session.principal)
        self._runner.run(
            "user-add", partial(work, username, password, role), self._added, self._add_failed
        )

    def _added(self, user: UserInfo) -> None:
        self.add_page.reset()
        self.show_list(f"Added {user.username} as {user.role}.")
        self.refresh()

    def _add_failed(self, error: Exception) -> None:
        self.add_page.set_busy(False)
        self.add_page.show_failure(error)

    def _change_own_password(self, current: str, new: str) -> None:
        self.password_page.set_busy(True)
        work = partial(self._services.users.change_password, self._session.principal, current, new)
        self._runner.run("password", work, self._own_password_changed, self._own_password_failed)

    def _own_password_changed(self, _result: object) -> None:
        self.password_page.set_busy(False)
        self.password_page.show_done()

    def _own_password_failed(self, error: Exception) -> None:
        self.password_page.set_busy(False)
        self.password_page.show_failure(error)

    def _set_role(self, username: str, role: str) -> None:
        work = partial(self._services.users.set_role, self._session.principal, username, role)
        self._manage("role", username, work, f"Role set to {role}.")

    def _set_disabled(self, username: str, disabled: bool) -> None:
        users = self._services.users
        work = partial(users.set_disabled, self._session.principal, username, disabled)
        self._manage("state", username, work, "Disabled." if disabled else "Enabled.")

    def _reset_password(self, username: str, password: str) -> None:
        users = self._services.users
        work = partial(users.reset_password, self._session.principal, username, password)
        self._manage("reset", username, work, f"Password reset. Tell {username} the new one.")

    def _remove(self, username: str) -> None:
        work = partial(self._services.users.remove_user, self._session.principal, username)
        self._manage("remove", username, work, f"Removed {username}.")

    def _manage(self, action: str, username: str, work: Callable[[], object], done: str) -> None:
        self.manage_page.set_busy(True)
        self._runner.run(
            f"user-{action}",
            work,
            partial(self._managed, action, username, done),
            partial(self._manage_failed, action),
        )

    def _managed(self, action: str, username: str, done: str, _result: object) -> None:
        self.manage_page.set_busy(False)
        if username == self._session.principal.username and action in _ENDS_OWN_SESSION:
            self._session.lock()
            return
        if action == "remove":
            self.show_list(done)
        else:
            self.manage_page.show_done(action, done)
        self.refresh()

    def _manage_failed(self, action: str, error: Exception) -> None:
        self.manage_page.set_busy(False)
        self.manage_page.show_failure(action, error)
