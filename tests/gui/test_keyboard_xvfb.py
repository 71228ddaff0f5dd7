"""The on-screen keyboard under a real X server (Xvfb, xcb): mouse clicks on the key buttons of a
real window type a username and a password, and Qt prints no warning.

The typing runs in a subprocess (tests/gui/type_on_keyboard.py) so that it gets its own
QApplication on the xcb platform. It also saves screenshots to artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

pytestmark = pytest.mark.slow

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
USERNAME = "field_tech-2"
PASSWORD = "Tr0ub4dor&3"


def type_on_keyboard(display: str, username: str, password: str) -> tuple[dict, str]:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": display,
        "QT_MESSAGE_PATTERN": "qt.%{type}: %{message}",
    }
    env.pop("WAYLAND_DISPLAY", None)
    argv = [sys.executable, str(HERE / "type_on_keyboard.py"), str(SHOTS), username, password]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    return json.loads(proc.stdout.strip().splitlines()[-1]), output


def test_clicking_keys_types_a_password_on_a_real_x_server(xvfb_display):
    report, output = type_on_keyboard(xvfb_display, USERNAME, PASSWORD)
    assert "qt.warning" not in output and "qt.critical" not in output, output
    assert report["username"] == USERNAME
    assert report["password"] == PASSWORD
    assert report["returned"] == [PASSWORD]
    assert report["focus"] == "password"
    assert report["keyboard_visible"]
    assert report["keyboard_bottom"] < 480


def test_every_printable_ascii_symbol_on_a_real_x_server(xvfb_display):
    symbols = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~ 0123456789"
    report, _ = type_on_keyboard(xvfb_display, "a", symbols)
    assert report["password"] == symbols


@pytest.mark.parametrize("name", ["keyboard-800x480.png", "keyboard-symbols-800x480.png"])
def test_screenshots_of_the_keyboard_were_written(xvfb_display, name):
    type_on_keyboard(xvfb_display, USERNAME, PASSWORD)
    image = QImage(str(SHOTS / name))
    assert not image.isNull(), f"{name} is missing or unreadable"
    assert (image.width(), image.height()) == (800, 480)


def test_logging_in_on_the_kiosk_with_the_keyboard(xvfb_display, tmp_path):
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": xvfb_display,
        "QT_MESSAGE_PATTERN": "qt.%{type}: %{message}",
    }
    env.pop("WAYLAND_DISPLAY", None)
    password = "Field & Lab #7"
    argv = [sys.executable, str(HERE / "log_in_on_kiosk.py"), str(tmp_path / "home"), password]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "qt.warning" not in output and "qt.critical" not in output, output
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["user"] == "ada" and report["role"] == "admin"
    assert password not in report["shown"] and len(report["shown"]) == len(password)
