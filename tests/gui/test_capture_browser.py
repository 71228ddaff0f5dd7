"""The capture browser in the kiosk: opened from a card's Browse button, a day's thumbnails
appear (lazily, off the GUI thread), drift is marked, a tap opens the full view, which zooms
and pages by swipe; the event loop keeps turning while a day is scrolled."""

from __future__ import annotations

import statistics
import time
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, Qt

from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.widgets.capture_browser import CaptureBrowserView
from tests.browse_day import fill_day
from tests.gui.test_kiosk_focus import probe_event_loop
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
LAG_GOAL_MS = 50.0


def start_of(services, hour: int = 6) -> float:
    return datetime(2026, 5, 30, hour, 0, tzinfo=services.config.tz()).timestamp()


@pytest.fixture
def day(station, services):
    lock = {"reference": 40.0, "roi": [0.25, 0.25, 0.5, 0.5], "drift_fraction": 0.5}
    services.config.update_camera(ADMIN, "sim-1", {"focus_lock": lock})
    scores = [50.0, 10.0, None, 45.0] + [30.0] * 116
    return fill_day(station, "sim-1", start_of(services), 120, scores=scores)


def open_browser(qtbot, panel: CamerasPanel, camera_id: str = "sim-1") -> CaptureBrowserView:
    qtbot.mouseClick(panel.cards[camera_id].browse_button, LEFT)
    qtbot.waitUntil(lambda: panel.browser is not None)
    assert panel.browser is not None and panel.stack.currentWidget() is panel.browser
    return panel.browser


def visible_rows(browser: CaptureBrowserView) -> list[int]:
    grid = browser.grid
    rect = grid.viewport().rect()
    return [
        r
        for r in range(browser.model.rowCount())
        if grid.visualRect(browser.model.index(r)).intersects(rect)
    ]


def test_browse_shows_the_days_and_the_newest_days_thumbnails(qtbot, panel, day):
    browser = open_browser(qtbot, panel)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 120, timeout=5000)
    assert browser.day_choice.itemText(0).startswith("2026-05-30 (120 images)") or any(
        browser.day_choice.itemText(i) == "2026-05-30 (120 images)"
        for i in range(browser.day_choice.count())
    )
    assert "1 with focus drift" in browser.status.text()
    shown = visible_rows(browser)
    assert shown, "some cells are on screen"
    qtbot.waitUntil(lambda: browser.model.loaded_count() >= len(shown), timeout=5000)
    # lazy: only what was painted (and not all 120) was made
    assert browser.model.loaded_count() < 120
    drifted = browser.model.index(1)
    assert browser.model.data(drifted, Qt.ItemDataRole.ForegroundRole) is not None
    assert browser.model.data(drifted) == "06:01:00\nfocus 10.0 · drifted"
    assert browser.model.data(browser.model.index(2)) == "06:02:00\nno focus score"
    cell = browser.grid.visualRect(drifted)
    widest = max(
        browser.grid.fontMetrics().horizontalAdvance(line)
        for line in ["06:01:00", "focus 10.0 · drifted"]
    )
    assert widest <= cell.width(), "the drift mark is not cut off"


def test_the_title_is_plain_text(qtbot, panel, services, day):
    services.config.update_camera(ADMIN, "sim-1", {"name": "<b>bold</b> & co"})
    qtbot.waitUntil(lambda: panel.cards["sim-1"].name.text() == "<b>bold</b> & co")
    browser = open_browser(qtbot, panel)
    assert browser.title.text() == "Images of <b>bold</b> & co"
    assert browser.title.textFormat() == Qt.TextFormat.PlainText


def test_a_camera_without_images_says_so(qtbot, panel):
    browser = open_browser(qtbot, panel, "sim-2")
    qtbot.waitUntil(lambda: browser.status.text() == "No kept images of this camera yet.")
    assert browser.model.rowCount() == 0 and browser.day_choice.count() == 0


def test_a_tap_opens_the_full_view_which_zooms_and_swipes(qtbot, panel, day):
    browser = open_browser(qtbot, panel)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 120, timeout=5000)
    cell = browser.grid.visualRect(browser.model.index(1)).center()
    qtbot.mouseClick(browser.grid.viewport(), LEFT, pos=cell)
    qtbot.waitUntil(lambda: browser.pages.currentWidget() is browser.full_page)
    qtbot.waitUntil(lambda: not browser.view._item.pixmap().isNull(), timeout=5000)
    assert browser.info.text().startswith(day.paths[1].name)
    assert "2 of 120" in browser.info.text()
    browser.zoom_in_button.click()
    assert browser.view.zoom > 1.0
    browser.fit_button.click()
    assert browser.view.zoom == 1.0
    viewport = browser.view.viewport()
    middle = viewport.rect().center()
    qtbot.mousePress(viewport, LEFT, pos=middle)
    qtbot.mouseRelease(viewport, LEFT, pos=middle - QPoint(150, 0))  # swipe left: later
    assert browser.current_row == 2
    qtbot.mousePress(viewport, LEFT, pos=middle)
    qtbot.mouseRelease(viewport, LEFT, pos=middle + QPoint(150, 10))  # swipe right: earlier
    assert browser.current_row == 1
    browser.earlier_button.click()
    assert browser.current_row == 0 and not browser.earlier_button.isEnabled()
    qtbot.mouseClick(browser.day_button, LEFT)
    assert browser.pages.currentWidget() is browser.day_page
    qtbot.mouseClick(browser.back_button, LEFT)
    assert panel.stack.currentWidget() is panel.card_scroll


def test_the_event_loop_keeps_turning_while_a_day_scrolls(qtbot, panel, station, services):
    fill_day(station, "sim-1", start_of(services), 600, step_s=30)
    browser = open_browser(qtbot, panel)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 600, timeout=10_000)
    bar = browser.grid.verticalScrollBar()
    lags: list[float] = []
    began = time.perf_counter()
    while bar.value() < bar.maximum() and time.perf_counter() - began < 20:
        bar.setValue(bar.value() + 240)  # a brisk flick: a screenful in ~2 steps
        lags += probe_event_loop(qtbot, 0.03)
    lags.sort()
    p99 = lags[max(0, int(len(lags) * 0.99) - 1)]
    print(
        f"\nkiosk browser scrolling: p50 {statistics.median(lags):.1f} ms, p99 {p99:.1f} ms "
        f"over {len(lags)} ticks; {browser.model.loaded_count()} thumbnails held"
    )
    assert bar.value() == bar.maximum()
    assert p99 < LAG_GOAL_MS * 2  # a shared test machine; the benchmark asserts the goal


def test_the_thumbnails_held_are_bounded(qtbot, panel, station, services, monkeypatch):
    from eyepi_gui.kiosk.widgets import day_grid

    monkeypatch.setattr(day_grid, "PIXMAPS_MAX", 40)
    fill_day(station, "sim-1", start_of(services), 200, step_s=60)
    browser = open_browser(qtbot, panel)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 200, timeout=5000)
    bar = browser.grid.verticalScrollBar()
    while bar.value() < bar.maximum():
        bar.setValue(bar.value() + 400)
        qtbot.wait(20)
    qtbot.waitUntil(lambda: not browser.loader.busy(), timeout=10_000)
    assert browser.model.loaded_count() == 40
    bar.setValue(0)  # back to the top: those are read again and shown
    qtbot.waitUntil(lambda: all(browser.model.has_thumbnail(r) for r in visible_rows(browser)))


def test_a_new_capture_of_the_day_on_show_is_added_at_the_end(qtbot, panel, station, services):
    filled = fill_day(station, "sim-1", time.time() - 30, 3, step_s=5)  # just before the shot
    browser = open_browser(qtbot, panel)
    qtbot.waitUntil(lambda: browser.model.rowCount() == 3, timeout=5000)
    qtbot.waitUntil(lambda: browser.model.loaded_count() == 3, timeout=5000)
    services.cameras.test_shot(ADMIN, "sim-1")
    qtbot.waitUntil(lambda: browser.model.rowCount() == 4, timeout=10_000)
    assert [i.record_id for i in browser.model.images[:3]] == filled.ids
    assert all(browser.model.has_thumbnail(row) for row in range(3)), "kept, not reloaded"
