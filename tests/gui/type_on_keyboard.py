"""On-screen keyboard helper, run as a subprocess by test_keyboard_xvfb.py (a real X server, xcb).

    python tests/gui/type_on_keyboard.py OUT_DIR USERNAME PASSWORD

Shows an 800x480 login window (username, password with echo mode Password, Sign in) with the
keyboard attached, taps the username field and the keys for USERNAME, then the password field
and the keys for PASSWORD and Enter, all with mouse clicks on the real window. Saves under
OUT_DIR keyboard-800x480.png (letters, Shift on) and keyboard-symbols-800x480.png, prints what
the fields hold as one JSON line, and exits 0. ``tap_text`` is shared with the offscreen tests.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QVBoxLayout, QWidget

from eyepi_gui.kiosk.app import application, apply_theme
from eyepi_gui.kiosk.widgets.keyboard import TouchKeyboard, attach_keyboard

DEADLINE_S = 10.0


def tap_text(keyboard: TouchKeyboard, text: str, tap: Callable[[QPushButton], None]) -> None:
    """Tap the keys that type ``text``: page switches, Shift before each capital."""
    for char in text:
        name = "space" if char == " " else char.lower()
        if name not in keyboard.current_keys():
            other = "symbols" if "symbols" in keyboard.current_keys() else "letters"
            tap(keyboard.current_keys()[other])
        if char.isupper():
            tap(keyboard.current_keys()["shift"])
        tap(keyboard.current_keys()[name])


def click(widget: QWidget) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)
    QApplication.processEvents()


def wait_for(app: QApplication, condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"type_on_keyboard.py: timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.02)


def login_window() -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    username, password = QLineEdit(objectName="username"), QLineEdit(objectName="password")
    username.setPlaceholderText("Username")
    password.setPlaceholderText("Password")
    password.setEchoMode(QLineEdit.EchoMode.Password)
    for widget in (username, password, QPushButton("Sign in")):
        layout.addWidget(widget)
    layout.addStretch(1)
    return window


def save(window: QWidget, path: Path) -> None:
    if not window.grab().save(str(path)):
        raise SystemExit(f"type_on_keyboard.py: could not write {path}")


def run(app: QApplication, window: QWidget, out: Path, user_text: str, password_text: str) -> dict:
    username = window.findChild(QLineEdit, "username")
    password = window.findChild(QLineEdit, "password")
    keyboard = attach_keyboard(window)
    returned: list[str] = []
    password.returnPressed.connect(lambda: returned.append(password.text()))
    window.resize(800, 480)
    window.show()
    window.activateWindow()
    if not QTest.qWaitForWindowActive(window):
        raise SystemExit("type_on_keyboard.py: the window never became active")
    click(username)
    wait_for(app, keyboard.isVisible, "the keyboard")
    tap_text(keyboard, user_text, click)
    click(password)
    tap_text(keyboard, password_text, click)
    click(keyboard.current_keys()["enter"])
    if "letters" in keyboard.current_keys():
        click(keyboard.current_keys()["letters"])
    click(keyboard.current_keys()["shift"])
    save(window, out / "keyboard-800x480.png")
    click(keyboard.current_keys()["symbols"])
    save(window, out / "keyboard-symbols-800x480.png")
    return {
        "username": username.text(),
        "password": password.text(),
        "returned": returned,
        "focus": "password" if QApplication.focusWidget() is password else "elsewhere",
        "keyboard_visible": keyboard.isVisible(),
        "keyboard_bottom": keyboard.mapTo(window, keyboard.rect().bottomRight()).y(),
    }


def main(argv: list[str]) -> int:
    out, user_text, password_text = Path(argv[0]), argv[1], argv[2]
    out.mkdir(parents=True, exist_ok=True)
    app = application()
    apply_theme(app)
    window = login_window()
    try:
        print(json.dumps(run(app, window, out, user_text, password_text)))
    finally:
        window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
