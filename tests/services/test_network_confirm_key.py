"""Confirming a waiting change with its key (the one-tap link from the station's new address):
only the maker's answer carries the key; the key alone keeps or undoes the change, audited as
the maker; a wrong key changes nothing and the change still rolls back at its deadline; the
key survives a restart of eyepi through the marker."""

import json
import logging

import pytest

from eyepi_gui.domain.events import Event
from eyepi_gui.domain.network import AddressMethod
from eyepi_gui.errors import Forbidden, NotFound
from eyepi_gui.station import NETWORK_CHANGE_FILE, Station
from tests.services.conftest import LAB_WIFI
from tests.services.network_principals import (
    ADA_KIOSK,
    OTTO_REMOTE,
    method,
    static_remotely,
)

SSID, PASSWORD = LAB_WIFI
NEW_CLIENT = "192.0.2.99"


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def events(services):
    seen: list[Event] = []
    services.bus.subscribe(seen.append)
    return seen


def other_last(key):
    """``key`` with its last character changed (one character off)."""
    return key[:-1] + ("y" if key.endswith("x") else "x")


def test_only_the_makers_answer_carries_the_key(
    services, network, events, caplog, accounts_station
):
    caplog.set_level(logging.DEBUG)
    change = static_remotely(services, network)
    key = change.confirm_key
    assert len(key) >= 32  # token_urlsafe(24): 192 random bits
    assert services.network.pending().confirm_key == ""
    assert services.network.status().pending.confirm_key == ""
    assert key not in repr(change)  # never in a log line by accident
    services.network.confirm_with_key(change.change_id, key, NEW_CLIENT)
    said = [repr(e) for e in events]
    said += [e.target + e.detail for e in services.audit.recent(ADA_KIOSK, 50)]
    said += [r.getMessage() + repr(r.__dict__) for r in caplog.records]
    assert said and not [text for text in said if key in text]


def test_the_marker_keeps_the_key_and_who_made_the_change(services, network, accounts_station):
    change = static_remotely(services, network)
    data = json.loads((accounts_station.home / NETWORK_CHANGE_FILE).read_text())
    assert data["key"] == change.confirm_key
    assert "confirm_key" not in data["change"]
    assert data["maker"]["username"] == "ada" and data["maker"]["address"] == "192.0.2.7"


def test_the_key_keeps_the_change_audited_as_its_maker(services, network, clock):
    change = static_remotely(services, network)
    services.network.confirm_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
    clock.set(change.deadline + 10)
    assert services.network.pending() is None
    assert method(network) is AddressMethod.STATIC
    assert network.checkpoints() == []
    entry = services.audit.recent(ADA_KIOSK, 1)[0]
    assert (entry.username, entry.action, entry.target) == (
        "ada",
        "network_confirm",
        change.change_id,
    )
    assert entry.detail == f"confirmed from {NEW_CLIENT}"


def test_the_key_undoes_the_change_now(services, network):
    change = static_remotely(services, network)
    services.network.revert_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
    assert method(network) is AddressMethod.DHCP
    entry = services.audit.recent(ADA_KIOSK, 1)[0]
    assert (entry.username, entry.action, entry.detail) == (
        "ada",
        "network_revert",
        f"undone from {NEW_CLIENT}",
    )


@pytest.mark.parametrize(
    "case", ["wrong key", "empty key", "same length", "unknown change", "non-ascii"]
)
def test_a_wrong_key_or_change_is_refused_and_the_change_still_rolls_back(
    services, network, clock, case
):
    change = static_remotely(services, network)
    change_id, key = {
        "wrong key": (change.change_id, other_last(change.confirm_key)),
        "empty key": (change.change_id, ""),
        "same length": (change.change_id, "A" * len(change.confirm_key)),
        "unknown change": ("0" * 32, change.confirm_key),
        "non-ascii": (change.change_id, "ключ\udcff"),
    }[case]
    with pytest.raises(Forbidden) as refused:
        services.network.confirm_with_key(change_id, key, NEW_CLIENT)
    assert "wrong change or key" in str(refused.value)  # the same words whichever was wrong
    with pytest.raises(Forbidden):
        services.network.revert_with_key(change_id, key, NEW_CLIENT)
    assert services.network.pending() == change
    assert method(network) is AddressMethod.STATIC
    clock.set(change.deadline + 0.5)
    assert services.network.pending() is None
    assert method(network) is AddressMethod.DHCP


def test_confirming_twice_after_an_undo_or_too_late_says_what_happened(services, network, clock):
    change = static_remotely(services, network)
    services.network.confirm_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
    with pytest.raises(NotFound, match="confirmed already"):
        services.network.confirm_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
    with pytest.raises(NotFound, match="confirmed already"):
        services.network.confirm(ADA_KIOSK, change.change_id)

    services.network.set_addressing(ADA_KIOSK, network.wired_uuid(), "auto")
    undone = static_remotely(services, network)
    services.network.revert(ADA_KIOSK, undone.change_id)
    with pytest.raises(NotFound, match="undone already \\(reverted\\)"):
        services.network.confirm_with_key(undone.change_id, undone.confirm_key, NEW_CLIENT)

    late = static_remotely(services, network)
    clock.set(late.deadline + 1)
    with pytest.raises(NotFound, match="undone already \\(timed out\\)"):
        services.network.confirm_with_key(late.change_id, late.confirm_key, NEW_CLIENT)
    assert method(network) is AddressMethod.DHCP


def test_a_wifi_join_is_kept_with_its_key(services, network):
    change = services.network.join_wifi(OTTO_REMOTE, SSID, PASSWORD)
    services.network.confirm_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
    assert SSID in [p.ssid for p in services.network.saved()]
    assert services.audit.recent(ADA_KIOSK, 1)[0].username == "otto"


def test_a_maker_disabled_since_cannot_keep_the_change(services, network, accounts_station):
    change = services.network.join_wifi(OTTO_REMOTE, SSID, PASSWORD)
    services.users.set_disabled(ADA_KIOSK, "otto", True)
    with pytest.raises(Forbidden):
        services.network.confirm_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
    assert services.network.pending() == change


def test_the_key_still_works_after_a_restart_of_eyepi(accounts_station, network, clock):
    change = static_remotely(accounts_station.services, network)
    accounts_station.stop()  # NM keeps its checkpoint; eyepi reads the marker again
    station = Station(accounts_station.home, clock=clock, log_to_console=False, network=network)
    services = station.open()
    try:
        services.network.recover()
        clock.set(change.deadline - 5)
        services.network.confirm_with_key(change.change_id, change.confirm_key, NEW_CLIENT)
        clock.set(change.deadline + 5)
        assert method(network) is AddressMethod.STATIC
        assert services.audit.recent(ADA_KIOSK, 1)[0].detail == f"confirmed from {NEW_CLIENT}"
    finally:
        station.stop()


def test_a_marker_without_a_key_takes_no_key_but_still_waits(accounts_station, network, clock):
    """A change an older eyepi left waiting (its marker has no key): confirmed on the screen
    or by a login only."""
    change = static_remotely(accounts_station.services, network)
    marker = accounts_station.home / NETWORK_CHANGE_FILE
    accounts_station.stop()
    data = json.loads(marker.read_text())
    del data["key"], data["maker"]
    marker.write_text(json.dumps(data))
    station = Station(accounts_station.home, clock=clock, log_to_console=False, network=network)
    services = station.open()
    try:
        services.network.recover()
        assert services.network.pending() == change
        for key in (change.confirm_key, ""):
            with pytest.raises(Forbidden):
                services.network.confirm_with_key(change.change_id, key, NEW_CLIENT)
        services.network.confirm(ADA_KIOSK, change.change_id)
        assert services.network.pending() is None
    finally:
        station.stop()
