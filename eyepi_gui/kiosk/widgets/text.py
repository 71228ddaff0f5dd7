"""Small helpers for kiosk widgets: plain-text labels, theme roles, touch scrolling."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QLabel,
    QScroller,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QWidget,
)


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


def size_by_current_page(pages: QStackedWidget | QTabWidget) -> None:
    """Let ``pages`` ask only for the room of the page on show: hidden pages' minimum sizes
    are ignored, so a tall page elsewhere never pushes the window past a small screen."""

    def follow(index: int) -> None:
        for i in range(pages.count()):
            policy = QSizePolicy.Policy.Preferred if i == index else QSizePolicy.Policy.Ignored
            if (page := pages.widget(i)) is not None:
                page.setSizePolicy(policy, policy)
        pages.updateGeometry()

    pages.currentChanged.connect(follow)
    follow(pages.currentIndex())
