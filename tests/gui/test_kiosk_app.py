"""run_kiosk: start-up after the first paint, clean exit on SIGTERM, and the crash log."""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading

from eyepi_gui.kiosk import app as kiosk_app
from eyepi_gui.kiosk.main_window import MainWindow


class RecordingWindow(MainWindow):
    """A MainWindow that notes when it is shown and keeps itself for the test to inspect."""

    made: list[MainWindow] = []
    order: list[str] = []

    def __init__(self, services):
        super().__init__(services)
        RecordingWindow.made.append(self)

    def showEvent(self, event):
        RecordingWindow.order.append("shown")
        super().showEvent(event)


def test_run_kiosk_starts_the_station_off_the_gui_thread_and_quits_on_sigterm(
    opened_station, themed, qtbot, monkeypatch
):
    monkeypatch.setattr(kiosk_app, "MainWindow", RecordingWindow)
    started = {}
    hook_before = sys.excepthook
    sigterm_before = signal.getsignal(signal.SIGTERM)

    def on_shown():
        RecordingWindow.order.append("on_shown")
        started["thread"] = threading.current_thread()
        opened_station.start()
        os.kill(os.getpid(), signal.SIGTERM)  # as systemd or a desktop log-out would

    code = kiosk_app.run_kiosk(opened_station.services, on_shown=on_shown, fullscreen=False)
    assert code == 0
    assert RecordingWindow.order == ["shown", "on_shown"]
    assert started["thread"] is not threading.main_thread()
    assert len(opened_station.services.cameras.cameras()) == 2
    assert sys.excepthook is hook_before
    assert signal.getsignal(signal.SIGTERM) is sigterm_before
    [window] = RecordingWindow.made
    assert not window.isVisible()
    assert window.bridge.closed
    assert window.width() <= kiosk_app.MAX_WINDOW.width()
    assert window.height() <= kiosk_app.MAX_WINDOW.height()
    RecordingWindow.made.clear()
    window.deleteLater()


def test_uncaught_exceptions_are_logged_not_fatal():
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("eyepi.kiosk")
    handler = Keep()
    logger.addHandler(handler)
    try:
        try:
            raise ValueError("a bug in a slot")
        except ValueError:
            kiosk_app.log_uncaught(*sys.exc_info())
    finally:
        logger.removeHandler(handler)
    assert len(records) == 1
    assert records[0].levelno == logging.ERROR
    assert records[0].exc_info[1].args == ("a bug in a slot",)


def test_the_application_is_reused(qapp):
    assert kiosk_app.application() is qapp
