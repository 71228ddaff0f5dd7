"""Network status refresh against the bare nmcli call it needs, on a real NetworkManager.

One refresh is what the Network tab and ``GET /api/v1/network`` do: ``NetworkService.status()``
over the real adapter (the station's runner, nmcli's terse output parsed into devices, the
hostname over D-Bus, the waiting change, the hotspot). The reference is the one nmcli call that
gives the same device facts, run with ``subprocess.run`` and its output left unread. Both run
interleaved in the same namespace (tests/nm_netns.py). Goal: at most 1.2x the bare call (median
against median); quick mode prints the ratio, full mode asserts it.

    EYEPI_BENCH=full .venv/bin/python -m pytest -q -s tests/bench/test_network_status.py
"""

from __future__ import annotations

import statistics
import subprocess
import time

import pytest

from eyepi_gui.adapters.network_manager import DEVICES_ARGS, TERSE
from eyepi_gui.adapters.runner import find_program
from eyepi_gui.station import Station
from tests.nm_backend import add_wired, nmcli_network

pytestmark = pytest.mark.root
MAX_RATIO = 1.2


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def test_status_refresh_costs_little_more_than_one_bare_nmcli_call(
    quick, tmp_path, network_manager
):
    add_wired(network_manager)
    station = Station(
        tmp_path / "home", log_to_console=False, network=nmcli_network(network_manager)
    )
    network = station.open().network
    nmcli = find_program("nmcli")
    assert nmcli is not None
    argv = [nmcli, *TERSE, *DEVICES_ARGS]
    env = {**network_manager.env, "LC_ALL": "C.UTF-8"}

    def bare() -> None:
        subprocess.run(argv, env=env, capture_output=True, check=True)

    try:
        status = network.status()
        assert status.available and network_manager.device in [d.name for d in status.devices]
        ours, plain = [], []
        for _ in range(20 if quick else 100):
            ours.append(timed(network.status))
            plain.append(timed(bare))
    finally:
        station.stop()
    ratio = statistics.median(ours) / statistics.median(plain)
    print(
        f"\nnetwork status refresh, {len(ours)} interleaved runs (median ms): "
        f"eyepi {statistics.median(ours):.2f}, bare nmcli {statistics.median(plain):.2f}; "
        f"ratio {ratio:.2f}, goal: at most {MAX_RATIO}"
    )
    if not quick:
        assert ratio <= MAX_RATIO, f"a status refresh costs {ratio:.2f}x one bare nmcli call"
