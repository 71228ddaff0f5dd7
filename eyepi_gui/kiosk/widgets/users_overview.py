"""The Users panel's first page: what to do, the accounts, and recent activity."""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from eyepi_gui.domain.accounts import AuditEntry, UserInfo
from eyepi_gui.kiosk.widgets.audit_list import AuditList
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label
from eyepi_gui.kiosk.widgets.user_row import UserList


class UsersOverview(QScrollArea):
    """Add user and Change my password, a row per account, the newest audit entries; a note
    says why the admin controls are off. The buttons and ``user_list.manage_requested`` are
    connected by the panel."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("usersOverview")
        self.setWidgetResizable(True)
        self.access_note = plain_label("", "accessNote", wrap=True)
        self.message = plain_label("", "listMessage", wrap=True)
        self.add_button = QPushButton("Add user")
        self.password_button = QPushButton("Change my password")
        self.user_list, self.activity = UserList(), AuditList()
        self.setWidget(self._content())
        flick_to_scroll(self)
        self.show_message("")

    def _content(self) -> QWidget:
        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.password_button)
        buttons.addStretch(1)
        content = QWidget()
        content.setObjectName("usersList")
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 10, 16, 12)
        column.setSpacing(8)
        column.addWidget(self.access_note)
        column.addWidget(self.message)
        column.addLayout(buttons)
        column.addWidget(plain_label("Accounts", "sectionTitle"))
        column.addWidget(self.user_list)
        column.addWidget(plain_label("Recent activity", "sectionTitle"))
        column.addWidget(self.activity)
        column.addStretch(1)
        return content

    def show_data(
        self, users: list[UserInfo], activity: list[AuditEntry], tz: tzinfo, me: str | None
    ) -> None:
        """Show ``users`` (``me`` is marked "you") and ``activity``, newest first."""
        self.user_list.show_users(users, tz, me)
        self.activity.show_entries(activity, tz)

    def clear(self) -> None:
        """Nothing about anyone (nobody is logged in)."""
        self.user_list.clear()
        self.activity.clear()
        self.show_message("")

    def show_message(self, text: str, role: str = "ok") -> None:
        show_message(self.message, text, role)

    def set_access(self, manage_reason: str | None, own_reason: str | None) -> None:
        """Enable what may be used; a note says ``manage_reason`` when managing users is not
        allowed (never a tooltip: a finger cannot hover)."""
        show_message(self.access_note, manage_reason or "", "note")
        self.add_button.setEnabled(manage_reason is None)
        self.user_list.set_allowed(manage_reason is None)
        self.password_button.setEnabled(own_reason is None)
