"""The Network tab through the real kiosk window, on a station whose NetworkManager is the
in-memory FakeNetwork: who sees and may change what, joining (the password never shown
back), forgetting and ordering Wi-Fi networks, addressing with each reason under its field,
the change waiting for confirmation, NetworkManager down, and SSIDs shown as plain text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.network import AddressMethod
from eyepi_gui.kiosk.panels.network.forms import HIDDEN_HINT, OPEN_HINT, SECURED_HINT, prefix_of
from eyepi_gui.kiosk.panels.network.panel import NetworkPanel
from eyepi_gui.station import Station
from tests.fake_network import FakeNetwork
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.gui.test_kiosk_focus import probe_event_loop
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
WIFI_PASSWORD = "greenhouse-secret-42"
HTML_SSID = "<b>bold</b><img src=x>"
KIOSK_OPERATOR = Principal("otto", Role.OPERATOR, Origin.KIOSK)
KIOSK_VIEWER = Principal("vera", Role.VIEWER, Origin.KIOSK)
REMOTE_ADMIN = Principal("ada", Role.ADMIN, Origin.REMOTE)


@pytest.fixture
def fake(request) -> FakeNetwork:
    """Three networks in range; ``indirect`` parametrizing with False: no Wi-Fi device."""
    network = FakeNetwork(wifi=getattr(request, "param", True))
    network.in_range("Greenhouse", password=WIFI_PASSWORD, signal=80)
    network.in_range("Cafe", signal=40)
    network.in_range(HTML_SSID, password="another-secret", signal=20)
    return network


@pytest.fixture
def net_station(eyepi_home: Path, qapp, fake: FakeNetwork) -> Iterator[Station]:
    station = Station(eyepi_home, log_to_console=False, hasher=FakeHasher(), network=fake)
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, QUIET)
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    services.users.add_user(admin, "otto", "operator long secret", "operator")
    services.users.add_user(admin, "vera", "viewer long secret", "viewer")
    station.start()
    yield station
    station.stop()


@pytest.fixture
def open_tab(qtbot, net_station, make_window):
    """The kiosk logged in as ``user`` on the Network tab, its first refresh shown."""

    def open_(user: Principal = KIOSK_ADMIN) -> NetworkPanel:
        window = make_window(net_station.services, as_user=user)
        panel = window.show_tab("Network")
        assert isinstance(panel, NetworkPanel)
        qtbot.waitUntil(lambda: panel.view is not None and len(panel.wifi.rows) == 3)
        rows = [*panel.wifi.rows.values(), *panel.saved.rows.values()]
        qtbot.waitUntil(lambda: all(row.isVisible() for row in rows))  # shown queued
        return panel

    return open_


def texts(panel: NetworkPanel) -> list[str]:
    """Every text the window shows or holds: labels, buttons, line edits, tooltips."""
    window = panel.window()
    widgets = [
        w for kind in (QLabel, QAbstractButton, QLineEdit) for w in window.findChildren(kind)
    ]
    return [w.text() for w in widgets] + [w.toolTip() for w in widgets]


def row_of(panel: NetworkPanel, ssid: str):
    return next(r for r in panel.wifi.rows.values() if r.network.ssid == ssid)


def names(fake: FakeNetwork) -> list[str]:
    return [p.name for p in fake.saved()]


def saved_row(panel: NetworkPanel, name: str):
    return next(r for r in panel.saved.rows.values() if r.profile.name == name)


def test_a_viewer_sees_the_status_but_no_controls(open_tab):
    panel = open_tab(KIOSK_VIEWER)
    assert "192.168.1.50" in panel.header.addresses.text()
    assert panel.header.hostname.full_text() == "Hostname: eyepi"
    assert set(panel.devices.rows) == {"eth0", "wlan0"}  # loopback left out
    assert "Wired connection 1" in panel.devices.rows["eth0"].facts.full_text()
    assert not panel.wifi.rescan_button.isVisibleTo(panel)
    assert not panel.wifi.hidden_button.isVisibleTo(panel)
    assert not any(row.join_button.isVisibleTo(panel) for row in panel.wifi.rows.values())
    wired = saved_row(panel, "Wired connection 1")
    assert not wired.addressing_button.isVisibleTo(panel)
    assert not wired.forget_button.isVisibleTo(panel)
    assert not panel.hostname.isVisibleTo(panel)
    assert not panel.hotspot.settings.isVisibleTo(panel)
    assert not panel.hotspot.passphrase.isVisibleTo(panel)  # operators and admins only
    assert panel.access_note.isVisibleTo(panel) and "Operators" in panel.access_note.text()


def test_an_operator_joins_through_the_sheet_and_the_password_is_never_shown(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_OPERATOR)
    assert not panel.hostname.isVisibleTo(panel)
    wired = saved_row(panel, "Wired connection 1")
    assert not wired.addressing_button.isVisibleTo(panel)
    assert not wired.forget_button.isVisibleTo(panel)  # Forget is for Wi-Fi networks
    qtbot.mouseClick(row_of(panel, "Greenhouse").join_button, LEFT)
    sheet = panel.join_sheet
    assert panel.stack.currentWidget() is sheet
    assert sheet.password_edit.echoMode() is QLineEdit.EchoMode.Password
    assert sheet.password_edit.text() == ""  # never pre-filled
    QTest.keyClicks(sheet.password_edit, WIFI_PASSWORD)
    qtbot.mouseClick(sheet.action_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.overview)
    assert panel.message.text() == "Joined Greenhouse."
    joined = [p for p in fake.saved() if p.ssid == "Greenhouse"]
    assert len(joined) == 1 and fake.profile(joined[0].uuid).psk == WIFI_PASSWORD
    qtbot.waitUntil(lambda: any(r.profile.ssid == "Greenhouse" for r in panel.saved.rows.values()))
    assert not any(WIFI_PASSWORD in text for text in texts(panel))


def test_a_wrong_password_is_said_and_the_field_emptied(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.mouseClick(row_of(panel, "Greenhouse").join_button, LEFT)
    QTest.keyClicks(panel.join_sheet.password_edit, "wrong password 1")
    qtbot.mouseClick(panel.join_sheet.action_button, LEFT)
    qtbot.waitUntil(lambda: panel.join_sheet.form_message.isVisibleTo(panel))
    assert "refused the password" in panel.join_sheet.form_message.text()
    assert panel.join_sheet.password_edit.text() == ""
    assert not [p for p in fake.saved() if p.ssid == "Greenhouse"]


def test_a_short_password_is_refused_under_its_field(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.mouseClick(row_of(panel, "Greenhouse").join_button, LEFT)
    QTest.keyClicks(panel.join_sheet.password_edit, "short")
    qtbot.mouseClick(panel.join_sheet.action_button, LEFT)
    message = panel.join_sheet.messages["password"]
    qtbot.waitUntil(lambda: message.isVisibleTo(panel))
    assert message.text()
    assert "join_wifi" not in fake.calls


def test_a_hidden_network_is_joined_by_its_typed_name(qtbot, open_tab, fake):
    fake.in_range("Shed", password="shed-password", hidden=True)
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.mouseClick(panel.wifi.hidden_button, LEFT)
    sheet = panel.join_sheet
    assert sheet.ssid_edit.isVisibleTo(panel)
    QTest.keyClicks(sheet.ssid_edit, "Shed")
    QTest.keyClicks(sheet.password_edit, "shed-password")
    qtbot.mouseClick(sheet.action_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.overview)
    assert [p.ssid for p in fake.saved() if p.ssid == "Shed"] == ["Shed"]


def test_an_operator_forgets_a_network_after_confirming(qtbot, open_tab, fake, net_station):
    net_station.services.network.join_wifi(KIOSK_OPERATOR, "Cafe", None)
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.waitUntil(lambda: any(r.profile.name == "Cafe" for r in panel.saved.rows.values()))
    row = saved_row(panel, "Cafe")
    qtbot.waitUntil(row.isVisible)
    qtbot.mouseClick(row.forget_button, LEFT)
    assert row.confirm.isVisibleTo(panel) and "Cafe" in names(fake)
    qtbot.mouseClick(row.confirm_button, LEFT)
    qtbot.waitUntil(lambda: "Cafe" not in names(fake))
    qtbot.waitUntil(lambda: panel.saved.message.text() == "Forgot Cafe.")
    qtbot.waitUntil(lambda: all(r.profile.name != "Cafe" for r in panel.saved.rows.values()))


def test_an_operator_moves_a_network_up(qtbot, open_tab, fake, net_station):
    network = net_station.services.network
    network.join_wifi(KIOSK_OPERATOR, "Cafe", None)
    network.join_wifi(KIOSK_OPERATOR, "Greenhouse", WIFI_PASSWORD)
    cafe = next(p for p in fake.saved() if p.name == "Cafe")
    network.set_priority(KIOSK_OPERATOR, cafe.uuid, 5)
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.waitUntil(lambda: len(panel.saved.rows) == 3)
    qtbot.waitUntil(lambda: all(row.isVisible() for row in panel.saved.rows.values()))
    assert [p.name for p in panel.saved.ordered][:2] == ["Cafe", "Greenhouse"]
    lower = saved_row(panel, "Greenhouse")
    assert lower.up_button.isEnabled() and not lower.down_button.isEnabled()
    qtbot.mouseClick(lower.up_button, LEFT)
    qtbot.waitUntil(lambda: [p.name for p in panel.saved.ordered][:2] == ["Greenhouse", "Cafe"])
    priorities = {p.name: p.priority for p in fake.saved()}
    assert priorities["Greenhouse"] > priorities["Cafe"]


def open_wired_addressing(qtbot, panel: NetworkPanel):
    qtbot.mouseClick(saved_row(panel, "Wired connection 1").addressing_button, LEFT)
    page = panel.addressing
    assert panel.stack.currentWidget() is page
    qtbot.mouseClick(page.static_button, LEFT)
    for edit in (page.address_edit, page.prefix_edit, page.gateway_edit, page.dns_edit):
        edit.clear()
    return page


def test_an_admin_sets_a_static_address_after_a_bad_gateway(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_ADMIN)
    page = open_wired_addressing(qtbot, panel)
    QTest.keyClicks(page.address_edit, "192.168.1.20")
    QTest.keyClicks(page.prefix_edit, "24")
    QTest.keyClicks(page.gateway_edit, "10.0.0.1")
    QTest.keyClicks(page.dns_edit, "192.168.1.1, 9.9.9.9")
    qtbot.mouseClick(page.action_button, LEFT)
    gateway = page.messages["ipv4.gateway"]
    qtbot.waitUntil(lambda: gateway.isVisibleTo(panel))
    assert gateway.text() and not page.messages["ipv4.address"].isVisibleTo(panel)
    assert fake.profile(fake.wired_uuid()).ipv4.method is AddressMethod.DHCP  # nothing applied
    page.gateway_edit.clear()
    QTest.keyClicks(page.gateway_edit, "192.168.1.1")
    qtbot.mouseClick(page.action_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.overview)
    ipv4 = fake.profile(fake.wired_uuid()).ipv4
    assert (ipv4.method, ipv4.address, ipv4.gateway) == (
        AddressMethod.STATIC,
        "192.168.1.20/24",
        "192.168.1.1",
    )
    assert ipv4.dns == ("192.168.1.1", "9.9.9.9")
    qtbot.waitUntil(lambda: "192.168.1.20" in panel.header.addresses.text())


def test_a_bad_address_and_prefix_go_under_their_fields(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_ADMIN)
    page = open_wired_addressing(qtbot, panel)
    QTest.keyClicks(page.address_edit, "192.168.1.20")
    QTest.keyClicks(page.prefix_edit, "40")
    qtbot.mouseClick(page.action_button, LEFT)
    qtbot.waitUntil(lambda: page.messages["ipv4.prefix"].isVisibleTo(panel))
    page.prefix_edit.clear()
    QTest.keyClicks(page.prefix_edit, "24")
    page.address_edit.clear()
    QTest.keyClicks(page.address_edit, "300.1.1.1")
    qtbot.mouseClick(page.action_button, LEFT)
    qtbot.waitUntil(lambda: page.messages["ipv4.address"].isVisibleTo(panel))
    assert not page.messages["ipv4.prefix"].isVisibleTo(panel)
    assert "set_ipv4" not in fake.calls


def countdown_s(panel: NetworkPanel) -> int:
    found = re.search(r"(\d+) s", panel.pending.countdown.text())
    assert found, panel.pending.countdown.text()
    return int(found.group(1))


def remote_static_change(net_station, fake) -> None:
    """A static address set from the remote endpoint: it waits for confirmation."""
    change = net_station.services.network.set_addressing(
        REMOTE_ADMIN, fake.wired_uuid(), "manual", "192.168.1.20", 24, "192.168.1.1"
    )
    assert change is not None


@pytest.mark.parametrize("keep", [True, False], ids=["keep", "undo"])
def test_a_waiting_change_counts_down_and_is_kept_or_undone(
    qtbot, open_tab, fake, net_station, keep
):
    panel = open_tab(KIOSK_ADMIN)
    assert not panel.pending.isVisible()
    remote_static_change(net_station, fake)
    qtbot.waitUntil(panel.pending.isVisible)
    assert "192.168.1.20" in panel.pending.what.full_text()
    first = countdown_s(panel)
    assert 55 <= first <= 60
    qtbot.waitUntil(lambda: countdown_s(panel) < first, timeout=2500)
    button = panel.pending.confirm_button if keep else panel.pending.revert_button
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: net_station.services.network.pending() is None)
    qtbot.waitUntil(lambda: not panel.pending.isVisible())
    method = fake.profile(fake.wired_uuid()).ipv4.method
    assert method is (AddressMethod.STATIC if keep else AddressMethod.DHCP)
    assert panel.message.text() == ("Change kept." if keep else "Change undone.")


def test_a_viewer_sees_a_waiting_change_without_its_buttons(qtbot, open_tab, fake, net_station):
    panel = open_tab(KIOSK_VIEWER)
    remote_static_change(net_station, fake)
    qtbot.waitUntil(panel.pending.isVisible)
    assert not panel.pending.confirm_button.isVisibleTo(panel)
    assert not panel.pending.revert_button.isVisibleTo(panel)


def test_networkmanager_down_says_so_and_the_tab_stays_responsive(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_ADMIN)
    fake.running = False
    fake.delay_s = 0.3
    panel.refresh()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.unavailable)
    assert "not running" in panel.problem.text()
    assert not panel.pending.isVisible()
    visible = [w for w in panel.findChildren(QAbstractButton) if w.isVisible()]
    assert visible == [panel.retry_button]
    ticks: list[int] = []
    panel.retry_button.click()  # a refresh on a slow, stopped NetworkManager
    qtbot.waitUntil(lambda: ticks.append(1) or len(ticks) > 5, timeout=1000)  # events flow
    fake.running, fake.delay_s = True, 0.0
    panel.retry_button.click()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.overview)


def test_an_html_looking_ssid_is_shown_literally(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    row = row_of(panel, HTML_SSID)
    assert row.ssid.full_text() == HTML_SSID
    assert row.ssid.textFormat() is Qt.TextFormat.PlainText
    qtbot.mouseClick(row.join_button, LEFT)
    title = panel.join_sheet.title
    assert title.full_text() == f"Join {HTML_SSID}"
    assert title.textFormat() is Qt.TextFormat.PlainText
    rich = [
        label.text()
        for label in panel.window().findChildren(QLabel)
        if label.textFormat() is not Qt.TextFormat.PlainText and "<b>" in label.text()
    ]
    assert rich == []


def test_operators_see_the_hotspot_passphrase_and_its_code(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    section = panel.hotspot
    qtbot.waitUntil(lambda: section.passphrase.isVisibleTo(panel))
    assert section.ssid.full_text().startswith("Name: eyepi-")
    assert section.qr_text.startswith("WIFI:T:WPA;S:eyepi-")
    assert section.qr.isVisibleTo(panel) and not section.qr.pixmap().isNull()
    assert not section.settings.isVisibleTo(panel)


def test_an_admin_changes_the_hotspot_fallback(qtbot, open_tab, net_station):
    panel = open_tab(KIOSK_ADMIN)
    section = panel.hotspot
    assert section.settings.isVisibleTo(panel)
    section.fallback_check.setChecked(False)
    section.wait_edit.setText("30")
    qtbot.mouseClick(section.save_button, LEFT)
    qtbot.waitUntil(lambda: section.message.isVisibleTo(panel))
    assert "60" in section.message.text()  # below the shortest wait, said in the section
    assert net_station.services.config.current().network.hotspot_fallback
    section.wait_edit.setText("600")
    qtbot.mouseClick(section.save_button, LEFT)
    qtbot.waitUntil(lambda: section.message.text() == "Hotspot settings saved.")
    settings = net_station.services.config.current().network
    assert (settings.hotspot_fallback, settings.hotspot_after_s) == (False, 600)


def test_an_admin_sets_the_hostname(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_ADMIN)
    panel.hostname.edit.setText("bad_name!")
    qtbot.mouseClick(panel.hostname.save_button, LEFT)
    qtbot.waitUntil(lambda: panel.hostname.message.isVisibleTo(panel))
    assert fake.hostname() == "eyepi"
    panel.hostname.edit.setText("Greenhouse-North")
    qtbot.mouseClick(panel.hostname.save_button, LEFT)
    qtbot.waitUntil(lambda: panel.hostname.message.text() == "Hostname set to greenhouse-north.")
    assert fake.hostname() == "greenhouse-north"
    qtbot.waitUntil(lambda: panel.header.hostname.full_text() == "Hostname: greenhouse-north")


def test_a_new_session_empties_the_join_sheet(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.mouseClick(row_of(panel, "Greenhouse").join_button, LEFT)
    QTest.keyClicks(panel.join_sheet.password_edit, "half typed")
    panel.context.session.log_in(KIOSK_ADMIN)
    assert panel.join_sheet.password_edit.text() == ""
    assert panel.stack.currentWidget() is panel.overview


SLOW_CALL_S = 0.3
LAG_GOAL_MS = 50.0


def lag_while_refreshing(qtbot, panel: NetworkPanel, fake: FakeNetwork, seconds: float):
    """Event-loop lateness (ms, 10 ms ticks) while status refreshes and rescans keep running
    on a NetworkManager that takes ``SLOW_CALL_S`` per call; also how many of each came back."""
    fake.delay_s = SLOW_CALL_S
    done = {"net-status": 0, "net-rescan": 0}

    def count(key: str, _result: object) -> None:
        done[key] = done.get(key, 0) + 1

    runner = panel.context.runner
    runner.finished.connect(count)
    kick = QTimer(interval=int(SLOW_CALL_S * 1000))
    kick.timeout.connect(panel.refresh)
    kick.timeout.connect(lambda: runner.is_running("net-rescan") or panel.rescan())
    kick.start()
    panel.refresh()
    panel.rescan()
    try:
        lags = probe_event_loop(qtbot, seconds)
    finally:
        kick.stop()
        runner.finished.disconnect(count)
        fake.delay_s = 0.0
    return lags, done


def p99(lags: list[float]) -> float:
    ordered = sorted(lags)
    return ordered[max(0, int(len(ordered) * 0.99) - 1)]


def test_the_event_loop_stays_prompt_while_status_and_scans_run(qtbot, open_tab, fake):
    """The issue's benchmark, in short: p99 event-loop lag under 50 ms while a slow status
    refresh and a scan run (tests/bench/test_network_lag.py measures it longer)."""
    panel = open_tab(KIOSK_OPERATOR)
    lags, done = lag_while_refreshing(qtbot, panel, fake, 2.0)
    print(f"\nNetwork tab event-loop lag: p99 {p99(lags):.1f} ms over {len(lags)} ticks; {done}")
    assert done["net-status"] >= 1 and done["net-rescan"] >= 1, "the work did not run"
    assert len(lags) > 50
    assert p99(lags) < LAG_GOAL_MS


@pytest.mark.parametrize("fake", [False], indirect=True)
def test_a_station_without_wifi_says_so_and_offers_no_scan(qtbot, net_station, make_window):
    window = make_window(net_station.services, as_user=KIOSK_OPERATOR)
    panel = window.show_tab("Network")
    qtbot.waitUntil(lambda: panel.view is not None)
    qtbot.waitUntil(panel.wifi.empty.isVisible)
    assert panel.wifi.empty.text() == "This station has no Wi-Fi device."
    assert not panel.wifi.rescan_button.isVisibleTo(panel)
    assert not panel.wifi.hidden_button.isVisibleTo(panel)


def test_the_tab_reads_again_when_the_countdown_ends(qtbot, open_tab, fake, net_station):
    panel = open_tab(KIOSK_ADMIN)
    remote_static_change(net_station, fake)
    qtbot.waitUntil(panel.pending.isVisible)
    deadline = panel.pending.change.deadline
    reads = fake.calls.count("devices")
    panel.pending.clock = lambda: deadline + 1
    panel.pending.tick()
    assert panel.pending.countdown.text() == "Undone in 0 s unless kept."
    assert not panel.pending.timer.isActive()
    qtbot.waitUntil(lambda: fake.calls.count("devices") > reads)


def test_a_tap_on_a_network_row_opens_its_join_sheet(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    row = row_of(panel, "Cafe")
    qtbot.waitUntil(row.join_button.isVisible)  # the operator's Join, shown queued
    qtbot.mouseClick(row.ssid, LEFT)
    assert panel.stack.currentWidget() is panel.join_sheet
    assert panel.join_sheet.title.full_text() == "Join Cafe"
    assert not panel.join_sheet.password_edit.isEnabled()  # an open network


def test_a_viewers_tap_on_a_network_row_opens_nothing(qtbot, open_tab):
    panel = open_tab(KIOSK_VIEWER)
    qtbot.mouseClick(row_of(panel, "Cafe").ssid, LEFT)
    assert panel.stack.currentWidget() is panel.overview


def test_a_read_for_someone_who_has_left_the_screen_is_dropped(qtbot, open_tab, fake):
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.waitUntil(lambda: panel.hotspot.passphrase.isVisibleTo(panel))
    fake.delay_s = 0.2
    panel.refresh()  # read for the operator: it would show the passphrase
    panel.context.session.log_in(KIOSK_VIEWER)
    shown: list[str] = []
    show = panel.hotspot.show_hotspot
    panel.hotspot.show_hotspot = lambda info, settings: (
        shown.append(info.passphrase if info else ""),
        show(info, settings),
    )
    qtbot.waitUntil(lambda: panel.view is not None and panel.view.principal == KIOSK_VIEWER)
    qtbot.waitUntil(lambda: not panel.context.runner.is_running("net-status"), timeout=5000)
    assert panel.view.principal == KIOSK_VIEWER
    assert shown == [""]  # the viewer's read only: the operator's was dropped
    assert not panel.hotspot.passphrase.isVisibleTo(panel)


@pytest.mark.parametrize("typed", ["\u00b2", "\u0662\u0664", "9" * 5000])  # ², Arabic 24
def test_a_typed_number_int_cannot_read_is_said_not_raised(qtbot, open_tab, net_station, typed):
    """A superscript digit passes ``str.isdigit`` but not ``int()``: the slot raised on the
    GUI thread. Typed numbers are read by the rules' one reading (ASCII digits)."""
    panel = open_tab(KIOSK_ADMIN)
    section = panel.hotspot
    section.wait_edit.setText(typed)
    qtbot.mouseClick(section.save_button, LEFT)
    assert section.message.text() == "A whole number of seconds, 60 to 3600."
    assert net_station.services.config.current().network.hotspot_after_s == 300
    assert prefix_of(typed) is None and prefix_of(" /24 ") == 24


@pytest.mark.parametrize(
    ("ssid", "hint", "password_taken"),
    [("Greenhouse", SECURED_HINT, True), ("Cafe", OPEN_HINT, False)],
)
def test_the_join_sheet_says_what_the_password_field_is_for(
    qtbot, open_tab, ssid, hint, password_taken
):
    panel = open_tab(KIOSK_OPERATOR)
    qtbot.mouseClick(row_of(panel, ssid).join_button, LEFT)
    sheet = panel.join_sheet
    assert sheet.hint.text() == hint
    assert sheet.password_edit.isEnabled() is password_taken
    qtbot.mouseClick(sheet.back_button, LEFT)
    qtbot.mouseClick(panel.wifi.hidden_button, LEFT)
    assert sheet.hint.text() == HIDDEN_HINT and sheet.password_edit.isEnabled()
