"""Layouts that follow the screen's width: a "label | field" grid that puts each label above
its field on narrow screens (portrait 480 px), and a box that turns from a row into a column."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLayoutItem, QWidget

NARROW_PX = 600
"""Windows narrower than this (px) get one-column forms and stacked cards and panels."""


def is_narrow(widget: QWidget) -> bool:
    """Whether ``widget``'s window is narrower than NARROW_PX (a portrait screen)."""
    return widget.window().width() < NARROW_PX


class GridReflow(QObject):
    """Keeps ``grid`` (a two-column "label | field" QGridLayout) as drawn on wide windows and
    lays it out as one column (each label above its field) on narrow ones. Watches its host's
    resizes; decides by the window's width, so the choice never feeds back into itself."""

    def __init__(self, grid: QGridLayout, host: QWidget) -> None:
        super().__init__(host)
        self._grid, self._host, self._narrow = grid, host, False
        self._cells: dict[object, tuple[QLayoutItem, int, int, int, int]] = {}
        self._learn()
        host.installEventFilter(self)

    def _learn(self) -> None:
        """Remember where each cell sits on a wide window, also cells added since (a section
        appended below the fields while narrow goes below the wide rows too)."""
        for index in range(self._grid.count()):
            item = self._grid.itemAt(index)
            key = _key(item)
            if key in self._cells:
                continue
            row, column, rows, columns = self._grid.getItemPosition(index)
            if self._narrow:
                row, column, columns = row // 2, 0, 2
            self._cells[key] = (item, row, column, rows, columns)

    @property
    def narrow(self) -> bool:
        return self._narrow

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
        while self._grid.count():
            self._grid.takeAt(0)
        for item, row, column, rows, columns in self._cells.values():
            if narrow:
                self._grid.addItem(item, 2 * row + min(column, 1), 0, rows, 2, item.alignment())
            else:
                self._grid.addItem(item, row, column, rows, columns, item.alignment())
        self._grid.invalidate()


def _key(item: QLayoutItem) -> object:
    """What a layout item holds (its wrapper object may differ from one call to the next)."""
    return item.widget() or item.layout() or item.spacerItem() or item


def reflow_grid(grid: QGridLayout | None, host: QWidget) -> GridReflow | None:
    """Attach a GridReflow to ``grid`` (None: nothing to do), owned by ``host``."""
    return GridReflow(grid, host) if grid is not None else None


def follow_width(box: QBoxLayout, host: QWidget, wide: QBoxLayout.Direction) -> None:
    """Lay ``box`` out in direction ``wide`` on wide windows and top to bottom on narrow ones."""
    narrow = QBoxLayout.Direction.TopToBottom
    box.setDirection(narrow if is_narrow(host) else wide)
