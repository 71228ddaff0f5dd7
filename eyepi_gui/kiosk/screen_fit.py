"""Keep the kiosk window covering its whole screen, with or without a window manager.

``showFullScreen()`` only asks a window manager; on a bare X server (``xinit``, Xvnc) nobody
answers and the window keeps its own size in the top-left corner. So the window also takes
the screen's geometry itself, follows resolution changes, and moves to the primary screen
when screens come, go or swap.
"""

from __future__ import annotations

from PySide6.QtCore import QMetaObject, QObject, QRect, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QLayout, QWidget


class ScreenFit(QObject):
    """Makes ``window`` frameless and full screen on its screen, and keeps it so."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._screen: QScreen | None = None
        self._resized: QMetaObject.Connection | None = None
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.primaryScreenChanged.connect(self._to_primary)
            app.screenAdded.connect(self._to_primary)
            app.screenRemoved.connect(self._screen_removed)

    def start(self) -> None:
        """Cover the window's screen now (call instead of ``show()``)."""
        self._window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
        if (layout := self._window.layout()) is not None:
            # The screen decides the size: a page wider than the screen must not grow the
            # window past it (it would be cut off at the screen's edge instead of fitted).
            layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.follow(self._window.screen())
        self._window.showFullScreen()

    @property
    def screen(self) -> QScreen | None:
        return self._screen

    def follow(self, screen: QScreen) -> None:
        """Cover ``screen`` from now on, and follow its resolution changes."""
        if self._resized is not None:
            QObject.disconnect(self._resized)
        self._screen = screen
        self._resized = screen.geometryChanged.connect(self.fit)
        if (handle := self._window.windowHandle()) is not None and handle.screen() is not screen:
            handle.setScreen(screen)
        self.fit(screen.geometry())

    def fit(self, geometry: QRect) -> None:
        """Take ``geometry`` (the screen's, in px) and stay full screen."""
        self._window.setGeometry(geometry)
        if self._window.isVisible() and not self._window.isFullScreen():
            self._window.showFullScreen()

    def _to_primary(self, *_changed: object) -> None:
        primary = QGuiApplication.primaryScreen()
        if primary is not None:
            self.follow(primary)

    def _screen_removed(self, screen: QScreen) -> None:
        if screen is self._screen:
            self._screen = None
            self._resized = None
            self._to_primary()
