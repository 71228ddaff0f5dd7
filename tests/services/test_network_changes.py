"""Safe changes through the network service: a remote change waits under a checkpoint and
is kept when confirmed, undone when reverted or when its time runs out (the fake clock), and
undone after a reboot from the marker on disk; one change waits at a time."""

import json
import stat
import threading

import pytest

from eyepi_gui.domain.events import Event, NetworkChangePending, NetworkChangeRolledBack
from eyepi_gui.domain.network import AddressMethod
from eyepi_gui.errors import Busy, CommandFailed, Forbidden, NotFound
from eyepi_gui.station import NETWORK_CHANGE_FILE, Station
from tests.services.conftest import LAB_WIFI
from tests.services.network_principals import (
    ADA_KIOSK,
    ADA_REMOTE,
    OTTO_KIOSK,
    OTTO_REMOTE,
    STATIC,
    method,
    static_remotely,
)
from tests.waiting import eventually

SSID, PASSWORD = LAB_WIFI


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def marker(accounts_station):
    return accounts_station.home / NETWORK_CHANGE_FILE


@pytest.fixture
def events(services):
    seen: list[Event] = []
    services.bus.subscribe(seen.append)
    return seen


def rolled_back(events):
    return [e.how for e in events if isinstance(e, NetworkChangeRolledBack)]


def test_a_remote_change_applies_at_once_and_waits_for_confirmation(
    services, network, marker, events, clock
):
    change = static_remotely(services, network)
    assert method(network) is AddressMethod.STATIC  # applied now
    assert services.network.status().reachable == ("192.0.2.20",)
    assert services.network.pending() == change == services.network.status().pending
    assert change.deadline == clock.now() + 60  # confirm_timeout_s
    assert change.by == ADA_REMOTE.label and "192.0.2.20/24" in change.what
    assert len(network.checkpoints()) == 1
    assert stat.S_IMODE(marker.stat().st_mode) == 0o600
    assert json.loads(marker.read_text())["change"]["change_id"] == change.change_id
    assert [e.change_id for e in events if isinstance(e, NetworkChangePending)] == [
        change.change_id
    ]


def test_a_kiosk_change_applies_at_once_without_waiting(services, network, marker):
    assert services.network.set_addressing(ADA_KIOSK, network.wired_uuid(), *STATIC) is None
    assert method(network) is AddressMethod.STATIC
    assert network.checkpoints() == [] and not marker.exists()


def test_a_confirmed_change_stays_past_its_deadline(services, network, marker, clock, events):
    change = static_remotely(services, network)
    services.network.confirm(ADA_KIOSK, change.change_id)  # from the touchscreen
    clock.set(change.deadline + 10)
    assert services.network.pending() is None
    assert method(network) is AddressMethod.STATIC
    assert network.checkpoints() == [] and not marker.exists()
    assert rolled_back(events) == []
    assert services.audit.recent(ADA_KIOSK, 1)[0].action == "network_confirm"


def test_a_change_is_confirmed_only_with_its_permission(services, network):
    change = static_remotely(services, network)
    with pytest.raises(Forbidden):
        services.network.confirm(OTTO_KIOSK, change.change_id)  # addressing is admin's
    services.network.confirm(ADA_REMOTE, change.change_id)
    joined = services.network.set_priority(OTTO_REMOTE, network.wired_uuid(), 3)
    services.network.confirm(OTTO_KIOSK, joined.change_id)  # Wi-Fi is the operator's
    assert services.network.pending() is None


def test_a_reverted_change_restores_the_settings_before_it(services, network, marker, events):
    change = static_remotely(services, network)
    services.network.revert(ADA_REMOTE, change.change_id)
    assert method(network) is AddressMethod.DHCP
    assert services.network.status().reachable == ("192.168.1.50",)
    assert services.network.pending() is None and not marker.exists()
    assert rolled_back(events) == ["reverted"]
    with pytest.raises(NotFound):
        services.network.confirm(ADA_REMOTE, change.change_id)


def test_an_unconfirmed_change_is_undone_at_its_deadline(services, network, marker, clock, events):
    change = static_remotely(services, network)
    clock.set(change.deadline - 1)
    assert services.network.pending() == change
    clock.set(change.deadline + 0.5)
    assert services.network.pending() is None  # NM rolled back; the service noticed
    assert method(network) is AddressMethod.DHCP
    assert not marker.exists() and rolled_back(events) == ["timed out"]
    with pytest.raises(NotFound, match="undone already"):
        services.network.confirm(ADA_REMOTE, change.change_id)


def test_confirming_too_late_says_so(services, network, clock, events):
    change = static_remotely(services, network)
    clock.set(change.deadline + 1)  # nothing looked since: the confirm finds it gone
    with pytest.raises(NotFound, match="undone already"):
        services.network.confirm(ADA_REMOTE, change.change_id)
    assert method(network) is AddressMethod.DHCP
    assert rolled_back(events) == ["timed out"]


def test_one_change_waits_at_a_time(services, network):
    change = static_remotely(services, network)
    uuid = network.wired_uuid()
    for call in (
        lambda: services.network.set_priority(OTTO_KIOSK, uuid, 4),
        lambda: services.network.join_wifi(OTTO_REMOTE, SSID, PASSWORD),
        lambda: services.network.forget(ADA_KIOSK, uuid),
        lambda: services.network.set_addressing(ADA_REMOTE, uuid, "auto"),
    ):
        with pytest.raises(Busy, match="confirm or revert"):
            call()
    services.network.set_hostname(ADA_REMOTE, "eyepi-2")  # cuts nobody off: never waits
    services.network.confirm(ADA_REMOTE, change.change_id)
    services.network.set_priority(OTTO_KIOSK, uuid, 4)
    assert network.profile(uuid).priority == 4


def test_changes_made_at_the_same_time_make_one_checkpoint_and_the_rest_busy(services, network):
    """Four remote changes at once on a slow NetworkManager: one waits, three are Busy."""
    network.delay_s = 0.02
    outcomes: list[object] = []
    uuid = network.wired_uuid()

    def change(n):
        try:
            outcomes.append(
                services.network.set_addressing(ADA_REMOTE, uuid, "manual", f"192.0.2.2{n}", 24)
            )
        except Busy as err:
            outcomes.append(err)

    threads = [threading.Thread(target=change, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    (waiting,) = [o for o in outcomes if not isinstance(o, Busy)]
    assert len(outcomes) == 4 and len(network.checkpoints()) == 1
    assert services.network.pending() == waiting
    services.network.revert(ADA_REMOTE, waiting.change_id)
    with pytest.raises(NotFound, match=r"undone already \(reverted\)"):
        services.network.revert(ADA_REMOTE, waiting.change_id)  # twice: said, nothing done
    assert method(network) is AddressMethod.DHCP and network.checkpoints() == []


def test_a_failed_remote_change_is_rolled_back_and_leaves_no_marker(services, network, marker):
    with pytest.raises(CommandFailed, match="refused the password"):
        services.network.join_wifi(OTTO_REMOTE, SSID, "the wrong passphrase")
    assert services.network.pending() is None
    assert network.checkpoints() == [] and not marker.exists()


def test_a_checkpoint_lost_early_is_undone_by_the_service(services, network, events):
    static_remotely(services, network)
    network.reboot()  # NM restarted: its checkpoint is gone long before the deadline
    assert services.network.status().pending is None
    assert method(network) is AddressMethod.DHCP
    assert rolled_back(events) == ["restored: NetworkManager lost its checkpoint"]


def reopen(accounts_station, network, clock):
    """The station started again on the same home (after ``accounts_station`` stopped)."""
    station = Station(accounts_station.home, clock=clock, log_to_console=False, network=network)
    return station, station.open()


def test_after_a_reboot_the_marker_restores_the_settings(accounts_station, network, clock, marker):
    change = static_remotely(accounts_station.services, network)
    accounts_station.stop()
    network.reboot()  # the checkpoint is gone with NM's memory; the profile stays static
    assert method(network) is AddressMethod.STATIC
    station, services = reopen(accounts_station, network, clock)
    seen: list[Event] = []
    services.bus.subscribe(seen.append)
    try:
        services.network.recover()
        assert method(network) is AddressMethod.DHCP
        assert not marker.exists() and services.network.pending() is None
        assert rolled_back(seen) == ["restored at start"]
        assert change.change_id in repr(seen)
    finally:
        station.stop()


def test_a_remote_join_is_undone_after_a_reboot(accounts_station, network, clock, marker):
    accounts_station.services.network.join_wifi(OTTO_REMOTE, SSID, PASSWORD)
    assert SSID in marker.read_text() and PASSWORD not in marker.read_text()
    accounts_station.stop()
    network.reboot()
    station, services = reopen(accounts_station, network, clock)
    try:
        services.network.recover()
        assert SSID not in [p.ssid for p in services.network.saved()]
        assert not marker.exists()
    finally:
        station.stop()


def test_after_a_restart_of_eyepi_alone_the_change_still_waits(accounts_station, network, clock):
    change = static_remotely(accounts_station.services, network)
    accounts_station.stop()  # NM keeps running: its checkpoint is still there
    station, services = reopen(accounts_station, network, clock)
    try:
        services.network.recover()
        assert services.network.pending() == change
        services.network.confirm(ADA_KIOSK, change.change_id)
        clock.set(change.deadline + 5)
        assert method(network) is AddressMethod.STATIC
    finally:
        station.stop()


def test_a_marker_that_cannot_be_read_is_removed_at_start(accounts_station, network, clock, marker):
    accounts_station.stop()
    marker.write_text("{not json")
    station, services = reopen(accounts_station, network, clock)
    try:
        services.network.recover()
        assert not marker.exists() and services.network.pending() is None
    finally:
        station.stop()


def spoiled(text, path, value):
    """The marker ``text`` written to ``path`` with ``value`` at its dotted key."""
    (key, new), data = next(iter(value.items())), json.loads(text)
    *parents, last = key.split(".")
    held = data
    for part in parents:
        held = held[part]
    held[last] = new
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    "value",
    [
        {"undo.ipv4": []},  # raised AttributeError out of recover: the station did not start
        {"undo.remove": 5},  # raised TypeError while restoring
        {"undo.remove": [5]},
        {"undo.priority": {"x": "high"}},  # reached NetworkManager's adapter as a priority
        {"undo.priority": {"x": True}},
        {"undo.active": {"eth0": 5}},
        {"undo.lost": "abc"},
        {"undo.ipv4": {"u": {"method": "manual", "address": 5, "gateway": None, "dns": []}}},
        {"undo.ipv4": {"u": {"method": "manual", "address": None, "gateway": None, "dns": "x"}}},
        {"change.deadline": "soon"},
        {"change.what": None},
        {"checkpoint": None},
        {"confirmed": "no"},
        {"change": []},
    ],
)
def test_a_marker_with_a_value_of_the_wrong_type_is_removed_at_start(
    accounts_station, network, clock, marker, value
):
    """A marker edited by hand or of another version never stops the station starting, and
    none of its values reaches NetworkManager: it is removed as not understood."""
    static_remotely(accounts_station.services, network)
    text = marker.read_text()
    accounts_station.stop()
    network.reboot()
    spoiled(text, marker, value)
    calls = len(network.calls)
    station, services = reopen(accounts_station, network, clock)
    try:
        station.start()
        assert services.network.pending() is None and not marker.exists()
        assert not {"forget", "set_ipv4", "set_priority", "activate"} & set(network.calls[calls:])
    finally:
        station.stop()


def test_a_marker_waits_while_network_manager_is_down(accounts_station, network, clock, marker):
    static_remotely(accounts_station.services, network)
    accounts_station.stop()
    network.reboot()
    network.running = False
    station, services = reopen(accounts_station, network, clock)
    try:
        services.network.recover()
        assert marker.exists()
        with pytest.raises(CommandFailed):
            services.network.set_priority(ADA_KIOSK, network.wired_uuid(), 1)
        network.running = True
        assert services.network.status().pending is None  # looked again: restored now
        assert method(network) is AddressMethod.DHCP and not marker.exists()
    finally:
        station.stop()


def test_the_monitor_notices_a_rollback_at_the_deadline_by_itself(stepping_station):
    station, clock, network = stepping_station
    services = station.services
    seen: list[Event] = []
    services.bus.subscribe(seen.append)
    change = services.network.set_addressing(ADA_REMOTE, network.wired_uuid(), *STATIC)
    services.network.start()
    clock.advance(61)
    eventually(lambda: rolled_back(seen) == ["timed out"])  # nobody asked: the monitor did
    assert not (station.home / NETWORK_CHANGE_FILE).exists()
    assert method(network) is AddressMethod.DHCP
    assert change.change_id in repr(seen)
