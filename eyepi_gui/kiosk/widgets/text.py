"""Small helpers for kiosk widgets: plain-text labels, theme roles, touch scrolling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QLabel, QScroller, QWidget


def plain_label(
    text: str = "", name: str = "", *, wrap: bool = False, parent: QWidget | None = None
) -> QLabel:
    """A QLabel that shows ``text`` literally (``Qt.PlainText``), styled by object ``name``."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


def set_role(widget: QWidget, role: str) -> None:
    """Set the ``role`` property the touch theme styles (ok, warn, error, ...) and re-polish."""
    if widget.property("role") == role:
        return
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def flick_to_scroll(area: QAbstractScrollArea) -> None:
    """Let a finger drag the contents of ``area`` (kinetic scrolling on touch screens)."""
    QScroller.grabGesture(area.viewport(), QScroller.ScrollerGestureType.TouchGesture)
