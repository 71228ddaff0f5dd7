"""Capture browser: a day of 1,440 images (one a minute) opens in the kiosk with the
thumbnails on screen in under 300 ms after the first visit, and the event loop's p99 lag stays
under 50 ms while the day is scrolled end to end (issue 14).

The real kiosk window at 800x480 on a station whose index holds the day (1024x768 JPEGs in
full mode). First visit: Browse until every cell on screen shows its thumbnail (they are made
from the images then). Back, and Browse again: the time to the same point is the figure (the
day's listing from state.db plus the visible thumbnails from the cache). Then the grid is
flicked through the whole day (240 px every 30 ms) while a 10 ms timer measures lateness.
Full mode (EYEPI_BENCH=full): 1,440 images, asserts both goals. Quick mode (the default):
240 images at 640x480, prints the figures, never fails on a timing. Run with ``-s``.
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.domain.access import Origin
from eyepi_gui.station import Station
from tests.browse_day import fill_day
from tests.fakes import FakeHasher
from tests.gui.conftest import OFFSCREEN_SIZE_HINTS
from tests.gui.test_kiosk_focus import probe_event_loop
from tests.principals import ADMIN

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)  # offscreen Qt, as in tests/gui

OPEN_GOAL_MS = 300.0
LAG_GOAL_MS = 50.0
QUIET = {"interval_s": 86400.0, "window": "always"}


@pytest.fixture
def station(tmp_path, qapp, quick):
    station = Station(tmp_path / "home", log_to_console=False, hasher=FakeHasher())
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", "admin long secret")
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(ADMIN, camera_id, QUIET)
    start = datetime(2026, 5, 30, 0, 0, tzinfo=services.config.tz()).timestamp()
    count, size = (240, (640, 480)) if quick else (1440, (1024, 768))
    fill_day(station, "sim-1", start, count, size=size, scores=[40.0] * count)
    station.start()
    yield station
    station.stop()


def visible_rows(browser) -> list[int]:
    grid, model = browser.grid, browser.model
    area = grid.viewport().rect()
    first = grid.indexAt(area.topLeft()).row()
    return [
        r
        for r in range(max(first, 0), model.rowCount())
        if grid.visualRect(model.index(r)).intersects(area)
    ][:200]


def thumbnails_shown(browser, count: int) -> bool:
    if browser.model.rowCount() != count:
        return False
    rows = visible_rows(browser)
    return bool(rows) and all(browser.model.has_thumbnail(r) for r in rows)


def open_day(qtbot, panel, count: int) -> float:
    """Press Browse; ms until every visible cell shows its thumbnail."""
    began = time.perf_counter()
    qtbot.mouseClick(panel.cards["sim-1"].browse_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: panel.browser is not None and thumbnails_shown(panel.browser, count), timeout=60_000
    )
    return (time.perf_counter() - began) * 1000


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def test_a_day_opens_with_thumbnails_fast_and_scrolls_smoothly(qtbot, qapp, station, quick):
    from eyepi_gui.kiosk.app import apply_theme
    from eyepi_gui.kiosk.main_window import MainWindow
    from eyepi_gui.kiosk.panels.cameras import CamerasPanel

    count = 240 if quick else 1440
    apply_theme(qapp)
    try:
        window = MainWindow(station.services)
        qtbot.addWidget(window)
        window.resize(800, 480)
        window.show()
        qtbot.waitExposed(window)
        window.session.log_in(ADMIN)
        panel = window.panel(CamerasPanel)
        qtbot.waitUntil(lambda: "sim-1" in panel.cards)
        first = open_day(qtbot, panel, count)
        panel.browser.back_button.click()
        again = [open_day(qtbot, panel, count)]
        for _ in range(4):
            panel.browser.back_button.click()
            again.append(open_day(qtbot, panel, count))
        browser = panel.browser
        lags, flicked_s = scroll_through(qtbot, browser)
        window.close()
    finally:
        qapp.setStyleSheet("")
    later = f"{statistics.median(again):.0f} ms median, {max(again):.0f} ms worst"
    lag = f"p50 {statistics.median(lags):.1f} ms, p99 {p99(lags):.1f} ms, max {max(lags):.1f} ms"
    print(f"\ncapture browser, a day of {count} images at 800x480:")
    print(f"  first visit (thumbnails made): {first:.0f} ms to thumbnails on screen")
    print(f"  later visits (cache): {later} of {len(again)}")
    print(f"  scrolled end to end in {flicked_s:.1f} s: lag {lag} ({len(lags)} ticks)")
    assert browser.grid.verticalScrollBar().value() == browser.grid.verticalScrollBar().maximum()
    if not quick:
        assert max(again) < OPEN_GOAL_MS
        assert p99(lags) < LAG_GOAL_MS


def scroll_through(qtbot, browser) -> tuple[list[float], float]:
    bar = browser.grid.verticalScrollBar()
    lags: list[float] = []
    began = time.perf_counter()
    while bar.value() < bar.maximum() and time.perf_counter() - began < 120:
        bar.setValue(bar.value() + 240)
        lags += probe_event_loop(qtbot, 0.03)
    return lags, time.perf_counter() - began
