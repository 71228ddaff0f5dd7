"""The accounts of the station as touch rows: name, role, state, last change, and Manage."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from eyepi_gui.domain.accounts import UserInfo
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

ROW_MIN_PX = 64
"""A row is a card at least this tall (logical px): a finger finds it and its 48 px button."""


def user_facts(user: UserInfo, tz: tzinfo, me: str | None) -> str:
    """Role, state and last change in words: "admin · you · changed 2024-05-01 14:03"."""
    changed = datetime.fromtimestamp(user.changed_at, tz)
    parts = [
        str(user.role),
        "disabled" if user.disabled else "",
        "you" if user.username == me else "",
        f"changed {changed:%Y-%m-%d %H:%M}",
    ]
    return " · ".join(part for part in parts if part)


class UserRow(QFrame):
    """One account. Shows what it is given; asks for the account's page by signal.

    Signals:
        manage_requested(username: str): the Manage button was pressed.
    """

    manage_requested = Signal(str)

    def __init__(self, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("userRow")
        self.setMinimumHeight(ROW_MIN_PX)
        self.username = username
        self.name = plain_label(username, "userName")
        self.facts = plain_label("", "userFacts", wrap=True)
        self.manage_button = QPushButton("Manage", self)
        self.manage_button.clicked.connect(self._manage)
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name)
        text.addWidget(self.facts)
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 6, 10, 6)
        row.setSpacing(12)
        row.addLayout(text, 1)
        row.addWidget(self.manage_button)

    def show_user(self, user: UserInfo, facts: str) -> None:
        self.facts.setText(facts)
        set_role(self, "off" if user.disabled else "")

    def _manage(self) -> None:
        self.manage_requested.emit(self.username)


class UserList(QWidget):
    """A row per account, in the order given; rows are kept while their account exists.

    Signals:
        manage_requested(username: str): a row's Manage button was pressed.
    """

    manage_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, UserRow] = {}
        self._allowed = False
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(8)

    def show_users(self, users: list[UserInfo], tz: tzinfo, me: str | None) -> None:
        """Show ``users``; ``me`` (the logged-in username) is marked "you"."""
        names = {user.username for user in users}
        for gone in set(self.rows) - names:
            self._drop(gone)
        for index, user in enumerate(users):
            row = self.rows.get(user.username) or self._new_row(user.username)
            row.show_user(user, user_facts(user, tz, me))
            if self._column.indexOf(row) != index:
                self._column.removeWidget(row)
                self._column.insertWidget(index, row)

    def clear(self) -> None:
        """No rows (nobody is logged in)."""
        for username in list(self.rows):
            self._drop(username)

    def _drop(self, username: str) -> None:
        row = self.rows.pop(username)
        self._column.removeWidget(row)
        row.hide()
        row.deleteLater()

    def set_allowed(self, allowed: bool) -> None:
        """Enable every Manage button (the person at the screen may manage users), or none."""
        self._allowed = allowed
        for row in self.rows.values():
            row.manage_button.setEnabled(allowed)

    def _new_row(self, username: str) -> UserRow:
        row = UserRow(username, self)
        row.manage_button.setEnabled(self._allowed)
        row.manage_requested.connect(self.manage_requested)
        self.rows[username] = row
        return row
