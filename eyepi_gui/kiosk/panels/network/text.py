"""Labels for names the station does not choose (SSIDs, connection names, hostnames): plain
text that wraps, and a name with no space that is wider than the label (a 32-character SSID
on a portrait screen) is broken between characters instead of being cut off."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QResizeEvent
from PySide6.QtWidgets import QLabel, QWidget

_SPACES = re.compile(r"(\s+)")


def break_word(word: str, metrics: QFontMetrics, width: int) -> str:
    """``word`` as lines no wider than ``width`` px (at least one character a line)."""
    if metrics.horizontalAdvance(word) <= width:
        return word
    lines, line = [], ""
    for char in word:
        if line and metrics.horizontalAdvance(line + char) > width:
            lines.append(line)
            line = ""
        line += char
    return "\n".join([*lines, line])


def fitted(text: str, metrics: QFontMetrics, width: int) -> str:
    """``text`` with each word wider than ``width`` px broken into lines that fit."""
    parts = _SPACES.split(text)
    return "".join(p if _SPACES.fullmatch(p) else break_word(p, metrics, width) for p in parts)


class NameLabel(QLabel):
    """A wrapping plain-text label whose over-wide words break to fit its width.
    ``full_text()`` is the text as given."""

    def __init__(self, name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        if name:
            self.setObjectName(name)
        self._full = ""

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._fit()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        width = self.contentsRect().width() - 2 * self.margin()
        text = fitted(self._full, self.fontMetrics(), width) if width > 0 else self._full
        if text != self.text():
            self.setText(text)
