"""One start-up measurement, run in a fresh process by test_startup.py.

    python startup_child.py eyepi|bare

``eyepi``: open a Station on a temporary home, build the kiosk MainWindow (touch theme) and
show it. ``bare``: a plain PySide6 QMainWindow with one label. Either way the process prints
one JSON line at the first paint: {"mode", "ms" (since EYEPI_BENCH_T0, the parent's
time.time() just before it started this process), "modules" (camera libraries and numpy
already imported at that moment)}.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

T0 = float(os.environ["EYEPI_BENCH_T0"])
WATCHED = ("cv2", "numpy", "gphoto2", "picamera2")
SIZE = (800, 480)
PAINT_TIMEOUT_MS = 10_000


def eyepi_window(home: Path):
    """In the order `eyepi run --kiosk` takes (cli._run): the collector is held, the station
    opens before the kiosk (and so PySide6) is imported."""
    from eyepi_gui.start_gc import CollectionHold

    hold = CollectionHold.start()
    from eyepi_gui.adapters.cameras.probe import camera_backends
    from eyepi_gui.remote_runner import RemoteRunner
    from eyepi_gui.station import Station

    station = Station(home, log_to_console=False, hardware=camera_backends)
    services = station.open()
    RemoteRunner(services, home)
    from eyepi_gui.kiosk.app import application, apply_theme
    from eyepi_gui.kiosk.main_window import MainWindow

    app = application()
    apply_theme(app)
    window = MainWindow(services)
    return app, window, lambda: (hold.end(), station.stop())


def bare_window(_home: Path):
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("hello"))
    return app, window, lambda: None


def report(mode: str) -> None:
    loaded = [name for name in WATCHED if name in sys.modules]
    ms = (time.time() - T0) * 1000
    print(json.dumps({"mode": mode, "ms": round(ms, 1), "modules": loaded}), flush=True)


def on_first_paint(app, callback: Callable[[], None]):
    """An application-wide event filter that calls ``callback`` once, at the first paint."""
    from PySide6.QtCore import QEvent, QObject

    class FirstPaint(QObject):
        seen = False

        def eventFilter(self, _watched, event):
            if event.type() == QEvent.Type.Paint and not self.seen:
                self.seen = True
                callback()
            return False

    first = FirstPaint()
    app.installEventFilter(first)
    return first


def main(mode: str) -> int:
    build = {"eyepi": eyepi_window, "bare": bare_window}[mode]
    with tempfile.TemporaryDirectory(prefix="eyepi-bench-") as home:
        app, window, stop = build(Path(home))  # eyepi imports PySide6 after its station opens
        from PySide6.QtCore import QTimer

        painted = on_first_paint(app, lambda: (report(mode), app.quit()))
        window.resize(*SIZE)
        window.show()
        QTimer.singleShot(PAINT_TIMEOUT_MS, app.quit)
        app.exec()
        window.close()
        stop()
    return 0 if painted.seen else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
