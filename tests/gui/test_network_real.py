"""The Network tab on a real NetworkManager (its own network namespace, tests/nm_netns.py):
a static address typed on the touchscreen shows on the link, and NetworkManager stopped is
said plainly while the kiosk's event loop keeps running (its p99 lag is measured in
tests/bench/test_network_lag.py; here the loop only has to keep turning)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from eyepi_gui.domain.access import Origin
from eyepi_gui.kiosk.panels.network.panel import NetworkPanel
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, KIOSK_ADMIN
from tests.gui.test_kiosk_focus import probe_event_loop
from tests.nm_backend import FIRST, add_wired, nmcli_network

pytestmark = pytest.mark.root
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def real_station(eyepi_home: Path, qapp, network_manager) -> Iterator[Station]:
    add_wired(network_manager)
    station = Station(
        eyepi_home,
        log_to_console=False,
        hasher=FakeHasher(),
        network=nmcli_network(network_manager),
    )
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    yield station
    station.stop()


def open_network_tab(qtbot, station: Station, make_window) -> NetworkPanel:
    window = make_window(station.services, as_user=KIOSK_ADMIN)
    panel = window.show_tab("Network")
    assert isinstance(panel, NetworkPanel)
    qtbot.waitUntil(lambda: panel.view is not None and bool(panel.saved.rows), timeout=5000)
    return panel


def test_a_static_address_typed_on_the_tab_shows_on_the_link(
    qtbot, real_station, make_window, network_manager
):
    panel = open_network_tab(qtbot, real_station, make_window)
    assert FIRST.address.split("/")[0] in panel.header.addresses.text()
    assert network_manager.device in panel.devices.rows
    row = next(r for r in panel.saved.rows.values() if r.profile.name == "wired")
    qtbot.mouseClick(row.addressing_button, LEFT)
    page = panel.addressing
    qtbot.mouseClick(page.static_button, LEFT)
    for edit, text in (
        (page.address_edit, "10.9.0.42"),
        (page.prefix_edit, "24"),
        (page.gateway_edit, "10.9.0.1"),
        (page.dns_edit, "10.9.0.1"),
    ):
        edit.clear()
        QTest.keyClicks(edit, text)
    qtbot.mouseClick(page.action_button, LEFT)
    qtbot.waitUntil(lambda: network_manager.ipv4() == ["10.9.0.42/24"], timeout=10_000)
    qtbot.waitUntil(lambda: "10.9.0.42" in panel.header.addresses.text(), timeout=10_000)
    assert real_station.services.network.pending() is None  # the touchscreen is not cut off


def test_network_manager_stopped_is_said_and_the_kiosk_keeps_running(
    qtbot, real_station, make_window, network_manager
):
    panel = open_network_tab(qtbot, real_station, make_window)
    network_manager.stop()
    panel.refresh()
    ticks = probe_event_loop(qtbot, 1.0)  # a 10 ms timer keeps firing: the loop runs
    assert len(ticks) > 20
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.unavailable, timeout=5000)
    assert "NetworkManager is not running" in panel.problem.text()
    network_manager.start()
    panel.retry_button.click()
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.overview, timeout=10_000)
