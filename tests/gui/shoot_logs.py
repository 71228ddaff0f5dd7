"""Screenshots of the Logs tab under a real X server (Xvfb, xcb), for people to look at.

    QT_QPA_PLATFORM=xcb DISPLAY=:57 python tests/gui/shoot_logs.py HOME OUT_DIR WIDTH HEIGHT

A station with two simulated cameras that logs captures, gaps, a failed capture with a
traceback and a long message. Saves OUT_DIR/WxH/logs.png (the list at its top),
logs-pill.png (scrolled down while new lines came: the pill), logs-filters.png (the filter
page with a level chosen and a bad time named) and logs-details.png (the failed capture in
full); prints each path and exits 0.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from eyepi_gui.domain.access import Origin
from eyepi_gui.kiosk.app import application, apply_theme
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panels.logs.panel import LogsPanel
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.gui.shoot import NAMES, PASSWORD, save, settle, wait_for
from tests.principals import ADMIN

_log = logging.getLogger("eyepi.capture")


def prepare(home: Path) -> Station:
    station = Station(home, log_to_console=False, hasher=FakeHasher())
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORD)
    for camera_id, name in NAMES.items():
        changes = {"name": name, "interval_s": 300, "window": "always"}
        services.config.update_camera(ADMIN, camera_id, changes)
    station.start()
    for n in range(60):
        say(n)
    return station


def say(n: int) -> None:
    camera = f"sim-{n % 2 + 1}"
    fields = {"camera": camera, "slot": n}
    if n % 7 == 3:
        _log.warning(
            "%s: no capture for 93 s, slot %d missed", camera, n, extra=extra("gap", fields)
        )
    elif n % 11 == 5:
        try:
            raise TimeoutError("gphoto2: I/O in progress")
        except TimeoutError:
            _log.exception(
                "%s: capture failed after 30 s", camera, extra=extra("capture_failed", fields)
            )
    elif n == 40:
        long = "focus drift on sim-1: score 31.2 is 62% of the locked 50.3, " * 3
        _log.warning(long, extra=extra("focus_checked", fields))
    else:
        _log.info("%s: captured IMG_%04d.jpg in 1.2 s", camera, n, extra=extra("capture", fields))


def extra(event: str, fields: dict) -> dict:
    return {"event": event, "fields": fields}


def main(argv: list[str]) -> int:
    home, out = Path(argv[0]), Path(argv[1])
    width, height = int(argv[2]), int(argv[3])
    size = f"{width}x{height}"
    station = prepare(home)
    app = application()
    apply_theme(app)
    window = MainWindow(station.services)
    window.resize(width, height)
    window.show()
    QTimer.singleShot(0, lambda: window.start_station(lambda: None))
    try:
        window.session.log_in(station.services.login.login(Origin.KIOSK, "ada", PASSWORD))
        panel = window.show_tab("Logs")
        assert isinstance(panel, LogsPanel)
        wait_for(app, lambda: panel.model.rowCount() >= 60, "the log")
        settle(app, 0.6)
        save(window, out, "logs", size)
        panel.list.verticalScrollBar().setValue(300)
        for n in range(60, 65):
            say(n)
        wait_for(app, panel.pill.isVisible, "the pill")
        settle(app)
        save(window, out, "logs-pill", size)
        panel.show_new()
        failed = next(r for r, e in enumerate(panel.model.entries) if e.event == "capture_failed")
        panel.open_entry(panel.model.index(failed))
        settle(app)
        save(window, out, "logs-details", size)
        panel.show_list()
        panel.filters.options_button.setChecked(True)
        panel.filters.level_buttons["WARNING"].setChecked(True)
        panel.filters.since_edit.setText("yesterday")
        wait_for(app, panel.filters.time_problem.isVisible, "the bad time")
        settle(app)
        save(window, out, "logs-filters", size)
        return 0
    finally:
        window.close()
        station.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
