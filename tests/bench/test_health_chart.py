"""Health chart benchmark: 3 cameras over 24 h at 1-minute captures (4,320 rows).

1. The index read: ``CaptureHealth.camera`` for each camera on a real state.db, counting the
   statements that read the capture index (goal: exactly one per camera, not one per slot or
   per hour), and its time.
2. The paint: each camera's ``HealthChart`` (800x480 card width, 240x40 px) rendered offscreen
   into an image, against an empty QWidget of the same size rendered the same way, interleaved
   in the same run, medians. Goal: chart minus empty under 5 ms per card.
Full mode (EYEPI_BENCH=full): 200 paints per card, asserts the goals. Quick mode (CI, the
default): 20 paints; asserts the query count (not a timing), prints the figures (``-s``).
"""

from __future__ import annotations

import statistics
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from eyepi_gui.adapters.activity_db import ActivityDB
from eyepi_gui.adapters.capture_tally_db import CaptureTallyDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.kiosk.widgets.health_chart import HealthChart
from eyepi_gui.services.capture_health import CaptureHealth
from eyepi_gui.services.deferred_writes import DeferredWrites
from eyepi_gui.services.station_activity import StationActivity
from eyepi_gui.station import Station
from tests.fakes import FakeClock
from tests.principals import ADMIN

GOAL_MS = 5.0
CAMERAS = ("sim-1", "sim-2", "sim-3")
SIZE = (240, 40)
NOW = datetime(2025, 6, 1, 17, 30, tzinfo=ZoneInfo("UTC")).timestamp()


class CountingDB(StateDB):
    """The real state.db, counting the statements that read the capture index."""

    capture_reads = 0

    def fetch(self, sql, args=(), **kw):
        self.capture_reads += "FROM captures" in sql
        return super().fetch(sql, args, **kw)


@pytest.fixture
def health(tmp_path):
    """CaptureHealth on a state.db with 24 h of 1-minute captures for three cameras."""
    clock = FakeClock(NOW)
    station = Station(tmp_path / "home", clock=clock, log_to_console=False)
    services = station.open()
    for camera_id in CAMERAS:
        services.config.update_camera(ADMIN, camera_id, {"interval_s": 60, "window": "always"})
    db = CountingDB(tmp_path / "bench.db")
    with db.transaction() as conn:
        conn.executemany(
            "INSERT INTO captures (camera_id, path, scheduled_at, taken_at, size, sha256)"
            " VALUES (?, ?, ?, ?, 1, '')",
            [
                (camera_id, f"images/{camera_id}/{m}.jpg", slot, slot + 0.4)
                for camera_id in CAMERAS
                for m in range(24 * 60)
                if m % 97  # a few missed slots, so some hours show a gap
                for slot in [NOW - 86400 + m * 60]
            ],
        )
    activity = StationActivity(ActivityDB(db), DeferredWrites())
    activity.beat(NOW - 86400, CAMERAS)
    yield CaptureHealth(services.config, CaptureTallyDB(db), ActivityDB(db), activity, clock), db
    db.close()
    station.stop()


def paint_s(widget: QWidget, image: QImage) -> float:
    start = time.perf_counter()
    painter = QPainter(image)
    widget.render(painter, QPoint(0, 0))
    painter.end()
    return time.perf_counter() - start


def test_three_charts_read_once_per_camera_and_paint_within_5ms(health, qapp, quick):
    service, db = health
    db.capture_reads = 0
    start = time.perf_counter()
    cameras = [service.camera(camera_id) for camera_id in CAMERAS]
    read_s = time.perf_counter() - start
    assert db.capture_reads == len(CAMERAS)  # one query per camera for the whole 24 h
    assert all(c.gaps and c.expected == 1410 for c in cameras)  # 00:00 to 17:30
    charts = []
    for camera in cameras:
        chart = HealthChart()
        chart.resize(*SIZE)
        chart.show_hours(camera.hours)
        charts.append(chart)
    empty = QWidget()
    empty.resize(*SIZE)
    image = QImage(*SIZE, QImage.Format.Format_ARGB32_Premultiplied)
    rounds = 20 if quick else 200
    chart_s, empty_s = [], []
    for _ in range(rounds):
        for chart in charts:
            chart_s.append(paint_s(chart, image))
            empty_s.append(paint_s(empty, image))
    chart_ms = statistics.median(chart_s) * 1000
    empty_ms = statistics.median(empty_s) * 1000
    extra_ms = chart_ms - empty_ms
    print(
        f"\nhealth chart: index read {read_s * 1000:.2f} ms for {len(CAMERAS)} cameras"
        f" ({db.capture_reads} queries); paint {chart_ms:.3f} ms per card vs empty"
        f" {empty_ms:.3f} ms (ratio {chart_ms / empty_ms:.1f}x, extra {extra_ms:.3f} ms;"
        f" goal < {GOAL_MS} ms; {rounds} rounds)"
    )
    if not quick:
        assert extra_ms < GOAL_MS
