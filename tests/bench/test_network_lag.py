"""Network tab: the kiosk's event-loop lag while a status refresh and a Wi-Fi scan run.

The real kiosk window on the Network tab, on a station whose NetworkManager is the
FakeNetwork made slow (300 ms a call: a status refresh is some four calls, a scan one).
A 10 ms timer on the GUI thread measures its lateness: idle (the same window, nothing
asked of NetworkManager), then while the panel refreshes and rescans again as soon as each
finishes. Goal (issue 13): p99 under 50 ms while refreshing and scanning.
Full mode (EYEPI_BENCH=full): 2 s idle, 8 s busy probes; asserts the goal. Quick mode (CI,
the default): 0.5 s and 2 s; prints, never fails on a timing. Run with ``-s`` to see them.
"""

from __future__ import annotations

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.kiosk.panels.network.panel import NetworkPanel
from eyepi_gui.station import Station
from tests.fake_network import FakeNetwork
from tests.fakes import FakeHasher
from tests.gui.conftest import OFFSCREEN_SIZE_HINTS
from tests.gui.test_kiosk_focus import probe_event_loop
from tests.gui.test_network_panel import LAG_GOAL_MS, SLOW_CALL_S, lag_while_refreshing, p99

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)  # the offscreen plugin's

KIOSK_ADMIN = Principal("ada", Role.ADMIN, Origin.KIOSK)


@pytest.fixture
def fake() -> FakeNetwork:
    network = FakeNetwork()
    for index in range(12):
        network.in_range(f"field-net-{index}", password="a long secret", signal=90 - index * 7)
    return network


@pytest.fixture
def services(tmp_path, qapp, fake):
    station = Station(tmp_path / "home", log_to_console=False, hasher=FakeHasher(), network=fake)
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", "admin long secret")
    station.start()
    yield services
    station.stop()


def test_network_tab_event_loop_lag_while_refreshing_and_scanning(
    qtbot, qapp, services, fake, quick
):
    from eyepi_gui.kiosk.app import apply_theme
    from eyepi_gui.kiosk.main_window import MainWindow

    idle_s, busy_s = (0.5, 2.0) if quick else (2.0, 8.0)
    apply_theme(qapp)
    try:
        window = MainWindow(services)
        qtbot.addWidget(window)
        window.resize(800, 480)
        window.show()
        qtbot.waitExposed(window)
        window.session.log_in(KIOSK_ADMIN)
        panel = window.show_tab("Network")
        assert isinstance(panel, NetworkPanel)
        qtbot.waitUntil(lambda: len(panel.wifi.rows) == 12)
        panel.hidden()  # no 5 s refresh during the idle probe
        idle = probe_event_loop(qtbot, idle_s)
        busy, done = lag_while_refreshing(qtbot, panel, fake, busy_s)
        window.close()
    finally:
        qapp.setStyleSheet("")
    print(f"\nNetwork tab event-loop lag, 10 ms ticks (ms), {SLOW_CALL_S * 1000:.0f} ms a call:")
    for name, lags in (("idle", idle), ("refreshing + scanning", busy)):
        print(f"  {name:<22} p99 {p99(lags):6.1f}  max {max(lags):6.1f}  ({len(lags)} ticks)")
    print(f"  delivered: {done['net-status']} status refreshes, {done['net-rescan']} scans")
    assert done["net-status"] >= 1 and done["net-rescan"] >= 1, "the work did not run"
    if not quick:
        assert p99(busy) < LAG_GOAL_MS
