"""One account on the Users panel (``ui/users_manage.ui``): its role, sign-in, a new password,
and removal behind an explicit confirm step on the page itself."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QLineEdit, QPushButton, QScrollArea, QWidget

from eyepi_gui.domain.access import Role
from eyepi_gui.domain.accounts import UserInfo
from eyepi_gui.kiosk.widgets.designer import child, fill_with_ui
from eyepi_gui.kiosk.widgets.form_page import problems_of, show_message
from eyepi_gui.kiosk.widgets.text import flick_to_scroll
from eyepi_gui.kiosk.widgets.user_forms import RoleChoice, new_password_problems

ACTIONS = ("role", "state", "reset", "remove")
"""What the page asks for; each has its own ``<action>_message`` label."""
_RESET_FIELDS = ("password", "confirm")


class ManageUserPage(QWidget):
    """Shows one account and asks for changes by signal; the panel runs them and reports back
    with ``show_done`` / ``show_failure(action, error)``.

    Signals:
        role_requested(username: str, role: str): a role other than the current one was pressed.
        disable_requested(username: str, disabled: bool): Disable or Enable was pressed.
        reset_requested(username: str, password: str): Reset pressed, simple rules passed.
        remove_requested(username: str): removal confirmed on the page.
        back_requested(): Back pressed.
    """

    role_requested = Signal(str, str)
    disable_requested = Signal(str, bool)
    reset_requested = Signal(str, str)
    remove_requested = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manageUserPage")
        self.ui = fill_with_ui(self, "users_manage.ui")
        self.user: UserInfo | None = None
        self._allowed, self._busy = True, False
        self.title = child(self.ui, QLabel, "title")
        self.facts = child(self.ui, QLabel, "facts")
        self.access_message = child(self.ui, QLabel, "access_message")
        self.roles = RoleChoice(self.ui)
        self.password_edit = child(self.ui, QLineEdit, "password_edit")
        self.confirm_edit = child(self.ui, QLineEdit, "confirm_edit")
        self.confirm_box = child(self.ui, QFrame, "confirm_box")
        self.confirm_text = child(self.ui, QLabel, "confirm_text")
        self.fields_scroll = child(self.ui, QScrollArea, "scroll")
        flick_to_scroll(self.fields_scroll)
        self.messages = {
            name: child(self.ui, QLabel, f"{name}_message") for name in (*ACTIONS, *_RESET_FIELDS)
        }
        self._connect_buttons()
        self.clear()

    def _connect_buttons(self) -> None:
        self.back_button = self._button("back_button", self.back_requested.emit)
        self.state_button = self._button("state_button", self._toggle_disabled)
        self.reset_button = self._button("reset_button", self._reset)
        self.remove_button = self._button("remove_button", self._ask_remove)
        self.keep_button = self._button("keep_button", self._keep)
        self.confirm_remove_button = self._button("confirm_remove_button", self._remove)
        self.roles.picked.connect(self._pick_role)
        self.confirm_edit.returnPressed.connect(self._reset)

    def _button(self, name: str, slot: Callable[[], object]) -> QPushButton:
        button = child(self.ui, QPushButton, name)
        button.clicked.connect(slot)
        return button

    @property
    def username(self) -> str:
        return self.user.username if self.user else ""

    def open(self, user: UserInfo, facts: str) -> None:
        """Start on ``user`` with empty fields and no messages."""
        self.clear()
        self.update_user(user, facts)

    def update_user(self, user: UserInfo, facts: str) -> None:
        """Show ``user`` as it is now; ``facts`` is its role, state and last change in words."""
        self.user = user
        self.title.setText(user.username)
        self.facts.setText(facts)
        self.roles.set_value(user.role)
        self.state_button.setText("Enable account" if user.disabled else "Disable account")
        self.confirm_text.setText(
            f"Remove {user.username}? The account is deleted and cannot be restored; "
            "its audit entries stay."
        )

    def clear(self) -> None:
        """Empty the password fields, close the confirm step, hide every message."""
        self.password_edit.clear()
        self.confirm_edit.clear()
        self.confirm_box.hide()
        self.show_problems("role", {})

    def set_allowed(self, reason: str | None) -> None:
        """Enable the controls, or disable them all and say ``reason`` on the page."""
        self._allowed = reason is None
        show_message(self.access_message, reason or "")
        self._enable()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._enable()

    def _enable(self) -> None:
        usable = self._allowed and not self._busy
        self.roles.set_enabled(usable)
        for button in (self.state_button, self.reset_button, self.remove_button):
            button.setEnabled(usable)
        for widget in (self.keep_button, self.confirm_remove_button):
            widget.setEnabled(usable)
        for edit in (self.password_edit, self.confirm_edit):
            edit.setEnabled(self._allowed)

    def show_done(self, action: str, text: str) -> None:
        self.show_problems(action, {})
        show_message(self.messages[action], text, "ok")
        if action == "reset":
            self.password_edit.clear()
            self.confirm_edit.clear()

    def show_failure(self, action: str, error: Exception) -> None:
        """Say why ``action`` failed next to its controls; the role buttons go back."""
        self.show_problems(action, problems_of(error))
        if action == "remove":
            self.confirm_box.hide()
        if self.user is not None:
            self.roles.set_value(self.user.role)

    def show_problems(self, action: str, problems: Mapping[str, str]) -> None:
        """Reasons about the new password under its fields, the rest next to ``action``."""
        fields = _RESET_FIELDS if action == "reset" else ()
        for name, label in self.messages.items():
            show_message(label, problems.get(name, "") if name in fields else "")
        rest = [reason for field, reason in problems.items() if field not in fields]
        show_message(self.messages[action], " ".join(rest))

    def _pick_role(self, role: str) -> None:
        if self.user is not None and Role(role) is not self.user.role:
            self.role_requested.emit(self.username, role)

    def _toggle_disabled(self) -> None:
        if self.user is not None:
            self.disable_requested.emit(self.username, not self.user.disabled)

    def _reset(self) -> None:
        if not self.reset_button.isEnabled():
            return
        password = self.password_edit.text()
        found = new_password_problems(password, self.confirm_edit.text(), self.username)
        self.show_problems("reset", found)
        if not found:
            self.reset_requested.emit(self.username, password)

    def _ask_remove(self) -> None:
        self.show_problems("remove", {})
        self.confirm_box.show()
        # after the scroll area has laid out the box, so the whole box comes into view
        QTimer.singleShot(0, self, self._reveal_confirm)

    def _reveal_confirm(self) -> None:
        self.fields_scroll.ensureWidgetVisible(self.confirm_box)

    def _keep(self) -> None:
        self.confirm_box.hide()

    def _remove(self) -> None:
        if self.user is not None:
            self.remove_requested.emit(self.username)
