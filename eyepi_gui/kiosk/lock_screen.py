"""The screens in front of the station: log in, and create the first administrator.

Both only collect what was typed and show what they are told; the window runs the service
calls off the GUI thread and reports back (``show_error`` / ``show_problems``).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QWidget

from eyepi_gui.domain.accounts import PASSWORD_MAX_BYTES, PASSWORD_MIN_CHARS, username_problem
from eyepi_gui.kiosk.widgets.designer import child
from eyepi_gui.kiosk.widgets.form_page import FormPage


class _FormPage(FormPage):
    """A form with username and password fields."""

    def __init__(self, ui_name: str, fields: tuple[str, ...], parent: QWidget | None) -> None:
        super().__init__(ui_name, fields, parent)
        self.username_edit = child(self.ui, QLineEdit, "username_edit")
        self.password_edit = child(self.ui, QLineEdit, "password_edit")


class LoginPage(_FormPage):
    """Username and password; Back returns to the read-only view when that is allowed.

    Signals:
        submitted(username: str, password: str): Log in pressed (or Enter in the password).
        cancelled(): Back pressed.
        about_wanted(): "This station" pressed (readable while locked: nothing secret).
    """

    submitted = Signal(str, str)
    cancelled = Signal()
    about_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("login.ui", ("username", "password"), parent)
        self.setObjectName("loginPage")
        self.login_button = child(self.ui, QPushButton, "login_button")
        self.cancel_button = child(self.ui, QPushButton, "cancel_button")
        self.login_button.clicked.connect(self._submit)
        self.password_edit.returnPressed.connect(self._submit)
        self.username_edit.returnPressed.connect(self.password_edit.setFocus)
        self.cancel_button.clicked.connect(self.cancelled)
        self.about_button = QPushButton("This station")
        self.about_button.setObjectName("aboutButton")
        self.about_button.clicked.connect(self.about_wanted)
        row = self.ui.findChild(QHBoxLayout, "button_row")
        assert isinstance(row, QHBoxLayout), "login.ui has the button_row layout"
        row.insertWidget(0, self.about_button)

    def reset(self, can_go_back: bool) -> None:
        """Empty fields, no message; Back only where the read-only view may be shown."""
        self.clear()
        self.set_busy(False)
        self.cancel_button.setVisible(can_go_back)

    def set_busy(self, busy: bool) -> None:
        self.login_button.setEnabled(not busy)
        self.login_button.setText("Checking…" if busy else "Log in")

    def _submit(self) -> None:
        if not self.login_button.isEnabled():
            return
        if not self.username_edit.text() or not self.password_edit.text():
            self.show_error("Enter your username and password.")
            return
        self.submitted.emit(self.username_edit.text(), self.password_edit.text())


class FirstRunPage(_FormPage):
    """Creates the administrator on a station that has no account yet. Simple rules are
    checked as you type; the service checks everything again (common passwords too).

    Signals:
        submitted(username: str, password: str): Create pressed with matching passwords.
    """

    submitted = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("first_run.ui", ("username", "password", "confirm"), parent)
        self.setObjectName("firstRunPage")
        self.confirm_edit = child(self.ui, QLineEdit, "confirm_edit")
        self.create_button = child(self.ui, QPushButton, "create_button")
        self.create_button.clicked.connect(self._submit)
        self.confirm_edit.returnPressed.connect(self._submit)

    def set_busy(self, busy: bool) -> None:
        self.create_button.setEnabled(not busy)
        self.create_button.setText("Creating…" if busy else "Create administrator")

    def problems(self) -> dict[str, str]:
        """What is wrong with the typed values by the simple rules (pure, instant)."""
        username, password = self.username_edit.text(), self.password_edit.text()
        found: dict[str, str] = {}
        if problem := username_problem(username):
            found["username"] = problem
        if len(password) < PASSWORD_MIN_CHARS:
            found["password"] = f"at least {PASSWORD_MIN_CHARS} characters"
        elif len(password.encode("utf-8")) > PASSWORD_MAX_BYTES:
            found["password"] = f"at most {PASSWORD_MAX_BYTES} bytes"
        if self.confirm_edit.text() != password:
            found["confirm"] = "the two passwords differ"
        return found

    def _submit(self) -> None:
        if not self.create_button.isEnabled():
            return
        found = self.problems()
        self.show_problems(found)
        if not found:
            self.submitted.emit(self.username_edit.text(), self.password_edit.text())
