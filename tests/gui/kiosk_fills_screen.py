"""Run the real ``eyepi run --kiosk`` and note where its window is on every screen; run by
test_kiosk_fullscreen.py under Xvfb with no window manager.

    python tests/gui/kiosk_fills_screen.py HOME

HOME is fresh: the kiosk starts on the first-run screen. The walk creates the first admin
through that screen, locks (the login screen), logs in again and shows every tab of the
window's table; then it pretends the screen changed resolution (QScreen.geometryChanged, as
RandR would send it) and back. At each step it reads the window's geometry from the X server
(``xwininfo -root -tree``, when installed) and from Qt. Prints one JSON line
{"steps": [{"step", "x11", "qt"}], "screen": [w, h]} and ends the kiosk with SIGTERM.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator

from PySide6.QtCore import QRect, QTimer
from PySide6.QtWidgets import QApplication

from eyepi_gui import cli
from eyepi_gui.kiosk.app import application
from eyepi_gui.kiosk.main_window import MainWindow

PASSWORD = "a long field password"
SETTLE_MS = 300
STEP_TIMEOUT_MS = 60_000
RESIZED = (640, 400)
"""The pretend new resolution (w, h) of the resolution-change step."""


def x11_geometry(window_id: int) -> list[int] | None:
    """[x, y, w, h] of the X window ``window_id`` as the X server has it, or None without
    xwininfo."""
    xwininfo = shutil.which("xwininfo")
    if xwininfo is None:
        return None
    tree = subprocess.run(
        [xwininfo, "-root", "-tree"], capture_output=True, text=True, timeout=10, check=True
    ).stdout
    for line in tree.splitlines():
        if line.strip().startswith(hex(window_id) + " "):
            found = re.search(r"(\d+)x(\d+)\+(-?\d+)\+(-?\d+)\s+\+(-?\d+)\+(-?\d+)\s*$", line)
            if found:
                w, h, _x, _y, abs_x, abs_y = map(int, found.groups())
                return [abs_x, abs_y, w, h]
    raise LookupError(f"window {hex(window_id)} not in xwininfo's tree:\n{tree}")


class Walk:
    """Steps through the kiosk's screens on a timer, noting the geometry at each."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        self.steps: list[dict[str, object]] = []
        self.plan = self._plan()
        self.waited = 0

    def window(self) -> MainWindow | None:
        return next((w for w in self.app.topLevelWidgets() if isinstance(w, MainWindow)), None)

    def _plan(self) -> Iterator[tuple[str, Callable[[], bool]]]:
        """Yields (step name, ready?) after doing what leads to that step."""
        window = self._window()
        yield "first-run", lambda: window.screens.currentWidget() is window.first_run_page
        window.first_run_page.submitted.emit("ada", PASSWORD)
        yield "logged-in", lambda: not window.session.locked
        principal = window.session.principal
        window.session.lock()
        yield "login", lambda: window.screens.currentWidget() is window.login_page
        window.session.log_in(principal)
        for name in window.tab_names():
            window.show_tab(name)
            yield f"tab:{name}", lambda: window.screens.currentIndex() == 0
        screen = window.screen()
        screen.geometryChanged.emit(QRect(0, 0, *RESIZED))
        yield "resized", lambda: True  # measured after SETTLE_MS, whatever it shows
        screen.geometryChanged.emit(screen.geometry())
        yield "resized-back", lambda: True

    def _window(self) -> MainWindow:
        window = self.window()
        assert window is not None
        return window

    def start(self) -> None:
        self._next()

    def _next(self) -> None:
        try:
            self.step, self.ready = next(self.plan)
        except StopIteration:
            self._finish()
            return
        self.waited = 0
        QTimer.singleShot(SETTLE_MS, self._check)

    def _check(self) -> None:
        if not self.ready():
            self.waited += SETTLE_MS
            if self.waited > STEP_TIMEOUT_MS:
                raise SystemExit(f"timed out waiting for {self.step}")
            QTimer.singleShot(SETTLE_MS, self._check)
            return
        window = self._window()
        geometry = window.geometry()
        qt = [geometry.x(), geometry.y(), geometry.width(), geometry.height()]
        self.steps.append({"step": self.step, "x11": x11_geometry(int(window.winId())), "qt": qt})
        self._next()

    def _finish(self) -> None:
        size = self._window().screen().geometry().size()
        print(json.dumps({"steps": self.steps, "screen": [size.width(), size.height()]}))
        sys.stdout.flush()
        os.kill(os.getpid(), signal.SIGTERM)  # as systemd would end the kiosk


def main(home: str) -> int:
    app = application()
    walk = Walk(app)
    QTimer.singleShot(0, walk.start)
    return cli.main(["run", "--kiosk", "--home", home])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
