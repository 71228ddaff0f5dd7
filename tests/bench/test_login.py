"""Login cost: the service against raw bcrypt, and the kiosk's event loop while a login runs.

1. Service-level login (limits, store lookup, bcrypt, audit row, event) against a bare
   ``bcrypt.checkpw`` on the same hash, interleaved in one run. Goal: ratio at most 1.1.
2. Event-loop lag on the kiosk while logins run: a 10 ms QTimer records how late each tick
   fires (idle, login through the login screen and its TaskRunner, and, as the reference of
   what the kiosk must avoid, the same login called on the GUI thread). Goal: the kiosk's p99
   at most 16 ms (benchmark B11 of the performance plan), and the GUI-thread reference shows at
   least half the login's time as one late tick (the probe sees a blocked loop).
Full mode (EYEPI_BENCH=full): cost 12 (the default), 20 pairs, 5 kiosk logins; asserts the goals.
Quick mode (CI): cost 10, 5 pairs, 2 kiosk logins; prints them.
"""

import statistics
import time

import bcrypt
import pytest
from PySide6.QtCore import QElapsedTimer, QTimer

from eyepi_gui.domain.access import Origin
from eyepi_gui.kiosk.main_window import MainWindow
from tests.bench.conftest import PASSWORD
from tests.gui.conftest import OFFSCREEN_SIZE_HINTS

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_SIZE_HINTS)  # the offscreen plugin's
TICK_MS = 10
RATIO_GOAL = 1.1
LAG_P99_GOAL_MS = 16.0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def test_service_login_against_raw_bcrypt(station, quick):
    services = station.services
    stored = services.login._users.get("ada").password_hash.encode()
    pairs = 5 if quick else 20
    service, raw = [], []
    for _ in range(pairs):
        start = time.perf_counter()
        services.login.login(Origin.KIOSK, "ada", PASSWORD)
        service.append(time.perf_counter() - start)
        start = time.perf_counter()
        assert bcrypt.checkpw(PASSWORD.encode(), stored)
        raw.append(time.perf_counter() - start)
    ratio = statistics.median(service) / statistics.median(raw)
    cost = services.config.current().security.bcrypt_cost
    print(f"\nlogin at bcrypt cost {cost}, {pairs} interleaved pairs (ms):")
    print(f"  raw bcrypt.checkpw   median {statistics.median(raw) * 1000:7.1f}")
    print(f"  eyepi login          median {statistics.median(service) * 1000:7.1f}")
    print(f"  ratio eyepi/raw {ratio:.3f}  (goal: at most {RATIO_GOAL})")
    assert ratio > 0
    if not quick:
        assert ratio <= RATIO_GOAL, f"a login costs {ratio:.3f}x a bare bcrypt.checkpw"


class LagProbe:
    """Records how late each tick of a TICK_MS timer fires on the GUI thread (ms)."""

    def __init__(self):
        self.late, self._clock = [], QElapsedTimer()
        self._timer = QTimer(interval=TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self):
        self.late.clear()
        self._clock.start()
        self._timer.start()

    def stop(self):
        self._timer.stop()
        return list(self.late)

    def _tick(self):
        self.late.append(max(0, self._clock.restart() - TICK_MS))


def run_for(qtbot, probe, seconds, action=None):
    probe.start()
    if action is not None:
        action()
    qtbot.wait(int(seconds * 1000))
    return probe.stop()


def test_kiosk_event_loop_lag_while_a_login_runs(station, qtbot, quick):
    services = station.services
    window = MainWindow(services)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.screens.currentWidget() is window.login_page)
    probe, logins = LagProbe(), 2 if quick else 5
    idle = run_for(qtbot, probe, 1.0)
    kiosk = []
    for _ in range(logins):
        window.session.lock()
        window.login_page.submitted.emit("ada", PASSWORD)
        probe.start()
        qtbot.waitUntil(lambda: not window.session.locked, timeout=10_000)
        kiosk += probe.stop()
    blocked_ms = []

    def login_on_the_gui_thread():
        start = time.perf_counter()
        services.login.login(Origin.KIOSK, "ada", PASSWORD)
        blocked_ms.append((time.perf_counter() - start) * 1000)

    inline = run_for(qtbot, probe, 0.2, login_on_the_gui_thread)
    print(f"\nkiosk event-loop lag, {TICK_MS} ms ticks (ms):")
    for name, lags in (("idle", idle), ("login via TaskRunner", kiosk), ("login on GUI", inline)):
        print(
            f"  {name:22} p50 {percentile(lags, 50):6.1f}  p99 {percentile(lags, 99):6.1f}"
            f"  max {max(lags):6.1f}  ({len(lags)} ticks)"
        )
    print(f"  goal: p99 via TaskRunner at most {LAG_P99_GOAL_MS:.0f}")
    assert kiosk and max(inline) > 0
    if not quick:
        assert percentile(kiosk, 99) <= LAG_P99_GOAL_MS
        assert max(inline) >= blocked_ms[0] / 2, f"the probe missed a {blocked_ms[0]:.0f} ms block"
    window.close()
