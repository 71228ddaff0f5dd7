"""A tab's page whose panel is built the first time it is shown, so the kiosk paints its first
screen sooner and never imports a panel nobody opens."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from eyepi_gui.kiosk.panel import Panel


class LazyPage(QWidget):
    """Holds the place of a panel: builds it on first show or first ``content()``, and tells
    it when it comes on (``shown()``) and leaves (``hidden()``) the screen."""

    def __init__(self, build: Callable[[], Panel], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], Panel] | None = build
        self._content: Panel | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def content(self) -> Panel:
        """The panel, built now if it was not yet."""
        if self._content is None:
            assert self._build is not None
            self._content, self._build = self._build(), None
            self._layout.addWidget(self._content)
            if self.isVisible():  # Qt shows children added to a shown widget only later
                self._content.show()
        return self._content

    @property
    def built(self) -> Panel | None:
        """The panel if it has been built, else None (nothing is built by asking)."""
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        panel = self.content()
        super().showEvent(event)
        panel.shown()

    def hideEvent(self, event: QHideEvent) -> None:
        if self._content is not None:
            self._content.hidden()
        super().hideEvent(event)
