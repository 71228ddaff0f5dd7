"""Login while another process holds state.db, against login while it is free.

A real station, real bcrypt; a second process (``tests.db_holder``) holds ``BEGIN IMMEDIATE``
and then ``BEGIN EXCLUSIVE`` while logins run; the audit entries wait in the queue and are
stored once it lets go. Goal: every held login answers within 2 s (before this was fixed, one
took 15 s and lost its audit entry). Full mode (EYEPI_BENCH=full): bcrypt cost 12 (the
default), 10 logins each way, asserts the goal. Quick mode (CI, the default): cost 10, 3
logins; prints only. Run with ``-s`` to see the figures.
"""

import statistics
import time

from eyepi_gui.domain.access import Origin
from tests.bench.conftest import PASSWORD
from tests.db_holder import held
from tests.principals import ADMIN

GOAL_S = 2.0


def login_times(services, count):
    times = []
    for _ in range(count):
        start = time.perf_counter()
        services.login.login(Origin.KIOSK, "ada", PASSWORD)
        times.append(time.perf_counter() - start)
    return times


def test_login_while_another_process_holds_the_database(station, quick):
    services, count = station.services, 3 if quick else 10
    free = login_times(services, count)
    held_times = {}
    for mode in ("immediate", "exclusive"):
        with held(station.home / "state.db", mode) as other:
            assert other.holds
            held_times[mode] = login_times(services, count)
        deadline = time.monotonic() + 5
        while services.overview.health().database_problem and time.monotonic() < deadline:
            time.sleep(0.01)
    logins = services.audit.recent(ADMIN, 100, action="login")
    cost = services.config.current().security.bcrypt_cost
    print(f"\nlogin at bcrypt cost {cost}, {count} each (ms):")
    print(f"  state.db free                 median {statistics.median(free) * 1000:7.1f}")
    for mode, times in held_times.items():
        print(
            f"  held ({mode:9})            median {statistics.median(times) * 1000:7.1f}"
            f"  max {max(times) * 1000:7.1f}  (goal: under {GOAL_S * 1000:.0f})"
        )
    print(f"  audit entries stored after release: {len(logins)} of {3 * count}")
    assert len(logins) == 3 * count
    if not quick:
        assert max(max(times) for times in held_times.values()) < GOAL_S
