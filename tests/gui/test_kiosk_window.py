"""The main window: tabs, placeholder pages, status bar, banner, and sizes 800x480..1920x1080."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
)

from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.widgets.not_built import NotBuiltPage
from eyepi_gui.station import Station
from tests.principals import ADMIN

TOUCH_PX = 48
SIZES = [(800, 480), (1280, 800), (1920, 1080)]


def test_six_tabs_with_their_names(window):
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert names == ["Cameras", "Focus", "Network", "Storage", "Logs", "Users"]


def test_unbuilt_features_say_so_plainly(window):
    built = {"Cameras", "Focus", "Users"}
    names = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    pages = [window.tabs.widget(i) for i, name in enumerate(names) if name not in built]
    assert [name for name in names if name not in built] == ["Network", "Storage", "Logs"]
    assert all(isinstance(page, NotBuiltPage) for page in pages)
    for page in pages:
        assert "not built yet" in page.message.text()
        assert "later release" in page.message.text()


def test_status_bar_shows_station_name_health_free_space_and_clock(services, make_window, qtbot):
    services.config.update_station(ADMIN, {"station_name": "field-north"})
    window = make_window(services)
    status = window.status
    qtbot.waitUntil(lambda: status.health.text() == "2/2 cameras OK")
    assert status.station.text() == "field-north"
    assert re.fullmatch(r"[\d.]+ (B|kB|MB|GB|TB) free", status.free.text())
    assert re.search(r"\d\d:\d\d:\d\d$", status.clock.text())
    assert not window.banner.isVisible()


def test_capture_paused_for_disk_space_shows_in_banner_and_status(window, services, qtbot):
    services.config.update_station(
        ADMIN, {"free_space_floor_mib": 10_000_000}
    )  # ~10 TB: always low
    qtbot.waitUntil(lambda: window.status.health.text() == "capture paused: disk low", timeout=5000)
    qtbot.waitUntil(window.banner.isVisible)
    assert window.banner.text().startswith("Capture is paused")
    services.config.update_station(ADMIN, {"free_space_floor_mib": 0})
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)


def test_unusable_settings_show_in_the_banner(eyepi_home, make_window, qtbot):
    (eyepi_home / "station.toml").write_text('station_name = "unterminated\n')
    station = Station(eyepi_home, log_to_console=False)
    services = station.open()
    try:
        window = make_window(services)
        qtbot.waitUntil(window.banner.isVisible)
        assert "station.toml: could not be used (not valid TOML" in window.banner.text()
        assert "running on defaults with the remote endpoint off" in window.banner.text()
        assert window.banner.textFormat() == Qt.TextFormat.PlainText
        window.close()
    finally:
        station.stop()


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_cameras_fit_the_width(window, qtbot, width, height):
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.size() == QSize(width, height))
    scroll = window.cameras.card_scroll
    content = scroll.widget()
    qtbot.waitUntil(lambda: content.width() <= scroll.viewport().width())
    assert content.minimumSizeHint().width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() == 0
    for card in window.cameras.cards.values():
        assert card.geometry().right() < content.width()
        assert card.minimumSizeHint().width() <= 800


def test_the_tab_bar_fits_800_px(window):
    bar = window.tabs.tabBar()
    assert bar.minimumSizeHint().width() <= 800
    assert bar.height() >= TOUCH_PX


def visible(window, kind):
    return [w for w in window.findChildren(kind) if w.isVisible()]


def test_every_button_is_a_touch_target(window, qtbot):
    buttons = visible(window, QPushButton)
    assert len(buttons) >= 6  # three per card
    assert all(button.height() >= TOUCH_PX for button in buttons), [
        (b.text(), b.height()) for b in buttons if b.height() < TOUCH_PX
    ]


def test_every_form_control_is_a_touch_target(window, qtbot, open_form):
    form = open_form("sim-1")
    controls = [
        w
        for kind in (QPushButton, QLineEdit, QSpinBox, QComboBox, QCheckBox)
        for w in form.findChildren(kind)
        if not w.objectName().startswith("qt_")  # a spin box's own inner line edit
    ]
    assert len(controls) >= 12
    for control in controls:
        assert control.height() >= TOUCH_PX, (control.objectName(), control.height())
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in form.findChildren(QLabel))


def test_the_quality_spin_box_shows_its_value(window, open_form):
    """Regression: the theme once squeezed the spin box's own line edit to 1 px (blank box)."""
    form = open_form("sim-1")
    assert form.quality_spin.lineEdit().width() >= 40
    assert form.quality_spin.lineEdit().text() == "90"


def test_check_box_indicators_are_touch_targets(window, open_form):
    form = open_form("sim-1")
    for check in form.findChildren(QCheckBox):
        option = QStyleOptionButton()
        check.initStyleOption(option)
        indicator = check.style().subElementRect(
            QStyle.SubElement.SE_CheckBoxIndicator, option, check
        )
        assert min(indicator.width(), indicator.height()) >= TOUCH_PX, check.objectName()


def test_the_window_closes_cleanly(window, qtbot):
    assert isinstance(window, MainWindow)
    window.close()
    assert window.runner.pending_count() == 0
    assert window.bridge.closed


def test_every_label_is_plain_text(window, open_form):
    open_form("sim-1")
    labels = window.findChildren(QLabel)
    assert len(labels) > 20
    rich = [label.objectName() for label in labels if label.textFormat() != Qt.TextFormat.PlainText]
    assert rich == []


def test_a_recreated_database_shows_in_the_banner(eyepi_home, make_window, qtbot):
    (eyepi_home / "state.db").write_bytes(b"")  # truncated to nothing
    station = Station(eyepi_home, log_to_console=False)
    services = station.open()
    try:
        window = make_window(services)
        qtbot.waitUntil(window.banner.isVisible)
        assert "state.db) was empty (truncated)" in window.banner.text()
        assert "A new one was made" in window.banner.text()
        window.close()
    finally:
        station.stop()
