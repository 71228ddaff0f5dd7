"""A page built the first time it is shown, so the kiosk paints its first screen sooner."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyPage(QWidget):
    """Holds the place of a panel; ``build()`` makes it on first show or first ``content()``."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], QWidget] | None = build
        self._content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def content(self) -> QWidget:
        """The panel, built now if it was not yet."""
        if self._content is None:
            assert self._build is not None
            self._content, self._build = self._build(), None
            self._layout.addWidget(self._content)
            if self.isVisible():  # Qt shows children added to a shown widget only later
                self._content.show()
        return self._content

    @property
    def built(self) -> bool:
        return self._content is not None

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
