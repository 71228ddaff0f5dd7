"""One log entry in full: every field of its line as plain text (scrollable), and when it
names a camera a button to that camera's card."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import tzinfo
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from eyepi_gui.domain.log_entries import LogEntry
from eyepi_gui.kiosk.panels.logs.rows import level_text, time_text
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label


def detail_text(entry: LogEntry, tz: tzinfo) -> str:
    """Every field, one "name: value" a line (nested values as JSON; a traceback as is)."""
    if entry.plain:
        return f"A line that is not a station log entry:\n\n{entry.message}"
    lines = [f"time: {time_text(entry, tz) or 'none'}", f"message: {entry.message}"]
    lines += _fields(entry.fields)
    return "\n".join(lines)


def _fields(fields: Mapping[str, Any], indent: str = "") -> list[str]:
    lines = []
    for name, value in fields.items():
        if name in ("msg", "message") and not indent:
            continue
        if isinstance(value, Mapping):
            lines += [f"{indent}{name}:", *_fields(value, indent + "    ")]
        elif isinstance(value, str):
            lines.append(f"{indent}{name}: {value}")
        else:
            lines.append(f"{indent}{name}: {json.dumps(value, ensure_ascii=False)}")
    return lines


class EntryDetails(QWidget):
    """Signals: closed(): Back pressed; camera_wanted(camera_id: str): "Show camera" pressed."""

    closed = Signal()
    camera_wanted = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logDetails")
        self.entry: LogEntry | None = None
        self.back_button = QPushButton("Back")
        self.back_button.clicked.connect(self.closed)
        self.title = plain_label("", "logDetailsTitle", wrap=True)
        self.camera_button = QPushButton("Show camera")
        self.camera_button.clicked.connect(self._camera)
        self.text = QPlainTextEdit()
        self.text.setObjectName("logDetailsText")
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        flick_to_scroll(self.text)
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.camera_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        column.addLayout(top)
        column.addWidget(self.text, 1)

    def show_entry(self, entry: LogEntry, tz: tzinfo) -> None:
        self.entry = entry
        self.title.setText(f"{level_text(entry.level)} · {time_text(entry, tz) or 'no time'}")
        self.text.setPlainText(detail_text(entry, tz))
        self.camera_button.setVisible(entry.camera is not None)
        if entry.camera is not None:
            self.camera_button.setToolTip(entry.camera)

    def _camera(self) -> None:
        if self.entry is not None and self.entry.camera is not None:
            self.camera_wanted.emit(self.entry.camera)
