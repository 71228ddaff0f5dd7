"""The Storage tab's exports history: when, to which stick, by whom, how many files were
verified there and how each ended (newest first). Labels and names are plain text."""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from eyepi_gui.domain.export import ExportRecord
from eyepi_gui.kiosk.formatting import bytes_text
from eyepi_gui.kiosk.panels.storage.titles import section_title
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

NO_EXPORTS = "No export made yet."


def record_title(record: ExportRecord, tz: tzinfo) -> str:
    """ "2025-06-01 14:05 to EYEPI TEST" (local time)."""
    when = datetime.fromtimestamp(record.started_at, tz)
    return f"{when:%Y-%m-%d %H:%M} to {record.label or record.device}"


def record_facts(record: ExportRecord) -> str:
    """ "by otto (kiosk) · 12 files, 3.4 MB verified · ext4 on /dev/sdb1 · done"."""
    where = f"{record.fstype} on {record.device}" if record.fstype else record.device
    files = f"{record.files:,} file{'' if record.files == 1 else 's'}"
    return " · ".join(
        (f"by {record.by}", f"{files}, {bytes_text(record.bytes)} verified", where, record.outcome)
    )


def outcome_role(outcome: str) -> str:
    if outcome == "done":
        return "ok"
    return "" if outcome == "running" else "error"


class HistorySection(QWidget):
    """The last exports, one small block each (rebuilt on each refresh: a few rows)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[QLabel, QLabel]] = []
        self.empty = plain_label(NO_EXPORTS, "hint", wrap=True)
        self.problem = plain_label("", wrap=True)
        self.problem.hide()
        self._rows = QVBoxLayout()
        self._rows.setSpacing(6)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(section_title("Exports made"))
        column.addWidget(self.problem)
        column.addWidget(self.empty)
        column.addLayout(self._rows)

    def show_history(self, records: list[ExportRecord], tz: tzinfo) -> None:
        while (item := self._rows.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.hide()
                widget.deleteLater()
        self.rows = [self._add(record, tz) for record in records]
        self.empty.setVisible(not records)
        self.problem.hide()

    def _add(self, record: ExportRecord, tz: tzinfo) -> tuple[QLabel, QLabel]:
        box = QFrame()
        box.setObjectName("storageRow")
        title = plain_label(record_title(record, tz), "storageRowTitle", wrap=True)
        facts = plain_label(record_facts(record), "storageRowFacts", wrap=True)
        set_role(facts, outcome_role(record.outcome))
        column = QVBoxLayout(box)
        column.setContentsMargins(12, 6, 12, 6)
        column.setSpacing(2)
        column.addWidget(title)
        column.addWidget(facts)
        self._rows.addWidget(box)
        return title, facts

    def show_problem(self, text: str) -> None:
        self.problem.setText(f"The exports cannot be listed: {text}")
        set_role(self.problem, "error")
        self.problem.show()
