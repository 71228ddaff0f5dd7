"""The capture-health view on a camera card: "Last good capture … ago" and the 24 bars."""

from dataclasses import replace

from PySide6.QtGui import QColor

from eyepi_gui.domain.health import HourHealth, summary_text
from eyepi_gui.kiosk.widgets.camera_card import CameraCard
from eyepi_gui.kiosk.widgets.health_chart import MISSED, OFF, TAKEN
from eyepi_gui.services.capture_health import CameraHealth
from tests.unit.test_kiosk_counts import CAMERA

NOW = 1_750_000_000.0
START = NOW - 23 * 3600 - 1800


def hour(index, expected, taken, running_s=3600.0):
    start = START + index * 3600
    return HourHealth(start, start + 3600, expected, taken, running_s, running_s)


HOURS = (
    [hour(i, 0, 0, running_s=0.0) for i in range(8)]  # off: the station was not running
    + [hour(i, 60, 60) for i in range(8, 20)]
    + [hour(20, 60, 20), hour(21, 60, 60), hour(22, 60, 60), hour(23, 30, 30)]
)
HEALTH = CameraHealth("sim-1", NOW, NOW - 12 * 60 - 5, tuple(HOURS))


def colours_in_column(chart, index):
    image = chart.grab().toImage()
    step = image.width() / 24
    x0, x1 = int(index * step) + 2, int((index + 1) * step) - 2
    return {QColor(image.pixel(x, y)).rgb() for x in range(x0, x1) for y in range(image.height())}


def test_the_card_says_how_long_ago_and_draws_the_buckets(qtbot):
    card = CameraCard("sim-1")
    qtbot.addWidget(card)
    card.resize(760, 260)
    card.show_overview(replace(CAMERA, health=HEALTH), None, NOW)
    card.show()
    qtbot.waitExposed(card)
    view = card.health
    assert view.isVisible()
    assert view.last_capture.text() == "Last good capture 12 min ago"
    assert view.chart.hours == HEALTH.hours
    summary = "Last 24 h: 890 of 930 expected captures taken; gaps in 1 hour; off 8 h"
    assert view.chart.accessibleDescription() == summary == summary_text(HEALTH.hours)
    assert view.chart.toolTip() == summary
    assert OFF.rgb() in colours_in_column(view.chart, 2)  # hatched, no bars
    assert TAKEN.rgb() not in colours_in_column(view.chart, 2)
    assert MISSED.rgb() in colours_in_column(view.chart, 20)  # the gap is marked
    assert MISSED.rgb() not in colours_in_column(view.chart, 12)
    assert TAKEN.rgb() in colours_in_column(view.chart, 12)


def test_a_busy_database_says_so_and_never_is_never(qtbot):
    card = CameraCard("sim-1")
    qtbot.addWidget(card)
    busy = CameraHealth("sim-1", NOW, None, (), known=False)
    card.show_overview(replace(CAMERA, health=busy), None, NOW)
    assert "database is busy" in card.health.last_capture.text()
    never = CameraHealth("sim-1", NOW, None, tuple(HOURS))
    card.show_overview(replace(CAMERA, health=never), None, NOW)
    assert card.health.last_capture.text() == "Last good capture never"


def test_a_running_station_fills_the_card_through_the_panel(panel, services, qtbot):
    card = panel.cards["sim-1"]
    qtbot.waitUntil(lambda: len(card.health.chart.hours) == 24, timeout=10_000)
    assert card.health.last_capture.text().startswith("Last good capture ")
    assert card.health.chart.hours[-1].station_s > 0  # the station runs this hour
