"""Live preview: frames/s through eyepi's preview widget against a bare QLabel, and the kiosk's
event loop while it previews 1080p at 30 fps.

1. The same 8 pre-made 1080p RGB frames, cycled, painted at 800x450 (offscreen), interleaved:
   - eyepi: ``viewport.render`` (the feed thread's work in the app, counted here too), then
     ``LiveView.show_frame`` and a synchronous ``repaint()``;
   - bare reference (the naive way): ``QImage`` on the frame's buffer,
     ``QPixmap.fromImage(...).scaled(size, KeepAspectRatio)`` into a ``QLabel``, ``repaint()``;
   - for information only: the same with ``SmoothTransformation`` (a quality nearer eyepi's
     area-averaged reduction).
   Goal: eyepi's per-frame time at most 1.5x the bare path's (medians).
2. Event-loop lag (a 10 ms timer on the GUI thread) in the real kiosk on a station streaming
   1080p at 30 fps: the Focus tab shown, against idle (the same station and window, the
   Cameras tab shown: no preview). Goal: p99 below 50 ms while previewing.
Full mode (EYEPI_BENCH=full): 240 frames per path, 8 s per lag probe; asserts the goals.
Quick mode (CI, the default): 24 frames, 1 s (idle) and 2 s (preview) probes; prints, never
fails on a timing. Run with ``-s`` to see the figures.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, QSize, Qt, Slot
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from eyepi_gui.adapters.cameras import scene
from eyepi_gui.adapters.cameras.sim import _demo_scene
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.viewport import Viewport, render
from eyepi_gui.kiosk.app import apply_theme
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panels.focus import FocusPanel
from eyepi_gui.kiosk.preview import Shown
from eyepi_gui.kiosk.widgets.live_view import LiveView
from eyepi_gui.services.frame_hub import FrameHub
from tests.gui.conftest import OFFSCREEN_SIZE_HINTS
from tests.gui.moving_picture import FULL_HD, moving_picture_station
from tests.gui.test_kiosk_focus import probe_event_loop

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)  # the offscreen plugin's
RATIO_GOAL = 1.5
LAG_P99_GOAL_MS = 50.0
PREVIEW = QSize(800, 450)
FRAMES = 8


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:6.2f}"


@pytest.fixture(scope="module")
def frames() -> list[np.ndarray]:
    """8 different 1080p RGB frames of the plant scene (each shifted a little)."""
    picture = scene.render_scene(_demo_scene(), *FULL_HD)
    return [np.ascontiguousarray(np.roll(picture, 9 * n, axis=1)) for n in range(FRAMES)]


class Bare:
    """The naive preview: a QLabel showing a scaled QPixmap of each frame."""

    def __init__(self, label: QLabel, smooth: bool) -> None:
        self.label = label
        self.mode = (
            Qt.TransformationMode.SmoothTransformation
            if smooth
            else Qt.TransformationMode.FastTransformation
        )

    def __call__(self, frame: np.ndarray) -> None:
        height, width = frame.shape[:2]
        image = QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_RGB888)
        pixmap = QPixmap.fromImage(image).scaled(
            self.label.size(), Qt.AspectRatioMode.KeepAspectRatio, self.mode
        )
        self.label.setPixmap(pixmap)
        self.label.repaint()


def test_preview_frames_per_second_against_a_bare_qlabel(qtbot, frames, quick):
    hub = FrameHub("bench", time.time, lambda: None)
    live_frames = [hub.publish(frame.copy()) for frame in frames]  # setup, not timed
    host = QWidget()
    qtbot.addWidget(host)
    layout = QHBoxLayout(host)
    live, fast_label, smooth_label = LiveView(), QLabel(), QLabel()
    for widget in (live, fast_label, smooth_label):
        widget.setFixedSize(PREVIEW)
        layout.addWidget(widget)
    host.show()
    qtbot.waitExposed(host)
    screen = live.screen_size
    assert screen == (PREVIEW.width(), PREVIEW.height())

    rendering: list[float] = []

    def eyepi(n: int) -> None:
        frame = live_frames[n]
        start = time.perf_counter()
        picture = render(frame.image, Viewport(), screen)
        rendering.append(time.perf_counter() - start)
        live.show_frame(Shown(frame, picture, Viewport(), screen))
        live.repaint()

    bare, smooth = Bare(fast_label, smooth=False), Bare(smooth_label, smooth=True)
    paths = {
        "eyepi": eyepi,
        "bare": lambda n: bare(frames[n]),
        "smooth": lambda n: smooth(frames[n]),
    }
    for n in range(FRAMES):  # warm up: every frame once through every path
        for path in paths.values():
            path(n)
    rendering.clear()
    count = 24 if quick else 240
    times: dict[str, list[float]] = {name: [] for name in paths}
    order = list(paths)
    for i in range(count):
        n = i % FRAMES
        for name in order[i % 3 :] + order[: i % 3]:  # rotate who goes first
            start = time.perf_counter()
            paths[name](n)
            times[name].append(time.perf_counter() - start)
    assert live.shown is not None and live.shown.picture.shape[:2] == (450, 800)
    assert fast_label.pixmap().size() == PREVIEW
    med = {name: statistics.median(values) for name, values in times.items()}
    ratio = med["eyepi"] / med["bare"]
    rows = (
        ("bare QLabel, fast scaling (ref)", "bare"),
        ("eyepi render + LiveView", "eyepi"),
        ("bare QLabel, smooth (info)", "smooth"),
    )
    print(f"\npreview of 1080p frames at 800x450, {count} interleaved frames per path:")
    for title, name in rows:
        print(
            f"  {title:<32} median {ms(med[name])} ms/frame  {1 / med[name]:7.1f} frames/s"
            f"  (p90 {ms(percentile(times[name], 90))} ms)"
        )
        if name == "eyepi":
            print(f"    of which viewport.render     median {ms(statistics.median(rendering))} ms")
    print(f"  ratio eyepi/bare {ratio:.2f} (goal at most {RATIO_GOAL})")
    print(f"  ratio eyepi/smooth {med['eyepi'] / med['smooth']:.2f} (information)")
    assert ratio > 0
    if not quick:
        assert ratio <= RATIO_GOAL, f"a preview frame costs {ratio:.2f}x the bare QLabel path"


class ShownCounter(QObject):
    """Counts ``FrameFeed.shown`` deliveries on the GUI thread (queued, as the panel gets them)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    @Slot(object)
    def on_shown(self, shown: object) -> None:
        self.count += 1


def test_kiosk_event_loop_lag_while_previewing_1080p_at_30fps(qtbot, qapp, tmp_path, quick):
    idle_s, preview_s = (1.0, 2.0) if quick else (8.0, 8.0)
    apply_theme(qapp)
    try:
        with moving_picture_station(tmp_path, fps=30) as services:
            window = MainWindow(services)
            qtbot.addWidget(window)
            window.resize(1280, 800)
            window.show()
            qtbot.waitExposed(window)
            window.session.log_in(Principal("ada", Role.ADMIN, Origin.KIOSK))
            qtbot.wait(300)  # let the window settle (first camera scan, first paints)
            idle = probe_event_loop(qtbot, idle_s)
            panel = window.panel(FocusPanel)
            counter = ShownCounter()
            panel.feed.shown.connect(counter.on_shown)
            window.show_tab("Focus")
            qtbot.waitUntil(lambda: panel.last_frame is not None, timeout=10_000)
            qtbot.wait(300)  # past the feed's start-up
            first_seq, first_count = panel.last_frame.frame.seq, counter.count
            previewing = probe_event_loop(qtbot, preview_s)
            last_seq, shown = panel.last_frame.frame.seq, counter.count - first_count
            live_size = panel.live.screen_size
            window.close()
    finally:
        qapp.setStyleSheet("")
    hub_frames = last_seq - first_seq
    print(f"\nkiosk event-loop lag, 10 ms ticks (ms); 1080p at 30 fps, live view {live_size}:")
    for name, lags in (("idle (Cameras tab)", idle), ("previewing (Focus tab)", previewing)):
        print(
            f"  {name:<24} p50 {percentile(lags, 50):6.1f}  p99 {percentile(lags, 99):6.1f}"
            f"  max {max(lags):6.1f}  ({len(lags)} ticks)"
        )
    print(
        f"  frames shown {shown / preview_s:5.1f}/s ({shown} in {preview_s:.0f} s); "
        f"hub seq advanced {hub_frames / preview_s:5.1f}/s"
    )
    print(f"  goal: p99 while previewing below {LAG_P99_GOAL_MS:.0f} ms")
    assert idle and previewing and shown > 0
    if not quick:
        assert percentile(previewing, 99) < LAG_P99_GOAL_MS
