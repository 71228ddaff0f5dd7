"""The one-tap confirmation on a real NetworkManager (its own network namespace): a remote
admin's static address, kept with the change's key alone (as the page on the new address
does it), stays past the deadline; a wrong key keeps nothing and NetworkManager rolls back.

confirm_timeout_s is station.toml's smallest (15 s): these tests wait that long on purpose.
"""

from __future__ import annotations

import time

import pytest

from eyepi_gui.errors import Forbidden
from tests.nm_backend import FIRST, add_wired
from tests.system.test_network_station import CONFIRM_S, NEW, open_station, remote_ada
from tests.waiting import eventually

pytestmark = [pytest.mark.root, pytest.mark.system]


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.toml").write_text(f"[network]\nconfirm_timeout_s = {CONFIRM_S}\n")
    return home


def test_the_key_keeps_a_remote_static_address(home, network_manager):
    uuid = add_wired(network_manager)
    station = open_station(home, network_manager)
    network = station.services.network
    try:
        change = network.set_addressing(remote_ada(), uuid, "manual", "10.9.0.7", 24, "10.9.0.1")
        assert change is not None and change.confirm_key
        eventually(lambda: network_manager.ipv4() == [NEW])
        with pytest.raises(Forbidden):
            network.confirm_with_key(change.change_id, "not-the-key", "10.9.0.50")
        network.confirm_with_key(change.change_id, change.confirm_key, "10.9.0.50")
        assert network.pending() is None
        time.sleep(max(0.0, change.deadline - time.time()) + 3)  # past NM's rollback time
        assert network_manager.ipv4() == [NEW]
        assert not (home / "network-change.json").exists()
    finally:
        station.stop()


def test_a_wrong_key_keeps_nothing_and_the_change_rolls_back(home, network_manager):
    uuid = add_wired(network_manager)
    station = open_station(home, network_manager)
    network = station.services.network
    try:
        change = network.set_addressing(remote_ada(), uuid, "manual", "10.9.0.7", 24, None)
        assert change is not None
        eventually(lambda: network_manager.ipv4() == [NEW])
        with pytest.raises(Forbidden):
            network.confirm_with_key(change.change_id, change.confirm_key + "x", "10.9.0.50")
        eventually(lambda: network_manager.ipv4() == [FIRST.address], timeout=CONFIRM_S + 5)
        eventually(lambda: network.pending() is None, timeout=5)
    finally:
        station.stop()
