"""The kiosk's doors: first-run admin, lock and unlock, auto-lock, and what a viewer may press."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.principals import ADMIN

CLICK = Qt.MouseButton.LeftButton
VIEWER = Principal("vera", Role.VIEWER, Origin.KIOSK)


@pytest.fixture
def empty_station(tmp_path, qapp):
    """A started station with no account at all."""
    station = Station(tmp_path / "empty", log_to_console=False, hasher=FakeHasher())
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, QUIET)
    station.start()
    yield station
    station.stop()


def type_into(qtbot, edit, text):
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_first_run_creates_the_admin_and_logs_in(qtbot, empty_station, make_window):
    services = empty_station.services
    window = make_window(services, as_user=None)
    page = window.first_run_page
    qtbot.waitUntil(lambda: window.screens.currentWidget() is page)
    type_into(qtbot, page.username_edit, "ada")
    type_into(qtbot, page.password_edit, ADMIN_PASSWORD)
    type_into(qtbot, page.confirm_edit, ADMIN_PASSWORD)
    qtbot.mouseClick(page.create_button, CLICK)
    qtbot.waitUntil(lambda: window.session.principal.username == "ada")
    assert window.session.principal.role is Role.ADMIN
    assert window.screens.currentIndex() == 0
    assert window.session_button.text().startswith("Lock")  # "Lock · ada" where it fits
    assert window.session_button.toolTip().startswith("ada ")
    assert [u.username for u in services.users.users(window.session.principal)] == ["ada"]


@pytest.mark.parametrize(
    ("username", "password", "confirm", "field", "says"),
    [
        ("ada", "nine char", "nine char", "password", "at least 10 characters"),
        ("Ada", ADMIN_PASSWORD, ADMIN_PASSWORD, "username", "uppercase letter 'A'"),
        ("ada", ADMIN_PASSWORD, ADMIN_PASSWORD + "x", "confirm", "differ"),
        ("ada", "1234567890", "1234567890", "password", "most common passwords"),
    ],
)
def test_first_run_refuses_bad_values_and_creates_nothing(
    qtbot, empty_station, make_window, username, password, confirm, field, says
):
    window = make_window(empty_station.services, as_user=None)
    page = window.first_run_page
    qtbot.waitUntil(lambda: window.screens.currentWidget() is page)
    type_into(qtbot, page.username_edit, username)
    type_into(qtbot, page.password_edit, password)
    type_into(qtbot, page.confirm_edit, confirm)
    qtbot.mouseClick(page.create_button, CLICK)
    message = page.ui.findChild(type(page.message), f"{field}_message")
    qtbot.waitUntil(lambda: says in message.text())
    assert page.create_button.isEnabled()
    assert empty_station.services.users.needs_first_admin()
    assert window.session.locked


def test_lock_then_unlock_with_the_password(qtbot, services, make_window):
    window = make_window(services)
    qtbot.waitUntil(lambda: window.screens.currentIndex() == 0)
    assert window.session_button.text().startswith("Lock")  # "Lock · ada" where it fits
    assert window.session_button.toolTip().startswith("ada ")
    qtbot.mouseClick(window.session_button, CLICK)
    assert window.session.locked
    assert window.screens.currentWidget() is window.login_page
    page = window.login_page
    type_into(qtbot, page.username_edit, "ada")
    type_into(qtbot, page.password_edit, "not the password")
    qtbot.mouseClick(page.login_button, CLICK)
    qtbot.waitUntil(lambda: page.message.text() == "Wrong username or password.")
    assert page.password_edit.text() == "" and window.session.locked
    type_into(qtbot, page.password_edit, ADMIN_PASSWORD)
    qtbot.keyClick(page.password_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.session.locked)
    assert window.screens.currentIndex() == 0 and window.session.principal.role is Role.ADMIN


def test_too_many_failures_tell_the_wait(qtbot, services, make_window):
    window = make_window(services, as_user=None)
    page = window.login_page
    qtbot.waitUntil(lambda: window.screens.currentWidget() is page)
    for _ in range(4):
        type_into(qtbot, page.username_edit, "ada")
        type_into(qtbot, page.password_edit, "not the password")
        qtbot.mouseClick(page.login_button, CLICK)
        qtbot.waitUntil(page.login_button.isEnabled)
    assert page.message.text().startswith("Too many failed logins; try again in ")


def lock_after(qtbot, services, window, seconds, viewer_when_locked=False):
    """Set the security settings through the service and wait until the kiosk applies them."""
    security = {"auto_lock_s": seconds, "viewer_when_locked": viewer_when_locked}
    services.config.update_station(ADMIN, {"security": security})
    qtbot.waitUntil(lambda: window.session.auto_lock_s == seconds)


def test_idle_screen_locks_itself(qtbot, services, make_window):
    window = make_window(services)
    lock_after(qtbot, services, window, 30)
    window.session._last_input = time.monotonic() - 31  # as if nobody touched it for 31 s
    qtbot.waitUntil(lambda: window.session.locked, timeout=3000)
    assert window.screens.currentWidget() is window.login_page


def test_touching_the_screen_keeps_it_unlocked(qtbot, services, make_window):
    window = make_window(services)
    lock_after(qtbot, services, window, 30)
    window.session._last_input = time.monotonic() - 29
    # a touch as the platform delivers it: to the window first (the session watches there)
    qtbot.mouseClick(window.windowHandle(), CLICK, pos=window.status.geometry().center())
    qtbot.wait(1500)
    assert not window.session.locked


def test_a_viewer_sees_disabled_controls_and_why(qtbot, services, make_window):
    admin = services.login.login(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    services.users.add_user(admin, "vera", "viewer long secret", "viewer")
    window = make_window(services, as_user=VIEWER)
    cameras = window.panel(CamerasPanel)
    qtbot.waitUntil(lambda: sorted(cameras.cards) == list(CAMERA_IDS))
    for card in cameras.cards.values():
        assert not card.test_button.isEnabled()
        assert not card.settings_button.isEnabled() and not card.enable_button.isEnabled()
    assert not cameras.rescan_button.isEnabled()
    note = cameras.access_note
    assert note.isVisible()
    assert "A viewer may not take test shots; log in as an operator or admin." in note.text()


def test_an_operator_may_shoot_and_the_note_is_gone(qtbot, services, make_window):
    window = make_window(services, as_user=KIOSK_ADMIN)
    cameras = window.panel(CamerasPanel)
    qtbot.waitUntil(lambda: sorted(cameras.cards) == list(CAMERA_IDS))
    assert all(card.test_button.isEnabled() for card in cameras.cards.values())
    assert not cameras.access_note.isVisible()


def test_locked_view_for_viewers_when_configured(qtbot, services, make_window):
    window = make_window(services, as_user=None)
    cameras = window.panel(CamerasPanel)
    lock_after(qtbot, services, window, 300, viewer_when_locked=True)
    qtbot.waitUntil(lambda: window.screens.currentIndex() == 0)
    qtbot.waitUntil(lambda: sorted(cameras.cards) == list(CAMERA_IDS))
    assert not any(card.test_button.isEnabled() for card in cameras.cards.values())
    assert "Log in as an operator or admin" in cameras.access_note.text()
    qtbot.mouseClick(window.session_button, CLICK)
    assert window.screens.currentWidget() is window.login_page
    assert window.login_page.cancel_button.isVisible()
    qtbot.mouseClick(window.login_page.cancel_button, CLICK)
    assert window.screens.currentIndex() == 0


def test_an_admin_demoting_the_kiosk_user_elsewhere_locks_the_kiosk(qtbot, services, make_window):
    admin = services.login.login(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    services.users.add_user(admin, "otto", "operator long secret", "operator")
    window = make_window(services, as_user=Principal("otto", Role.OPERATOR, Origin.KIOSK))
    remote_admin = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.1")
    services.users.set_role(remote_admin, "otto", "viewer")
    qtbot.waitUntil(lambda: window.session.locked)
