"""Every screen and sub-page of the kiosk, at every supported screen size, passes the layout
check (tests/gui/layout_check.py): nothing cut, touch-sized, no sideways scrolling, nothing
outside the window, and the focused field in view above the on-screen keyboard.

Offscreen platform: the window is resized to the screen size (the real full-screen behaviour
under Xvfb is tested elsewhere). Each screen is checked with the keyboard down, then with each
of its text fields focused in turn (the keyboard follows focus and shows).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QWidget

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.panels.network.panel import NetworkPanel
from eyepi_gui.kiosk.panels.users import UsersPanel
from eyepi_gui.kiosk.widgets.keyboard import is_writable_text_field
from eyepi_gui.station import Station
from tests.browse_day import fill_day
from tests.fake_network import FakeNetwork
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.gui.kiosk_tabs import show_tab, tab_names
from tests.gui.layout_check import layout_problems, visible_widgets
from tests.principals import ADMIN

SIZES = [(800, 480), (1024, 600), (1280, 720), (1280, 800), (1920, 1080), (480, 800)]
SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]
LEFT = Qt.MouseButton.LeftButton


# ---- screens --------------------------------------------------------------------------------

Screen = tuple[str, Callable[[], None]]


def settle(qtbot, ms: int = 60) -> None:
    """Let queued layout requests and task results arrive."""
    qtbot.wait(ms)
    QApplication.processEvents()


def fields_of(window: QWidget) -> list[QWidget]:
    return [w for w in visible_widgets(window) if is_writable_text_field(w)]


def problems_now(window: MainWindow, where: str) -> list[str]:
    """The layout check, plus the window's minimum size against the screen it is held at."""
    found = [f"{where}: {p}" for p in layout_problems(window, window.keyboard)]
    need, size = window.minimumSizeHint(), window.size()
    if need.width() > size.width() or need.height() > size.height():
        found.append(
            f"{where}: window: needs {need.width()}x{need.height()} px, has "
            f"{size.width()}x{size.height()}"
        )
    return found


def check_screen(qtbot, window: MainWindow, name: str) -> list[str]:
    """The screen as it shows now, with the keyboard down and then up for each text field."""
    window.keyboard.dismiss()
    settle(qtbot)
    found = problems_now(window, name)
    for field in fields_of(window):
        field.setFocus()
        qtbot.waitUntil(window.keyboard.isVisible, timeout=2000)
        settle(qtbot)
        where = f"{name} (keyboard, {field.objectName() or type(field).__name__})"
        found += problems_now(window, where)
        window.keyboard.dismiss()
        settle(qtbot)
    return found


def main_screens(window: MainWindow, qtbot, network: FakeNetwork | None = None) -> Iterator[Screen]:
    """Login, every tab, the camera settings form, the users and network sub-pages, in an
    order that needs no going back (each step opens the next). ``network``: the station's
    FakeNetwork, for the Network tab's screens."""

    def login() -> None:
        window.session.lock()
        window.access.ask_login()
        qtbot.waitUntil(lambda: window.screens.currentWidget() is window.login_page)

    yield "login", login

    def unlock() -> None:
        window.session.log_in(KIOSK_ADMIN)
        qtbot.waitUntil(lambda: window.screens.currentIndex() == 0)

    unlock()
    for tab in tab_names(window):
        yield f"tab-{tab.lower()}", lambda tab=tab: show_tab(window, tab)

    yield "camera-settings", lambda: open_camera_form(window, qtbot)
    yield "capture-browser", lambda: open_capture_browser(window, qtbot)
    yield "capture-full-view", lambda: open_capture_full_view(window, qtbot)
    yield "users-add", lambda: open_users_page(window, qtbot, "add")
    yield "users-password", lambda: open_users_page(window, qtbot, "password")
    yield "users-manage", lambda: open_users_page(window, qtbot, "manage")
    yield "this-station", lambda: open_this_station(window, qtbot)
    if network is not None:
        yield from network_screens(window, qtbot, network)


REMOTE_ADMIN = Principal("ada", Role.ADMIN, Origin.REMOTE)
LONG_SSID = "Greenhouse-north-field-station-5"  # 32 bytes: the longest an SSID may be
HTML_SSID = "<b>bold</b><img src=x>"
REASON = "a reason long enough to wrap at least once on a narrow portrait screen"


def network_panel(window: MainWindow, qtbot) -> NetworkPanel:
    panel = window.show_tab("Network")
    assert isinstance(panel, NetworkPanel)
    qtbot.waitUntil(lambda: panel.view is not None and len(panel.wifi.rows) >= 3)
    panel.show_overview()
    return panel


def network_screens(window: MainWindow, qtbot, network: FakeNetwork) -> Iterator[Screen]:
    """The Network tab's sheets (each with a reason under every field), the hotspot section,
    a change waiting for confirmation, and NetworkManager down."""

    def join(hidden: bool) -> None:
        panel = network_panel(window, qtbot)
        if hidden:
            qtbot.mouseClick(panel.wifi.hidden_button, LEFT)
        else:
            row = next(r for r in panel.wifi.rows.values() if r.network.ssid == LONG_SSID)
            qtbot.mouseClick(row.join_button, LEFT)
        panel.join_sheet.show_problems({"ssid": REASON, "password": REASON, "form": REASON})

    def addressing() -> None:
        panel = network_panel(window, qtbot)
        row = next(r for r in panel.saved.rows.values() if r.profile.name == "Wired connection 1")
        qtbot.mouseClick(row.addressing_button, LEFT)
        qtbot.mouseClick(panel.addressing.static_button, LEFT)
        panel.addressing.show_problems({f: REASON for f in panel.addressing.messages})

    def hotspot() -> None:
        panel = network_panel(window, qtbot)
        qtbot.waitUntil(lambda: panel.hotspot.qr.isVisible())
        panel.overview.ensureWidgetVisible(panel.hotspot)

    def pending() -> None:
        panel = network_panel(window, qtbot)
        services = window.context.services
        services.network.set_addressing(
            REMOTE_ADMIN, network.wired_uuid(), "manual", "192.168.1.20", 24, "192.168.1.1"
        )
        qtbot.waitUntil(panel.pending.isVisible)

    def unavailable() -> None:
        panel = network_panel(window, qtbot)
        network.running = False
        panel.refresh()
        qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.unavailable)

    yield "network-join", lambda: join(hidden=False)
    yield "network-join-hidden", lambda: join(hidden=True)
    yield "network-addressing", addressing
    yield "network-hotspot", hotspot
    yield "network-pending", pending
    yield "network-unavailable", unavailable


def open_camera_form(window: MainWindow, qtbot) -> None:
    show_tab(window, tab_names(window)[0])
    panel = window.panel(CamerasPanel)
    qtbot.waitUntil(lambda: sorted(panel.cards) == list(CAMERA_IDS))
    qtbot.mouseClick(panel.cards[CAMERA_IDS[0]].settings_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.form)


def open_capture_browser(window: MainWindow, qtbot) -> None:
    """A card's Browse button: the newest day's grid, its thumbnails loaded."""
    show_tab(window, tab_names(window)[0])
    panel = window.panel(CamerasPanel)
    qtbot.waitUntil(lambda: sorted(panel.cards) == list(CAMERA_IDS))
    panel.close_form()
    qtbot.mouseClick(panel.cards[CAMERA_IDS[1]].browse_button, LEFT)
    qtbot.waitUntil(lambda: panel.browser is not None and panel.browser.model.rowCount() > 0)
    browser = panel.browser
    qtbot.waitUntil(lambda: browser.model.loaded_count() > 0 and not browser.loader.busy())


def open_capture_full_view(window: MainWindow, qtbot) -> None:
    """The day's drifted image full size (its long file name, score and drift mark)."""
    open_capture_browser(window, qtbot)
    browser = window.panel(CamerasPanel).browser
    browser.open_image(1)
    qtbot.waitUntil(lambda: not browser.view._item.pixmap().isNull())


def open_this_station(window: MainWindow, qtbot) -> None:
    """The "This station" sheet, opened with the status bar's one tap."""
    qtbot.mouseClick(window.status.address, LEFT)
    sheet = window.this_station.sheet
    qtbot.waitUntil(lambda: sheet.isVisible() and sheet.about is not None)


def open_users_page(window: MainWindow, qtbot, page: str) -> None:
    show_tab(window, "Users")
    panel = window.panel(UsersPanel)
    panel.show_list()
    qtbot.waitUntil(lambda: "otto" in panel.overview.user_list.rows)
    if page == "add":
        qtbot.mouseClick(panel.overview.add_button, LEFT)
    elif page == "password":
        qtbot.mouseClick(panel.overview.password_button, LEFT)
    else:
        qtbot.mouseClick(panel.overview.user_list.rows["otto"].manage_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is not panel.overview)


# ---- fixtures -------------------------------------------------------------------------------


def layout_network() -> FakeNetwork:
    """Wi-Fi in range with the longest SSID there is, an HTML-looking one and an open one;
    two of them saved."""
    network = FakeNetwork(hostname="greenhouse-north-field-station")
    network.in_range(LONG_SSID, password="a long secret", signal=90)
    network.in_range(HTML_SSID, password="a long secret", signal=45)
    network.in_range("Cafe", signal=10)
    return network


def open_station(home: Path, with_accounts: bool, network: FakeNetwork | None = None) -> Station:
    station = Station(home, log_to_console=False, hasher=FakeHasher(), network=network)
    services = station.open()
    services.config.update_station(ADMIN, {"station_name": "greenhouse-north-field-station"})
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, {**QUIET, "name": "Greenhouse row 3"})
    if with_accounts:
        admin = services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
        services.users.add_user(admin, "otto", "operator long secret", "operator")
    if network is not None:
        services.network.join_wifi(ADMIN, "Cafe", None)
        services.network.join_wifi(ADMIN, LONG_SSID, "a long secret")
        browsable_day(station)
    station.start()
    return station


def browsable_day(station: Station) -> None:
    """A day of images of the second camera (the Focus tab shows the first) for the
    browser's screens, one of them drifted."""
    services = station.services
    lock = {"reference": 40.0, "roi": [0.25, 0.25, 0.5, 0.5], "drift_fraction": 0.5}
    services.config.update_camera(ADMIN, CAMERA_IDS[1], {"focus_lock": lock})
    start = datetime(2026, 5, 30, 6, 0, tzinfo=services.config.tz()).timestamp()
    fill_day(station, CAMERA_IDS[1], start, 40, scores=[50.0, 10.0] + [41.5] * 38)


@pytest.fixture
def fake_network() -> FakeNetwork:
    return layout_network()


@pytest.fixture
def layout_station(eyepi_home: Path, qapp, fake_network: FakeNetwork) -> Iterator[Station]:
    station = open_station(eyepi_home, with_accounts=True, network=fake_network)
    yield station
    station.stop()


@pytest.fixture
def empty_station(eyepi_home: Path, qapp) -> Iterator[Station]:
    station = open_station(eyepi_home, with_accounts=False)
    yield station
    station.stop()


def screen_window(make_window, services, size: tuple[int, int]) -> MainWindow:
    """The kiosk held at the screen's size, as a full-screen window is: what does not fit is
    squeezed (and found by the check) instead of growing the window past the screen."""
    window = make_window(services, *size, as_user=None)
    window.setFixedSize(*size)
    return window


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_every_screen_fits(qtbot, layout_station, fake_network, make_window, size):
    window = screen_window(make_window, layout_station.services, size)
    found: list[str] = []
    for name, show in main_screens(window, qtbot, fake_network):
        show()
        found += check_screen(qtbot, window, name)
    assert not found, "\n".join(found)


class GrowthWatch(QObject):
    """Records every size a window takes (a window grows when its contents need more)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.sizes: set[tuple[int, int]] = set()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.sizes.add((watched.width(), watched.height()))
        return False


@pytest.mark.parametrize("size", [(800, 480), (480, 800)], ids=["800x480", "480x800"])
def test_a_free_window_never_grows_past_the_screen(
    qtbot, layout_station, fake_network, make_window, size
):
    """Without a window manager nothing holds the window to the screen: passing through every
    screen, keyboard up and down, it must never need to grow (not even for a moment)."""
    window = make_window(layout_station.services, *size, as_user=None)
    watch = GrowthWatch(window)
    for name, show in main_screens(window, qtbot, fake_network):
        show()
        check_screen(qtbot, window, name)
    assert watch.sizes <= {size}, f"the window took sizes {sorted(watch.sizes)}"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_first_run_fits(qtbot, empty_station, make_window, size):
    window = screen_window(make_window, empty_station.services, size)
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.first_run_page)
    page = window.first_run_page
    page.show_problems(
        {
            f: "at least 12 characters, and not a common password"
            for f in ("username", "password", "confirm")
        }
    )
    found = check_screen(qtbot, window, "first-run")
    assert not found, "\n".join(found)
