"""The Network service on a real NetworkManager (its own network namespace, see tests/nm_netns.py):
a station whose ``network`` is the real adapter, changes made as a remote admin would make them,
rolled back by NetworkManager in time, also after the eyepi process is SIGKILLed mid-countdown,
and put back from the on-disk marker when NetworkManager forgot the change (a reboot).

confirm_timeout_s is station.toml's smallest (15 s): these tests wait that long on purpose.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.network import AddressMethod
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.nm_backend import FIRST, add_wired, nmcli_network
from tests.waiting import eventually

pytestmark = [pytest.mark.root, pytest.mark.system]
ROOT = Path(__file__).resolve().parents[2]
CONFIRM_S = 15
ADA = ("ada", "admin long secret")
NEW = "10.9.0.7/24"


def open_station(home: Path, nm) -> Station:
    station = Station(home, log_to_console=False, hasher=FakeHasher(), network=nmcli_network(nm))
    services = station.open()
    if services.users.needs_first_admin():
        services.users.create_first_admin(Origin.KIOSK, *ADA)
    return station


def remote_ada() -> Principal:
    return Principal("ada", Role.ADMIN, Origin.REMOTE, "10.9.0.99")


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.toml").write_text(f"[network]\nconfirm_timeout_s = {CONFIRM_S}\n")
    return home


def test_status_lists_the_device_and_a_remote_static_address_waits_for_confirmation(
    home, network_manager
):
    uuid = add_wired(network_manager)
    station = open_station(home, network_manager)
    network = station.services.network
    try:
        status = network.status()
        assert status.available, status.problem
        assert network_manager.device in [d.name for d in status.devices]
        assert FIRST.address.split("/")[0] in status.reachable

        pending = network.set_addressing(remote_ada(), uuid, "manual", "10.9.0.7", 24, "10.9.0.1")
        assert pending is not None and pending.left_s(time.time()) > CONFIRM_S - 3
        eventually(lambda: network_manager.ipv4() == [NEW])
        network.confirm(remote_ada(), pending.change_id)
        time.sleep(1)
        assert network.pending() is None
        assert network_manager.ipv4() == [NEW]
        assert not (home / "network-change.json").exists()
    finally:
        station.stop()
    network_manager.restart()  # the confirmed profile is saved: it survives NM restarting
    eventually(lambda: network_manager.ipv4() == [NEW], timeout=10)


def test_an_unconfirmed_remote_change_rolls_back_in_time(home, network_manager):
    uuid = add_wired(network_manager)
    station = open_station(home, network_manager)
    network = station.services.network
    try:
        started = time.monotonic()
        pending = network.set_addressing(remote_ada(), uuid, "manual", "10.9.0.7", 24, None)
        assert pending is not None
        eventually(lambda: network_manager.ipv4() == [NEW])
        eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=CONFIRM_S + 5)
        elapsed = time.monotonic() - started
        assert CONFIRM_S - 1 <= elapsed <= CONFIRM_S + 3, f"rolled back after {elapsed:.1f} s"
        eventually(lambda: network.pending() is None, timeout=5)
        saved = next(p for p in network.saved() if p.uuid == uuid)
        assert saved.ipv4.method is AddressMethod.STATIC
        assert saved.ipv4.address == FIRST.address  # the saved profile came back too
    finally:
        station.stop()


CHILD = """
import sys, time
from pathlib import Path
from tests.system.test_network_station import open_station, remote_ada

home, bus, uuid = Path(sys.argv[1]), sys.argv[2], sys.argv[3]

class Bus:  # what nmcli_network needs of the fixture
    bus_address = bus

station = open_station(home, Bus())
network = station.services.network
pending = network.set_addressing(remote_ada(), uuid, "manual", "10.9.0.7", 24, None)
print(pending.change_id, flush=True)
time.sleep(120)
"""


def test_rollback_happens_after_eyepi_is_killed_and_the_next_start_finds_nothing_waiting(
    home, network_manager
):
    uuid = add_wired(network_manager)
    open_station(home, network_manager).stop()  # ada exists before the child opens the home
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(home), network_manager.bus_address, uuid],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        change_id = child.stdout.readline().strip()
        assert change_id, "the child made no change"
        eventually(lambda: network_manager.ipv4() == [NEW])
        marker = json.loads((home / "network-change.json").read_text())
        assert change_id in json.dumps(marker)
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=5) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=CONFIRM_S + 5)
    elapsed = time.monotonic() - started
    assert elapsed <= CONFIRM_S + 4, f"rolled back after {elapsed:.1f} s"

    station = open_station(home, network_manager)  # the next start: nothing left waiting
    try:
        station.services.network.recover()
        assert station.services.network.pending() is None
        assert not (home / "network-change.json").exists()
        assert network_manager.ipv4() == [FIRST.address]
    finally:
        station.stop()


def test_after_a_reboot_the_marker_puts_the_previous_addressing_back(home, network_manager):
    uuid = add_wired(network_manager)
    station = open_station(home, network_manager)
    network = station.services.network
    pending = network.set_addressing(remote_ada(), uuid, "manual", "10.9.0.7", 24, None)
    assert pending is not None
    eventually(lambda: network_manager.ipv4() == [NEW])
    station.stop()
    network_manager.restart()  # NM forgets its checkpoints, as a reboot would; the profile stays
    eventually(lambda: network_manager.ipv4() == [NEW], timeout=10)
    station = open_station(home, network_manager)
    try:
        station.services.network.recover()
        eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=10)
        assert station.services.network.pending() is None
        assert not (home / "network-change.json").exists()
    finally:
        station.stop()


def test_network_manager_stopped_is_said_plainly_and_quickly(home, network_manager):
    add_wired(network_manager)
    station = open_station(home, network_manager)
    try:
        network_manager.stop()
        started = time.monotonic()
        status = station.services.network.status()
        assert time.monotonic() - started < 5
        assert not status.available
        assert "NetworkManager is not running" in status.problem
    finally:
        station.stop()


def test_a_kiosk_switches_between_static_and_dhcp_and_renames_the_station(home, network_manager):
    uuid = add_wired(network_manager)
    station = open_station(home, network_manager)
    network = station.services.network
    kiosk_ada = Principal("ada", Role.ADMIN, Origin.KIOSK)
    before = sorted(path.name for path in home.iterdir())
    try:
        assert network.set_addressing(kiosk_ada, uuid, "auto") is None  # applied at once
        eventually(lambda: FIRST.address not in network_manager.ipv4(), timeout=10)
        saved = next(p for p in network.saved() if p.uuid == uuid)
        assert saved.ipv4.method is AddressMethod.DHCP
        assert network.set_addressing(kiosk_ada, uuid, "manual", "10.9.0.7", 24, "10.9.0.1") is None
        eventually(lambda: network_manager.ipv4() == [NEW], timeout=10)

        assert network.set_hostname(kiosk_ada, "Field-North-2") == "field-north-2"
        assert network_manager.hostname_file() == "field-north-2"
        assert network.status().hostname == "field-north-2"
    finally:
        station.stop()
    reopened = open_station(home, network_manager)  # nothing of the home depends on the name
    try:
        assert reopened.services.network.status().available
        assert sorted(path.name for path in home.iterdir()) == before
    finally:
        reopened.stop()
