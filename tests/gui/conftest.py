"""Fixtures for the kiosk tests: a real station on simulated cameras, and the kiosk window.

The station's cameras get a one-day interval (one slot a day, at midnight) so no scheduled
capture runs while a test looks at a card; tests take test shots when they need an image.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.kiosk.app import apply_theme
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.widgets.camera_form import CameraSettingsForm
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.principals import ADMIN

HERE = Path(__file__).resolve().parent
CAMERA_IDS = ("sim-1", "sim-2")
QUIET = {"interval_s": 86400.0, "window": "always"}
ADMIN_PASSWORD = "admin long secret"
KIOSK_ADMIN = Principal("ada", Role.ADMIN, Origin.KIOSK)
# Qt's offscreen platform (used by every test here) warns whenever a window has a minimum
# size; the real platforms (xcb, wayland, eglfs) implement size hints and stay quiet.
OFFSCREEN_SIZE_HINTS = r"This plugin does not support propagateSizeHints\(\)"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS))


@pytest.fixture
def opened_station(eyepi_home: Path, qapp: QApplication) -> Iterator[Station]:
    """A station on a fresh home, opened (settings, database) but not started, with one
    account: ada, an admin (passwords hashed by the fast FakeHasher)."""
    station = Station(eyepi_home, log_to_console=False, hasher=FakeHasher())
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, QUIET)
    services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    yield station
    station.stop()


@pytest.fixture
def station(opened_station: Station) -> Station:
    """The station with its simulated cameras discovered and the scheduler running."""
    opened_station.start()
    return opened_station


@pytest.fixture
def services(station: Station):
    assert station.services is not None
    return station.services


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    """The touch theme on the test QApplication, removed again afterwards."""
    apply_theme(qapp)
    yield qapp
    qapp.setStyleSheet("")


@pytest.fixture
def make_window(qtbot, themed):
    """Build and show a kiosk window on given services: ``make_window(services, w, h)``;
    ``as_user`` is logged in on the window (None: the window stays locked)."""

    def make(
        services, width: int = 800, height: int = 480, as_user: Principal | None = KIOSK_ADMIN
    ) -> MainWindow:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        qtbot.waitExposed(window)
        if as_user is not None:
            window.session.log_in(as_user)
        return window

    return make


@pytest.fixture
def window(qtbot, services, make_window) -> MainWindow:
    """The kiosk window at 800x480 with a card for each simulated camera."""
    window = make_window(services)
    qtbot.waitUntil(lambda: sorted(window.panel(CamerasPanel).cards) == list(CAMERA_IDS))
    return window


@pytest.fixture
def panel(window: MainWindow) -> CamerasPanel:
    return window.panel(CamerasPanel)


@pytest.fixture
def open_form(qtbot, panel: CamerasPanel):
    """Press a card's Settings button and wait for the form: ``open_form("sim-1")``."""

    def open_(camera_id: str) -> CameraSettingsForm:
        qtbot.mouseClick(panel.cards[camera_id].settings_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.form)
        assert panel.form is not None
        return panel.form

    return open_
