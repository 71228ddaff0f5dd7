"""Layouts that follow the screen's width: a "label | field" grid that puts each label above
its field on narrow screens (portrait 480 px), and a box that turns from a row into a column."""

from __future__ import annotations

from collections.abc import Sequence

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QHBoxLayout, QVBoxLayout, QWidget

NARROW_PX = 600
"""Windows narrower than this (px) get one-column forms and stacked cards and panels."""


def is_narrow(widget: QWidget) -> bool:
    """Whether ``widget``'s window is narrower than NARROW_PX (a portrait screen)."""
    return widget.window().width() < NARROW_PX


Cell = tuple[QWidget, int, int, int, int]


class GridReflow(QObject):
    """Keeps ``grid`` (a two-column "label | field" QGridLayout) as drawn on wide windows and
    lays it out as one column (each label above its field) on narrow ones. Watches its host's
    resizes; decides by the window's width, so the choice never feeds back into itself.

    Only widgets move (rows of several controls sit in a container widget in the .ui file):
    moving inner layouts or items through PySide frees them behind Qt's back."""

    def __init__(self, grid: QGridLayout, host: QWidget) -> None:
        super().__init__(host)
        self._grid, self._host, self._narrow = grid, host, False
        self._cells: dict[int, Cell] = {}
        self._learn()
        host.installEventFilter(self)

    def _learn(self) -> None:
        """Remember where each widget sits on a wide window, also those added since (a section
        appended below the fields while narrow goes below the wide rows)."""
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        for widget in self._host.findChildren(QWidget, options=direct):
            index = self._grid.indexOf(widget)
            if index < 0 or id(widget) in self._cells:
                continue
            position: tuple[int, int, int, int] = self._grid.getItemPosition(index)  # type: ignore[assignment]
            row, column, rows, columns = position
            if self._narrow:
                row, column, columns = row // 2, 0, 2
            self._cells[id(widget)] = (widget, row, column, rows, columns)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.follow()
        return False

    def follow(self) -> None:
        """Re-place the cells when the window crossed NARROW_PX since the last look."""
        narrow = is_narrow(self._host)
        if narrow == self._narrow:
            return
        self._learn()
        self._narrow = narrow
        for widget, row, column, rows, columns in self._cells.values():
            if not shiboken6.isValid(widget):
                continue  # deleted since: an exception here would escape into Qt
            if narrow:
                row, column, columns = 2 * row + min(column, 1), 0, 2
            self._grid.removeWidget(widget)
            self._grid.addWidget(widget, row, column, rows, columns)
        self._grid.invalidate()


def reflow_grid(grid: QGridLayout, host: QWidget) -> GridReflow:
    """Attach a GridReflow to ``grid``, owned (and watched) by ``host``."""
    return GridReflow(grid, host)


def follow_width(box: QBoxLayout, host: QWidget, wide: QBoxLayout.Direction) -> None:
    """Lay ``box`` out in direction ``wide`` on wide windows and top to bottom on narrow ones."""
    narrow = QBoxLayout.Direction.TopToBottom
    box.setDirection(narrow if is_narrow(host) else wide)


def text_beside_buttons(
    texts: Sequence[QWidget], buttons: Sequence[QWidget], button_spacing: int | None = None
) -> QBoxLayout:
    """``texts`` stacked, with ``buttons`` right-aligned beside them: a row, which
    ``follow_width`` (from the host's resizeEvent) turns into a column on narrow windows."""
    text = QVBoxLayout()
    text.setSpacing(0)
    for widget in texts:
        text.addWidget(widget)
    row = QHBoxLayout()
    if button_spacing is not None:
        row.setSpacing(button_spacing)
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
    box.setSpacing(8)
    box.addLayout(text, 1)
    box.addLayout(row)
    return box
