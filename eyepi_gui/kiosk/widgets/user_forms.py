"""The Users panel's forms (Qt Designer files in ``ui/``): add a user, change my password.

Forms only collect what was typed and show what they are told: simple rules are checked as
you type, the service checks everything again, and its refusals come back through
``show_failure`` to the field they are about.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QLineEdit, QPushButton, QWidget

from eyepi_gui.domain.access import Role
from eyepi_gui.domain.accounts import password_problem, username_problem
from eyepi_gui.errors import LoginFailed
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.widgets.designer import child
from eyepi_gui.kiosk.widgets.form_page import FormPage, problems_of, show_message

ROLE_BUTTONS = {
    Role.VIEWER: "role_viewer",
    Role.OPERATOR: "role_operator",
    Role.ADMIN: "role_admin",
}
DIFFERENT = "the two passwords differ"
WRONG_CURRENT = "that is not your current password"


def new_password_problems(password: str, repeat: str, username: str) -> dict[str, str]:
    """What is wrong with a new password by the simple rules: under "password" and "confirm"."""
    found: dict[str, str] = {}
    if problem := password_problem(password, username, ()):
        found["password"] = as_sentence(problem)
    if repeat != password:
        found["confirm"] = as_sentence(DIFFERENT)
    return found


class RoleChoice(QObject):
    """The Viewer / Operator / Admin buttons of a form: checkable, exactly one checked.

    Signals:
        picked(role: str): a person pressed a role button (not emitted by ``set_value``).
    """

    picked = Signal(str)

    def __init__(self, form: QWidget) -> None:
        super().__init__(form)
        self.buttons = {role: child(form, QPushButton, name) for role, name in ROLE_BUTTONS.items()}
        self._group = QButtonGroup(self)
        for role, button in self.buttons.items():
            button.setCheckable(True)
            self._group.addButton(button)
            button.clicked.connect(partial(self._clicked, role))

    def value(self) -> Role:
        return next((role for role, b in self.buttons.items() if b.isChecked()), Role.VIEWER)

    def set_value(self, role: Role) -> None:
        self.buttons[role].setChecked(True)

    def set_enabled(self, enabled: bool) -> None:
        for button in self.buttons.values():
            button.setEnabled(enabled)

    def _clicked(self, role: Role, *_checked: object) -> None:
        self.picked.emit(str(role))


class _BackForm(FormPage):
    """A form page with a Back button (``cancel_button``)."""

    def __init__(self, ui_name: str, fields: tuple[str, ...], parent: QWidget | None) -> None:
        super().__init__(ui_name, fields, parent)
        self.cancel_button = child(self.ui, QPushButton, "cancel_button")


class AddUserPage(_BackForm):
    """Username, password twice and a role (viewer unless another is picked).

    Signals:
        submitted(username: str, password: str, role: str): Add pressed, simple rules passed.
        cancelled(): Back pressed.
    """

    submitted = Signal(str, str, str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("users_add.ui", ("username", "password", "confirm", "role"), parent)
        self.setObjectName("addUserPage")
        self.username_edit = child(self.ui, QLineEdit, "username_edit")
        self.password_edit = child(self.ui, QLineEdit, "password_edit")
        self.confirm_edit = child(self.ui, QLineEdit, "confirm_edit")
        self.roles = RoleChoice(self.ui)
        self.add_button = child(self.ui, QPushButton, "add_button")
        self.add_button.clicked.connect(self._submit)
        self.confirm_edit.returnPressed.connect(self._submit)
        self.cancel_button.clicked.connect(self.cancelled)

    def reset(self) -> None:
        self.clear()
        self.set_busy(False)
        self.roles.set_value(Role.VIEWER)

    def set_busy(self, busy: bool) -> None:
        self.add_button.setEnabled(not busy)
        self.add_button.setText("Adding…" if busy else "Add user")

    def problems(self) -> dict[str, str]:
        """What is wrong with the typed values by the simple rules (pure, instant)."""
        username = self.username_edit.text()
        found = new_password_problems(self.password_edit.text(), self.confirm_edit.text(), username)
        if problem := username_problem(username):
            found["username"] = as_sentence(problem)
        return found

    def _submit(self) -> None:
        if not self.add_button.isEnabled():
            return
        found = self.problems()
        self.show_problems(found)
        if not found:
            password, role = self.password_edit.text(), str(self.roles.value())
            self.submitted.emit(self.username_edit.text(), password, role)


class ChangePasswordPage(_BackForm):
    """The logged-in user's current password, and the new one twice.

    Signals:
        submitted(current: str, new: str): Change pressed, simple rules passed.
        cancelled(): Back pressed.
    """

    submitted = Signal(str, str)
    cancelled = Signal()
    RENAMED = {"password": "new"}
    """The new password is "password" to the service."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("users_password.ui", ("current", "new", "confirm"), parent)
        self.setObjectName("changePasswordPage")
        self.intro = child(self.ui, QLabel, "intro")
        self.current_edit = child(self.ui, QLineEdit, "current_edit")
        self.new_edit = child(self.ui, QLineEdit, "new_edit")
        self.confirm_edit = child(self.ui, QLineEdit, "confirm_edit")
        self.change_button = child(self.ui, QPushButton, "change_button")
        self.change_button.clicked.connect(self._submit)
        self.confirm_edit.returnPressed.connect(self._submit)
        self.cancel_button.clicked.connect(self.cancelled)
        self._username = ""

    def reset(self, username: str) -> None:
        """An empty form for ``username`` (the logged-in user)."""
        self._username = username
        self.intro.setText(f"Logged in as {username}. Enter your current password first.")
        self.clear()
        self.set_busy(False)

    def set_busy(self, busy: bool) -> None:
        self.change_button.setEnabled(not busy)
        self.change_button.setText("Changing…" if busy else "Change password")

    def show_failure(self, error: Exception) -> None:
        """A wrong current password (a failed login to the service) shows under its field."""
        if isinstance(error, LoginFailed):  # the account is known: only the password is wrong
            error = LoginFailed(WRONG_CURRENT)
        problems = problems_of(error, self.RENAMED, login_field="current")
        self.show_problems(problems)
        if "current" in problems:
            self.current_edit.clear()

    def show_done(self) -> None:
        self.clear()
        show_message(self.message, "Your password was changed.", "ok")

    def problems(self) -> dict[str, str]:
        new, repeat = self.new_edit.text(), self.confirm_edit.text()
        found = new_password_problems(new, repeat, self._username)
        if "password" in found:
            found["new"] = found.pop("password")
        if not self.current_edit.text():
            found["current"] = "Enter your current password."
        return found

    def _submit(self) -> None:
        if not self.change_button.isEnabled():
            return
        found = self.problems()
        self.show_problems(found)
        if not found:
            self.submitted.emit(self.current_edit.text(), self.new_edit.text())
