"""``eyepi run --kiosk`` covers the whole screen on a bare X server (Xvfb, no window manager)
at every supported size, on the first-run and login screens and on every tab, and follows a
resolution change.

One Xvfb per size; the kiosk runs in a subprocess (tests/gui/kiosk_fills_screen.py) that goes
through the real command line. The geometry comes from the X server (xwininfo) when it is
installed, else from Qt. The resolution change is simulated: Xvfb cannot be resized without
xrandr (not installed here), so the walk emits QScreen.geometryChanged as RandR would.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from eyepi_gui.kiosk import tabs
from eyepi_gui.kiosk.screen_fit import ScreenFit
from tests.conftest import running_xvfb

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SIZES = [(800, 480), (1024, 600), (1280, 720), (1280, 800), (1920, 1080), (480, 800)]
RESIZED = [0, 0, 640, 400]


def walk_kiosk(display: str, home: Path) -> tuple[dict, str]:
    home.mkdir()
    (home / "station.toml").write_text("[remote]\nenabled = false\n")  # no port to share
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": display,
        "EYEPI_KEYBOARD": "0",
        "QT_MESSAGE_PATTERN": "qt.%{type}: %{message}",
    }
    env.pop("WAYLAND_DISPLAY", None)
    argv = [sys.executable, str(HERE / "kiosk_fills_screen.py"), str(home)]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    assert lines, output
    return json.loads(lines[-1]), output


@pytest.mark.slow
@pytest.mark.parametrize(("width", "height"), SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_the_kiosk_covers_the_screen_on_every_screen_and_tab(tmp_path, width, height):
    with running_xvfb(tmp_path, width, height) as display:
        report, output = walk_kiosk(display, tmp_path / "home")
    assert "qt.critical" not in output, output
    steps = {step["step"]: step for step in report["steps"]}
    expected = ["first-run", "logged-in", "login", *(f"tab:{tab.name}" for tab in tabs.TABS)]
    assert list(steps) == [*expected, "resized", "resized-back"]
    assert report["screen"] == [width, height]
    source = "x11" if shutil.which("xwininfo") else "qt"
    for name in (*expected, "resized-back"):
        assert steps[name][source] == [0, 0, width, height], (name, steps[name])
        assert steps[name]["qt"] == [0, 0, width, height], (name, steps[name])
    assert steps["resized"][source] == RESIZED


def test_a_new_resolution_or_primary_screen_is_followed(qtbot, qapp):
    """Offscreen: the window takes what QScreen.geometryChanged reports, and a new primary
    screen (screenAdded/primaryScreenChanged) is followed at once."""
    from PySide6.QtWidgets import QMainWindow

    window = QMainWindow()
    qtbot.addWidget(window)
    fit = ScreenFit(window)
    fit.start()
    screen = window.screen()
    qtbot.waitUntil(lambda: window.geometry() == screen.geometry())
    screen.geometryChanged.emit(QRect(0, 0, 1024, 600))
    assert window.geometry() == QRect(0, 0, 1024, 600)
    qapp.primaryScreenChanged.emit(screen)
    assert fit.screen is screen and window.geometry() == screen.geometry()
    assert window.isFullScreen()
