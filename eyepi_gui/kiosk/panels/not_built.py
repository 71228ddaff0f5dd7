"""Tabs for features that are not built yet: each says so plainly instead of an empty page."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.widgets.text import plain_label


class NotBuiltPanel(Panel):
    """A centred title and a sentence saying what is missing and when it arrives."""

    title_text: ClassVar[str] = ""
    message_text: ClassVar[str] = ""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("notBuiltPage")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addStretch(1)
        self.title = plain_label(self.title_text, "notBuiltTitle", wrap=True)
        self.message = plain_label(self.message_text, "notBuiltMessage", wrap=True)
        for label in (self.title, self.message):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch(2)


class StoragePanel(NotBuiltPanel):
    title_text = "Storage"
    message_text = (
        "Storage is not built yet. USB export and disk clean-up arrive in a later release."
    )
