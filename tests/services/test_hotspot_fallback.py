"""The hotspot fallback: started after ``hotspot_after_s`` without a network (fake clock),
never without a Wi-Fi device, with the fallback off or while a change waits; left for a
known network in range; and its monitor thread on the station's clock."""

import logging

import pytest

from eyepi_gui.adapters.private_file import PrivateTextFile
from eyepi_gui.domain.events import Event, NetworkChanged
from eyepi_gui.domain.network_rules import check_psk
from eyepi_gui.services.hotspot_fallback import (
    POLL_S,
    RESCAN_S,
    HotspotFallback,
    hotspot_ssid,
    new_passphrase,
)
from tests.fake_network import FakeNetwork
from tests.principals import ADMIN
from tests.services.conftest import LAB_WIFI
from tests.waiting import eventually

SSID, PASSWORD = LAB_WIFI


@pytest.mark.parametrize(
    ("configured", "name", "ssid"),
    [
        (None, "eyepi", "eyepi-eyepi"),
        (None, "Field Station #3", "eyepi-field-station-3"),
        (None, "Größe", "eyepi-gr-e"),
        (None, "***", "eyepi-station"),
        (None, "a" * 63, "eyepi-" + "a" * 26),
        ("Lab AP", "anything", "Lab AP"),
    ],
)
def test_the_hotspot_ssid(configured, name, ssid):
    assert hotspot_ssid(configured, name) == ssid
    assert len(ssid.encode()) <= 32


def test_passphrases_are_valid_and_new_each_time():
    made = {new_passphrase() for _ in range(50)}
    assert len(made) == 50
    assert all(check_psk(p) == p and len(p) == 14 for p in made)


class Busy:
    waiting = False

    def __call__(self):
        return self.waiting


@pytest.fixture
def busy():
    return Busy()


@pytest.fixture
def fallback(station, network, clock, busy, tmp_path):
    services = station.services
    secret = PrivateTextFile(tmp_path / "passphrase")
    return HotspotFallback(network, services.config, secret, clock, services.bus, busy)


@pytest.fixture
def events(station):
    seen: list[Event] = []
    station.services.bus.subscribe(seen.append)
    return seen


def hotspot_up(network):
    return any(p.hotspot and p.active for p in network.saved())


def lose_the_network(network):
    network.unplug("eth0")


def run_for(fallback, clock, seconds):
    """Step as the monitor would (waiting what each step says) until ``seconds`` of fake
    time passed, and once more then."""
    end = clock.now() + seconds
    while True:
        wait = fallback.step()
        if clock.now() >= end:
            return
        clock.set(min(end, clock.now() + wait))


def test_connected_means_no_hotspot(fallback, network, clock):
    run_for(fallback, clock, 3600)
    assert not hotspot_up(network)


def test_the_hotspot_starts_after_the_wait_without_a_network(fallback, network, clock, events):
    lose_the_network(network)
    fallback.step()
    run_for(fallback, clock, 299)
    assert not hotspot_up(network)
    run_for(fallback, clock, 1)
    assert hotspot_up(network)
    wlan = next(d for d in network.devices() if d.name == "wlan0")
    assert wlan.ssid == "eyepi-eyepi"
    info = fallback.info(network.devices(), with_passphrase=True)
    assert info.active and info.device == "wlan0" and check_psk(info.passphrase)
    assert network.profile(wlan.connection_uuid).psk == info.passphrase
    assert any(isinstance(e, NetworkChanged) and "hotspot" in e.what for e in events)


def test_a_network_back_in_time_resets_the_wait(fallback, network, clock):
    lose_the_network(network)
    fallback.step()
    run_for(fallback, clock, 200)
    network.plug("eth0")
    network.activate(network.wired_uuid())
    run_for(fallback, clock, 50)
    network.unplug("eth0")
    run_for(fallback, clock, 299)
    assert not hotspot_up(network)


@pytest.mark.parametrize("why", ["fallback off", "no wifi device", "a change waits"])
def test_no_hotspot_when(station, clock, busy, tmp_path, why):
    network = FakeNetwork(clock, wifi=why != "no wifi device")
    if why == "fallback off":
        station.services.network.set_hotspot(ADMIN, False, 300)
    busy.waiting = why == "a change waits"
    secret = PrivateTextFile(tmp_path / "passphrase")
    fallback = HotspotFallback(
        network, station.services.config, secret, clock, station.services.bus, busy
    )
    lose_the_network(network)
    run_for(fallback, clock, 3600)
    assert not hotspot_up(network)


def test_the_hotspot_is_left_for_a_known_network_in_range(fallback, network, clock, events):
    joined = network.join_wifi(SSID.encode().hex(), PASSWORD)
    network.out_of_range(SSID)
    lose_the_network(network)
    fallback.step()
    run_for(fallback, clock, 300)
    assert hotspot_up(network)
    network.in_range(SSID, password=PASSWORD)
    scans = network.rescans
    run_for(fallback, clock, RESCAN_S - 1)
    assert hotspot_up(network) and network.rescans == scans  # looks every 30 s, not sooner
    run_for(fallback, clock, 1)
    assert not hotspot_up(network)
    wlan = next(d for d in network.devices() if d.name == "wlan0")
    assert wlan.connection_uuid == joined.uuid and wlan.connected
    assert network.rescans == scans + 1
    assert "known network" in events[-1].what


def test_the_highest_priority_known_network_wins(fallback, network, clock):
    first = network.join_wifi(SSID.encode().hex(), PASSWORD)
    network.in_range("second", password="second passphrase", signal=90)
    second = network.join_wifi(b"second".hex(), "second passphrase")
    network.set_priority(first.uuid, 10)
    lose_the_network(network)
    network.start_hotspot("eyepi-x", "hotspot passphrase")
    run_for(fallback, clock, RESCAN_S)
    active = {p.uuid for p in network.saved() if p.active}
    assert first.uuid in active and second.uuid not in active


def test_network_manager_down_is_logged_once(fallback, network, clock, caplog):
    network.running = False
    with caplog.at_level(logging.WARNING, "eyepi.network"):
        assert fallback.step() == POLL_S
        run_for(fallback, clock, 600)
    assert len([r for r in caplog.records if "not running" in r.getMessage()]) == 1


def test_the_monitor_thread_starts_and_leaves_the_hotspot_on_the_station_clock(stepping_station):
    import time

    station, clock, network = stepping_station
    network.in_range(SSID, password=PASSWORD)
    joined = network.join_wifi(SSID.encode().hex(), PASSWORD)
    network.out_of_range(SSID)
    lose_the_network(network)
    station.services.network.start()

    def advanced_until(check):
        clock.advance(POLL_S)
        return check()

    eventually(lambda: advanced_until(lambda: hotspot_up(network)), timeout=10)
    assert clock.now() >= 1_750_000_000.0 + 300
    network.in_range(SSID, password=PASSWORD)
    eventually(lambda: advanced_until(lambda: not hotspot_up(network)), timeout=10)
    assert joined.uuid in {p.uuid for p in network.saved() if p.active}
    started = time.monotonic()
    station.services.network.stop()
    assert time.monotonic() - started < 1.0


def test_a_passphrase_file_linked_elsewhere_is_replaced_not_shown(fallback, network, tmp_path):
    """A symbolic link in the passphrase's place never shows its target to operators:
    a new passphrase is made and kept in a file of its own."""
    target = tmp_path / "elsewhere"
    target.write_text("another-file-s-secret\n")  # a valid passphrase, as far as rules go
    (tmp_path / "passphrase").symlink_to(target)
    made = fallback.passphrase()
    assert made != "another-file-s-secret" and check_psk(made) == made
    assert not (tmp_path / "passphrase").is_symlink()
    assert target.read_text() == "another-file-s-secret\n"
    assert fallback.passphrase() == made
