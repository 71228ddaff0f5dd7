"""The banner above the tabs: problems that need a person, in plain words."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class Banner(QLabel):
    """Shows one line per problem, gathered from several sources; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setObjectName("banner")
        self._sources: dict[str, list[str]] = {}
        self.hide()

    def set_messages(self, source: str, messages: Iterable[str]) -> None:
        """Replace what ``source`` (e.g. "health", "start") has to say; [] clears it."""
        self._sources[source] = list(messages)
        lines = self.messages()
        self.setText("\n".join(lines))
        self.setVisible(bool(lines))

    def messages(self) -> list[str]:
        return [line for group in self._sources.values() for line in group]
