"""The main window: tabs, placeholder pages, status bar, banner, and sizes 800x480..1920x1080."""

from __future__ import annotations

import re
from typing import ClassVar

import pytest
from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyle,
    QStyleOptionButton,
    QToolButton,
)

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.kiosk import tabs
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.panels.not_built import NotBuiltPanel
from eyepi_gui.station import Station
from tests.gui.conftest import KIOSK_ADMIN
from tests.principals import ADMIN

TOUCH_PX = 44  # the smallest touch target (the theme draws 48; the thin status bar 44)
SIZES = [(800, 480), (1280, 800), (1920, 1080)]


def test_every_row_of_the_tab_table_is_a_tab_in_order(window):
    bar = window.tabs.tabBar()
    assert window.tab_names() == [tab.name for tab in tabs.TABS]
    assert [bar.tabText(i) for i in range(bar.count())] == [tab.label for tab in tabs.TABS]
    assert [bar.tabToolTip(i) for i in range(bar.count())] == [tab.name for tab in tabs.TABS]
    assert all(not bar.tabIcon(i).isNull() for i in range(bar.count()))


def test_every_tab_builds_a_panel_of_its_row(window):
    for tab in tabs.TABS:
        panel = window.show_tab(tab.name)
        assert isinstance(panel, tab.panel_class())
        assert window.panel(tab.panel_class()) is panel
        assert window.tabs.currentWidget().isAncestorOf(panel)


def test_unbuilt_features_say_so_plainly(window):
    for name in window.tab_names():
        panel = window.show_tab(name)
        if isinstance(panel, NotBuiltPanel):
            assert panel.title.text() == name
            assert "not built yet" in panel.message.text()
            assert "later release" in panel.message.text()


def test_a_panel_no_tab_holds_is_a_lookup_error(window):
    with pytest.raises(LookupError, match="ProbePanel"):
        window.panel(ProbePanel)


class ProbePanel(Panel):
    """A tab added by a test: notes every hook the window calls."""

    calls: ClassVar[list[str]] = []

    def __init__(self, context: PanelContext, parent=None):
        super().__init__(context, parent)
        ProbePanel.calls.append("built")

    def shown(self):
        ProbePanel.calls.append("shown")

    def hidden(self):
        ProbePanel.calls.append("hidden")

    def station_started(self):
        ProbePanel.calls.append("station_started")

    def stop(self):
        ProbePanel.calls.append("stop")


PROBE = tabs.Tab("Probe", "Probe", "check.svg", f"{__name__}:ProbePanel")


def test_adding_a_tab_is_one_row(services, make_window, monkeypatch, qtbot):
    monkeypatch.setattr(tabs, "TABS", (*tabs.TABS, PROBE))
    ProbePanel.calls.clear()
    window = make_window(services)
    bar = window.tabs.tabBar()
    assert window.tab_names()[-1] == "Probe" and bar.tabToolTip(bar.count() - 1) == "Probe"
    window.start_station(lambda: None)
    qtbot.waitUntil(lambda: not window.runner.is_running("station-start"))
    assert ProbePanel.calls == []  # not built before it is first shown
    panel = window.show_tab("Probe")
    assert isinstance(panel, ProbePanel) and window.panel(ProbePanel) is panel
    assert ProbePanel.calls == ["built", "station_started", "shown"]
    window.show_tab(window.tab_names()[0])
    assert ProbePanel.calls[-1] == "hidden"
    window.close()
    assert ProbePanel.calls[-1] == "stop" and ProbePanel.calls.count("stop") == 1


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
    scroll = window.panel(CamerasPanel).card_scroll
    content = scroll.widget()
    qtbot.waitUntil(lambda: content.width() <= scroll.viewport().width())
    assert content.minimumSizeHint().width() <= scroll.viewport().width()
    assert scroll.horizontalScrollBar().maximum() == 0
    for card in window.panel(CamerasPanel).cards.values():
        assert card.geometry().right() < content.width()
        assert card.minimumSizeHint().width() <= 800


LONG_NAME = Principal("administrator", Role.ADMIN, Origin.KIOSK)


@pytest.mark.parametrize(("width", "height"), [(480, 800), (800, 480), (1920, 1080)])
@pytest.mark.parametrize("user", [KIOSK_ADMIN, LONG_NAME], ids=["ada", "administrator"])
def test_every_tab_and_the_session_button_fit_the_bar(
    services, make_window, qtbot, width, height, user
):
    window = make_window(services, width, height, as_user=user)
    # As under --kiosk (ScreenFit): the screen decides the width, not the pages' minimum.
    window.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    window.resize(width, height)
    bar, button = window.tabs.tabBar(), window.session_button
    qtbot.waitUntil(lambda: window.tabs.width() == width and button.width() > 0)
    qtbot.wait(50)  # the corner button's size follows its text one layout pass later
    assert bar.count() == len(window.tab_names())
    assert bar.sizeHint().width() <= bar.width()  # no tab squeezed off the bar
    assert button.geometry().right() < window.tabs.width() and button.isVisible()
    assert bar.geometry().right() < button.mapTo(window.tabs, button.rect().topLeft()).x()
    rects = [bar.tabRect(i) for i in range(bar.count())]
    assert all(r.width() >= TOUCH_PX and r.height() >= TOUCH_PX for r in rects), rects
    assert button.width() >= TOUCH_PX and button.height() >= TOUCH_PX
    assert window.tab_fit.needed_px() <= width
    if width >= 800:  # labels beside the icons; the name may give way on the button
        assert [bar.tabText(i) for i in range(bar.count())] == [t.label for t in tabs.TABS]
    assert button.sizeHint().width() <= button.width()  # its text is not cut
    arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
    assert arrows == []


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


def test_the_keyboard_attached_after_the_first_paint_still_hides_the_status_bar(
    services, make_window, qtbot
):
    """Regression: the keyboard came up for the already focused login field before the
    window listened to it, and the status bar stayed, pushing a small window past 480 px."""
    window = make_window(services, 800, 480, as_user=None)
    window.activateWindow()
    qtbot.waitUntil(lambda: window._keyboard is not None)  # attached after the first paint
    qtbot.waitUntil(window.keyboard.isVisible)
    assert window.login_page.username_edit.hasFocus()
    assert not window.status.isVisible()
