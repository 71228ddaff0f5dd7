"""Every tab and the session button on the tab bar at once, from 480 to 1920 px wide.

Scroll arrows on a touchscreen hide tabs nobody finds, so the bar gives way in steps instead:
labels beside the icons and the user's name on the session button while everything fits;
then the button drops the name ("Lock" instead of "Lock · ada"; it stays in the tooltip);
then the button shows only its lock icon; then the tabs show icons only (each tab's name
stays in its tooltip), with the button's word while it fits.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QPushButton, QTabWidget

ICON_PX = 22


class TabBarFit(QObject):
    """Fits ``tabs``' bar and its corner ``button`` into the tab widget's width whenever
    either is resized and whenever the button's text changes (``set_button_text``)."""

    def __init__(self, tabs: QTabWidget, button: QPushButton, labels: Sequence[str]) -> None:
        super().__init__(tabs)
        self._tabs, self._button, self._labels = tabs, button, tuple(labels)
        self._long = self._short = button.text()
        self.compact = False
        tabs.setIconSize(QSize(ICON_PX, ICON_PX))
        tabs.installEventFilter(self)
        button.installEventFilter(self)  # resized once the theme gives it its real size

    def set_button_text(self, long: str, short: str) -> None:
        """The session button's text when there is room (``long``) and when not (``short``)."""
        self._long, self._short = long, short
        self.refit()

    def refit(self) -> None:
        """Choose the widest way of showing the bar that fits the tab widget's width."""
        width = self._tabs.width()
        steps = (
            (True, self._long),
            (True, self._short),
            (True, ""),
            (False, self._short),
            (False, ""),
        )
        for labels, text in steps:
            self._show(labels, text)
            if self.needed_px() <= width:
                return

    def needed_px(self) -> int:
        """Width the bar and the button ask for, in px."""
        return self._tabs.tabBar().sizeHint().width() + self._button.sizeHint().width()

    def _show(self, labels: bool, text: str) -> None:
        self.compact = not labels
        bar = self._tabs.tabBar()
        for index, label in enumerate(self._labels[: bar.count()]):
            wanted = label if labels else ""
            if bar.tabText(index) != wanted:
                bar.setTabText(index, wanted)
        if self._button.text() != text:
            self._button.setText(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self.refit()
        return False
