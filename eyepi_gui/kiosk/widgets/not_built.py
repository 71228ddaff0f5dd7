"""A page for a feature that is not built yet: says so plainly instead of an empty tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from eyepi_gui.kiosk.widgets.text import plain_label


class NotBuiltPage(QWidget):
    """A centred title and a sentence saying what is missing and when it arrives."""

    def __init__(self, title: str, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notBuiltPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addStretch(1)
        self.title = plain_label(title, "notBuiltTitle", wrap=True)
        self.message = plain_label(message, "notBuiltMessage", wrap=True)
        for label in (self.title, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(2)
