"""Screenshot helper, run as a subprocess by test_screenshots.py (a real X server, xcb).

    python tests/gui/shoot.py HOME OUT_DIR WIDTH HEIGHT [--broken-config | --first-run]

Starts a station with simulated cameras on HOME, takes a test shot per camera, shows the kiosk
at WIDTH x HEIGHT logged in as an admin and saves, under OUT_DIR/WxH/: one PNG per tab (named
after the tab, lower case: cameras.png, focus.png, ..., users.png), focus-zoom.png,
settings.png (the settings form with a rejected interval), users-add.png, users-password.png
and users-manage.png (each with the on-screen keyboard up on its first field), network-join.png
(the keyboard up on the password), network-addressing.png (a rejected gateway),
network-hotspot.png (its QR code) and login.png (locked, typing the password on the on-screen
keyboard); the station's NetworkManager is a FakeNetwork with a few Wi-Fi networks in range.
With --broken-config station.toml is
unreadable, so the banner shows (banner.png only); with --first-run no account exists
(first-run.png only). Exits 0 when every PNG was written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from eyepi_gui.domain.access import Origin
from eyepi_gui.kiosk.app import application, apply_theme
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.panels.focus import FocusPanel
from eyepi_gui.kiosk.panels.network.panel import NetworkPanel
from eyepi_gui.kiosk.panels.users import UsersPanel
from eyepi_gui.station import Station
from tests.fake_network import FakeNetwork
from tests.fakes import FakeHasher
from tests.gui.kiosk_tabs import show_tab, tab_names
from tests.principals import ADMIN

NAMES = {"sim-1": "Bench north", "sim-2": "Greenhouse row 3"}
DEADLINE_S = 40.0


PASSWORD = "admin long secret"


def prepare(home: Path, broken: bool, first_run: bool):
    if broken:
        (home / "station.toml").write_text("station_name = [unterminated\n")
    station = Station(home, log_to_console=False, hasher=FakeHasher(), network=fake_network())
    services = station.open()
    if not first_run:
        admin = services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORD)
        services.users.add_user(admin, "otto", "operator long secret", "operator")
    if not broken:
        services.config.update_station(ADMIN, {"station_name": "field-north"})
        services.network.join_wifi(ADMIN, "Greenhouse north", WIFI_PASSWORD)
        for camera_id, name in NAMES.items():
            changes = {"name": name, "interval_s": 300, "window": "always"}
            services.config.update_camera(ADMIN, camera_id, changes)
    station.start()
    for info in services.cameras.cameras():
        services.cameras.test_shot(ADMIN, info.camera_id)
    return station, services


WIFI_PASSWORD = "greenhouse secret"


def fake_network() -> FakeNetwork:
    """A station with Ethernet and Wi-Fi, a few networks in range (one HTML-looking)."""
    network = FakeNetwork(hostname="field-north")
    network.in_range("Greenhouse north", password=WIFI_PASSWORD, signal=82)
    network.in_range("Cafe Gaststätte", signal=55)
    network.in_range("<b>bold</b><img src=x>", password="another secret", signal=30)
    network.in_range("Barn-AP-2.4GHz", password="another secret", signal=12)
    return network


def wait_for(app: QApplication, condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"shoot.py: timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.02)


def settle(app: QApplication, seconds: float = 0.3) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def save(window: MainWindow, out: Path, name: str, size: str) -> None:
    path = out / size / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path)):
        raise SystemExit(f"shoot.py: could not write {path}")
    print(path)


def cards_ready(window: MainWindow) -> bool:
    cards = window.panel(CamerasPanel).cards.values()
    return bool(cards) and all(card.shown_source is not None for card in cards)


def main(argv: list[str]) -> int:
    home, out = Path(argv[0]), Path(argv[1])
    width, height = int(argv[2]), int(argv[3])
    broken, first_run = "--broken-config" in argv, "--first-run" in argv
    out.mkdir(parents=True, exist_ok=True)
    size = f"{width}x{height}"
    station, services = prepare(home, broken, first_run)
    app = application()
    apply_theme(app)
    window = MainWindow(services)
    window.resize(width, height)
    window.show()
    window.activateWindow()
    QTimer.singleShot(0, lambda: window.start_station(lambda: None))
    try:
        if first_run:
            shoot_first_run(app, window, out, size)
            return 0
        window.session.log_in(services.login.login(Origin.KIOSK, "ada", PASSWORD))
        wait_for(app, lambda: cards_ready(window), "the camera cards")
        wait_for(app, lambda: window.status.health.text() != "starting…", "the health")
        settle(app)
        if broken:
            save(window, out, "banner", size)
            return 0
        shoot_panels(app, window, out, size)
        shoot_login(app, window, out, size)
        return 0
    finally:
        window.close()
        station.stop()


def shoot_panels(app: QApplication, window: MainWindow, out: Path, size: str) -> None:
    for name in tab_names(window):
        show_tab(window, name)
        if name == "Focus":
            focus = window.panel(FocusPanel)
            wait_for(app, lambda: focus.last_frame is not None, "a live frame")
            wait_for(app, lambda: len(focus.trend.points) > 10, "a score trend")
        settle(app, 1.0 if name == "Users" else 0.3)
        save(window, out, name.lower(), size)
    focus = window.show_tab("Focus")
    assert isinstance(focus, FocusPanel)
    focus.peaking_button.click()
    focus.actual_size.click()
    wait_for(app, lambda: focus.last_frame.viewport.scale == 1.0, "a magnified frame")
    settle(app)
    save(window, out, "focus-zoom", size)
    shoot_users(app, window, out, size)
    shoot_network(app, window, out, size)
    cameras = window.panel(CamerasPanel)
    show_tab(window, tab_names(window)[0])
    next(iter(cameras.cards.values())).settings_button.click()
    wait_for(app, lambda: cameras.stack.currentWidget() is cameras.form, "form")
    assert cameras.form is not None
    cameras.form.interval_edit.setText("0.1")
    settle(app)
    save(window, out, "settings", size)
    window.keyboard.dismiss()


def shoot_users(app: QApplication, window: MainWindow, out: Path, size: str) -> None:
    """The users sub-pages, each with the keyboard up on its first field."""
    panel = window.panel(UsersPanel)
    pages = {
        "users-add": (panel.overview.add_button, panel.add_page.username_edit),
        "users-password": (panel.overview.password_button, panel.password_page.current_edit),
    }
    for name, (button, field) in pages.items():
        show_tab(window, "Users")
        panel.show_list()
        button.click()
        field.setFocus()
        wait_for(app, window.keyboard.isVisible, "the on-screen keyboard")
        settle(app)
        save(window, out, name, size)
        window.keyboard.dismiss()
    panel.show_list()
    wait_for(app, lambda: "otto" in panel.overview.user_list.rows, "the user list")
    panel.overview.user_list.rows["otto"].manage_button.click()
    panel.manage_page.password_edit.setFocus()
    wait_for(app, window.keyboard.isVisible, "the on-screen keyboard")
    settle(app)
    save(window, out, "users-manage", size)
    window.keyboard.dismiss()
    panel.show_list()


def shoot_network(app: QApplication, window: MainWindow, out: Path, size: str) -> None:
    """The join sheet (keyboard up on the password), a static address form with a rejected
    gateway, and the hotspot section with its QR code."""
    panel = window.show_tab("Network")
    assert isinstance(panel, NetworkPanel)
    wait_for(app, lambda: len(panel.wifi.rows) == 4 and panel.view is not None, "Wi-Fi")
    row = next(r for r in panel.wifi.rows.values() if r.network.ssid == "Greenhouse north")
    row.join_button.click()
    panel.join_sheet.password_edit.setFocus()
    panel.join_sheet.password_edit.setText("greenho")
    wait_for(app, window.keyboard.isVisible, "the on-screen keyboard")
    settle(app)
    save(window, out, "network-join", size)
    window.keyboard.dismiss()
    panel.show_overview()
    wired = next(r for r in panel.saved.rows.values() if r.profile.name == "Wired connection 1")
    wired.addressing_button.click()
    page = panel.addressing
    page.static_button.click()
    for edit, text in zip(
        (page.address_edit, page.prefix_edit, page.gateway_edit, page.dns_edit),
        ("192.168.1.20", "24", "10.0.0.1", "192.168.1.1"),
        strict=True,
    ):
        edit.setText(text)
    page.action_button.click()
    wait_for(app, lambda: page.messages["ipv4.gateway"].isVisible(), "the gateway's error")
    settle(app)
    save(window, out, "network-addressing", size)
    panel.show_overview()
    wait_for(app, panel.hotspot.qr.isVisible, "the hotspot's QR code")
    panel.overview.ensureWidgetVisible(panel.hotspot.qr)
    settle(app)
    save(window, out, "network-hotspot", size)
    panel.overview.verticalScrollBar().setValue(0)


def shoot_login(app: QApplication, window: MainWindow, out: Path, size: str) -> None:
    window.session.lock()
    wait_for(app, lambda: window.screens.currentWidget() is window.login_page, "login")
    window.login_page.username_edit.setText("ada")
    window.login_page.password_edit.setFocus()
    window.login_page.password_edit.setText("admin lo")
    wait_for(app, window.keyboard.isVisible, "the on-screen keyboard")
    settle(app)
    save(window, out, "login", size)


def shoot_first_run(app: QApplication, window: MainWindow, out: Path, size: str) -> None:
    page = window.first_run_page
    wait_for(app, lambda: window.screens.currentWidget() is page, "the first-run screen")
    page.username_edit.setText("Ada")
    page.password_edit.setText("short")
    page.create_button.click()
    page.username_edit.setFocus()
    wait_for(app, window.keyboard.isVisible, "the on-screen keyboard")
    settle(app)
    save(window, out, "first-run", size)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
