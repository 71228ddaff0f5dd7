"""Log in on the real kiosk with the on-screen keyboard, run by test_keyboard_xvfb.py (xcb).

    python tests/gui/log_in_on_kiosk.py HOME PASSWORD

Opens a station on HOME with the account "ada" (password PASSWORD, the fast FakeHasher), shows
the locked kiosk at 800x480, taps the username field and the keys "ada", taps the password
field and the keys of PASSWORD, then Enter - all mouse clicks on the real window. Prints one
JSON line: who is logged in afterwards and what the password field showed, and exits 0.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import QTimer

from eyepi_gui.domain.access import Origin
from eyepi_gui.kiosk.app import application, apply_theme
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.gui.type_on_keyboard import click, tap_text, wait_for


def main(home: Path, password: str) -> int:
    station = Station(home, log_to_console=False, hasher=FakeHasher())
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", password)
    app = application()
    apply_theme(app)
    window = MainWindow(services)
    window.resize(800, 480)
    window.show()
    window.activateWindow()
    QTimer.singleShot(0, lambda: window.start_station(lambda: None))
    try:
        page, keyboard = window.login_page, window.keyboard
        wait_for(app, lambda: window.screens.currentWidget() is page, "the login screen")
        click(page.username_edit)
        wait_for(app, keyboard.isVisible, "the keyboard")
        tap_text(keyboard, "ada", click)
        click(page.password_edit)
        tap_text(keyboard, password, click)
        shown = page.password_edit.displayText()
        click(keyboard.current_keys()["enter"])
        wait_for(app, lambda: not window.session.locked, "the login")
        principal = window.session.principal
        print(json.dumps({"user": principal.username, "role": principal.role, "shown": shown}))
        return 0
    finally:
        window.close()
        station.stop()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), sys.argv[2]))
