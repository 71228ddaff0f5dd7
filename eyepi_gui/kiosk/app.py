"""Start the kiosk: application, touch theme, main window; the station starts after first paint.

Imports stay lean (Qt and the service types only): no camera library and no numpy is loaded
before the window is painted, so the touchscreen shows something at once.
"""

from __future__ import annotations

import faulthandler
import logging
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from types import TracebackType

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication

from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.screen_fit import ScreenFit
from eyepi_gui.resources import resource_path, ui_path
from eyepi_gui.services.station_services import StationServices

_log = logging.getLogger("eyepi.kiosk")
MAX_WINDOW = QSize(1280, 800)
"""Largest size of a windowed (not full-screen) kiosk, in px; it never exceeds the screen."""
SIGNAL_POLL_MS = 250
"""How often Python gets the interpreter back from Qt to run SIGTERM/SIGINT handlers."""


def application() -> QApplication:
    """The running QApplication, or a new one."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("eyepi")
    return app


def apply_theme(app: QApplication) -> None:
    """Fusion style plus the touch theme (ui/touch.qss) with its icon paths filled in."""
    if app.style().name().lower() != "fusion":  # often the default already: keep it
        app.setStyle("Fusion")
    qss = ui_path("touch.qss").read_text(encoding="utf-8")
    app.setStyleSheet(qss.replace("@icons@", resource_path("icons").as_posix()))


def show_window(window: MainWindow, fullscreen: bool) -> ScreenFit | None:
    """Full screen (the window covers its screen and follows it; returns what keeps it so),
    or a normal window as large as fits the screen (at most MAX_WINDOW)."""
    fit = None
    if fullscreen:
        fit = ScreenFit(window)
        fit.start()
    else:
        window.resize(window.screen().availableGeometry().size().boundedTo(MAX_WINDOW))
        window.show()
    window.activateWindow()  # a bare X server (no window manager) gives no focus otherwise
    return fit


def run_kiosk(services: StationServices, on_shown: Callable[[], object], fullscreen: bool) -> int:
    """Show the kiosk until it is closed or the process gets SIGTERM/SIGINT; returns the exit
    code. ``on_shown`` (camera discovery) runs off the GUI thread once the window is painted."""
    app = application()
    apply_theme(app)
    window = MainWindow(services)
    show_window(window, fullscreen)
    QTimer.singleShot(0, partial(window.start_station, on_shown))
    with crash_logging(), quit_on_signals(app):
        code = app.exec()
    # Closing after exec() must not ask the application to quit again: a quit request outside
    # exec() would make every later event loop (a re-run kiosk, a test) return at once.
    window.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
    window.close()  # stops timers, leaves the event bus, waits briefly for running tasks
    return code


def log_uncaught(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    """sys.excepthook: log an uncaught exception (the kiosk keeps running) instead of aborting."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, value, tb)
        return
    _log.exception(
        "uncaught exception in the kiosk",
        exc_info=(kind, value, tb),
        extra={"event": "kiosk_crash"},
    )


@contextmanager
def crash_logging() -> Iterator[None]:
    """Log uncaught exceptions to the station log; dump tracebacks on a hard crash."""
    previous = sys.excepthook
    sys.excepthook = log_uncaught
    if not faulthandler.is_enabled():
        faulthandler.enable()
    try:
        yield
    finally:
        sys.excepthook = previous


@contextmanager
def quit_on_signals(app: QApplication) -> Iterator[None]:
    """Quit ``app`` cleanly on SIGTERM and SIGINT (only possible on the main thread)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, partial(_quit, app)) for signum in _SIGNALS}
    poll = QTimer(app, interval=SIGNAL_POLL_MS)
    poll.timeout.connect(_let_python_run)
    poll.start()
    try:
        yield
    finally:
        poll.stop()
        poll.deleteLater()
        for signum, handler in previous.items():
            signal.signal(signum, handler)


_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def _quit(app: QApplication, signum: int, _frame: object) -> None:
    _log.info("signal %d: closing the kiosk", signum, extra={"event": "kiosk_signal"})
    # exit(), not quit(): quit() closes the windows first, and the last one closing asks for
    # a second quit that would arrive after exec() has returned.
    app.exit(0)


def _let_python_run() -> None:
    """Does nothing: returning to the interpreter is what lets pending signal handlers run."""
