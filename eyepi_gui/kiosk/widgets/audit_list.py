"""Recent audit entries as plain-text rows: when (local time), who, from where, what.

Usernames, targets and details may hold anything someone typed, so every piece is shown
through a plain-text label, never as rich text.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from eyepi_gui.domain.accounts import AuditEntry
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

ROW_MIN_PX = 48
FAILED = "FAILED"


def when_text(entry: AuditEntry, tz: tzinfo) -> str:
    return f"{datetime.fromtimestamp(entry.at, tz):%Y-%m-%d %H:%M:%S}"


def who_text(entry: AuditEntry) -> str:
    """ "ada (admin, kiosk)", "anonymous (remote 10.0.0.9)"."""
    name = entry.username or "anonymous"
    where = f"{entry.origin} {entry.address}" if entry.address else str(entry.origin)
    return f"{name} ({entry.role}, {where})" if entry.role else f"{name} ({where})"


def what_text(entry: AuditEntry) -> str:
    """ "user_add · bob · added as viewer"; failed ones start with FAILED."""
    parts = ("" if entry.ok else FAILED, entry.action, entry.target, entry.detail)
    return " · ".join(part for part in parts if part)


class AuditRow(QFrame):
    """One entry: time and who on the first line, what on the second; failed ones in red."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditRow")
        self.setMinimumHeight(ROW_MIN_PX)
        self.head = plain_label("", "auditHead", wrap=True)
        self.body = plain_label("", "auditBody", wrap=True)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 4, 12, 4)
        column.setSpacing(0)
        column.addWidget(self.head)
        column.addWidget(self.body)

    def show_entry(self, entry: AuditEntry, tz: tzinfo) -> None:
        self.head.setText(f"{when_text(entry, tz)}   {who_text(entry)}")
        self.body.setText(what_text(entry))
        set_role(self, "" if entry.ok else "failed")


class AuditList(QWidget):
    """The newest entries first; rows are reused from one refresh to the next."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[AuditRow] = []
        self.empty = plain_label("No activity recorded yet.", "auditEmpty", wrap=True)
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(4)
        self._column.addWidget(self.empty)

    def show_entries(self, entries: list[AuditEntry], tz: tzinfo) -> None:
        while len(self.rows) < len(entries):
            self.rows.append(AuditRow(self))
            self._column.addWidget(self.rows[-1])
        for row, entry in zip(self.rows, entries, strict=False):
            row.show_entry(entry, tz)
        for index, row in enumerate(self.rows):
            row.setVisible(index < len(entries))
        self.empty.setVisible(not entries)

    def clear(self) -> None:
        """Show nothing (nobody is logged in); the texts go too, not only the rows."""
        for row in self.rows:
            row.head.clear()
            row.body.clear()
            row.hide()
        self.empty.show()

    def shown_texts(self) -> list[str]:
        """What the visible rows say, one string per row: time and who, a newline, what."""
        return [
            f"{row.head.text()}\n{row.body.text()}" for row in self.rows if row.isVisibleTo(self)
        ]
