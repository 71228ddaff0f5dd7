"""Screenshots of the kiosk under a real X server (Xvfb, xcb), saved to artifacts/screenshots/.

Each screen at each supported size lands in artifacts/screenshots/<W>x<H>/<screen>.png.
Each run is a subprocess (tests/gui/shoot.py) so that it gets its own QApplication on the xcb
platform. The PNGs are for people to look at; the test checks they were written, have the
requested size and are not one flat colour, and that Qt printed no warning.
"""

from __future__ import annotations

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
SIZES = [(800, 480), (1024, 600), (1280, 720), (1280, 800), (1920, 1080), (480, 800)]
# Besides one PNG per tab (whatever tabs the window has: shoot.py prints every path it saved).
PAGES = [
    "focus-zoom",
    "settings",
    "users-add",
    "users-password",
    "users-manage",
    "network-join",
    "network-addressing",
    "network-hotspot",
    "login",
]
RUNS = [
    *((size, [], PAGES) for size in SIZES),
    *((size, ["--first-run"], ["first-run"]) for size in SIZES),
    ((800, 480), ["--broken-config"], ["banner"]),
]
MIN_COLOURS = 16


def shoot(display: str, home: Path, size: tuple[int, int], flags: list[str]) -> str:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "xcb",
        "DISPLAY": display,
        "QT_MESSAGE_PATTERN": "qt.%{type}: %{message}",
    }
    env.pop("WAYLAND_DISPLAY", None)
    argv = [sys.executable, str(HERE / "shoot.py"), str(home), str(SHOTS), *map(str, size), *flags]
    proc = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    return output


def distinct_colours(image: QImage) -> int:
    step_x, step_y = max(1, image.width() // 192), max(1, image.height() // 120)
    return len(
        {
            image.pixel(x, y)
            for x in range(0, image.width(), step_x)
            for y in range(0, image.height(), step_y)
        }
    )


@pytest.mark.parametrize(
    ("size", "flags", "names"), RUNS, ids=[f"{w}x{h}{''.join(f)}" for (w, h), f, _ in RUNS]
)
def test_screenshot(xvfb_display, eyepi_home, size, flags, names):
    output = shoot(xvfb_display, eyepi_home, size, flags)
    assert "qt.warning" not in output and "qt.critical" not in output, output
    width, height = size
    saved = [Path(line) for line in output.splitlines() if line.endswith(".png")]
    folder = SHOTS / f"{width}x{height}"
    assert {folder / f"{name}.png" for name in names} <= set(saved), output
    for path in saved:
        image = QImage(str(path))
        assert not image.isNull(), f"{path} is missing or unreadable"
        assert (image.width(), image.height()) == size, f"{path}: the window left the screen size"
        # Pages with pictures and forms; a tab with only a sentence can sample as few colours.
        if path.stem in names:
            assert distinct_colours(image) >= MIN_COLOURS, f"{path} looks flat"
