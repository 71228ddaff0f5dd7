"""The network service through FakeNetwork: status, Wi-Fi, addressing, hostname and hotspot
settings; bad input named and never applied; passwords in no audit entry, log or event;
NetworkManager down said clearly."""

import logging
import stat

import pytest

from eyepi_gui.domain.events import Event
from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.domain.network_rules import check_psk
from eyepi_gui.errors import CommandFailed, Forbidden, InvalidInput, NotFound
from eyepi_gui.station import HOTSPOT_SECRET_FILE
from tests.fake_network import NM_DOWN
from tests.services.conftest import LAB_WIFI
from tests.services.network_principals import (
    ADA_KIOSK,
    ADA_REMOTE,
    OTTO_KIOSK,
    OTTO_REMOTE,
    VERA,
    writes,
)

SSID, PASSWORD = LAB_WIFI


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def events(services):
    seen: list[Event] = []
    services.bus.subscribe(seen.append)
    return seen


def wired(network):
    return network.wired_uuid()


def test_status_lists_the_devices_and_the_addresses_to_reach_the_station(services):
    status = services.network.status()
    assert status.available and status.problem == ""
    assert [d.name for d in status.devices] == ["lo", "eth0", "wlan0"]
    assert status.reachable == ("192.168.1.50",)  # no loopback, no device that is down
    assert status.hostname == "eyepi"
    assert status.hotspot.ssid == "eyepi-eyepi" and not status.hotspot.active
    assert status.hotspot.passphrase == ""  # status is for everyone: never the passphrase
    assert status.pending is None


def test_a_kiosk_join_connects_at_once_and_the_network_is_known(services, network, events):
    assert services.network.join_wifi(OTTO_KIOSK, SSID, PASSWORD) is None
    wlan = next(d for d in services.network.status().devices if d.name == "wlan0")
    assert wlan.connected and wlan.ssid == SSID
    (seen,) = services.network.wifi_networks(VERA)
    assert seen.known and seen.in_use and seen.bars == 3
    assert network.checkpoints() == []  # nothing waits: the tech at the screen is not cut off
    assert any(getattr(e, "what", "") == f"joined Wi-Fi {SSID!r}" for e in events)


def test_an_open_and_a_hidden_network_are_joined(services, network):
    network.in_range("cafe", password=None)
    network.in_range("back-room", password="hidden passphrase", hidden=True)
    services.network.join_wifi(OTTO_KIOSK, "cafe", "")
    assert "back-room" not in [n.ssid for n in services.network.wifi_networks(VERA)]
    services.network.join_wifi(OTTO_KIOSK, "back-room", "hidden passphrase", hidden=True)
    assert {p.ssid for p in services.network.saved()} >= {"cafe", "back-room"}


def test_a_network_is_joined_by_its_exact_bytes(services, network):
    raw = b"caf\xe9-\xff"  # not UTF-8: shown with U+FFFD, joined by its bytes
    network.in_range(raw, password=None)
    (seen,) = [n for n in services.network.wifi_networks(VERA) if "\ufffd" in n.ssid]
    services.network.join_wifi(OTTO_KIOSK, seen.ssid, None, ssid_hex=seen.ssid_hex)
    assert (
        network.profile(next(p.uuid for p in services.network.saved() if p.ssid == seen.ssid)).ssid
        == raw
    )


def test_rescanning_needs_an_operator(services, network):
    services.network.wifi_networks(VERA)
    with pytest.raises(Forbidden):
        services.network.wifi_networks(VERA, rescan=True)
    assert network.rescans == 0
    services.network.wifi_networks(OTTO_KIOSK, rescan=True)
    assert network.rescans == 1


def test_priority_forget_and_addressing_reach_the_profile(services, network):
    uuid = wired(network)
    services.network.set_priority(OTTO_KIOSK, uuid, 7)
    services.network.set_addressing(
        ADA_KIOSK, uuid, "manual", "192.0.2.20", 24, "192.0.2.1", "192.0.2.53, 1.1.1.1"
    )
    profile = network.profile(uuid)
    assert profile.priority == 7
    assert profile.ipv4 == IPv4Config(
        AddressMethod.STATIC, "192.0.2.20/24", "192.0.2.1", ("192.0.2.53", "1.1.1.1")
    )
    assert services.network.status().reachable == ("192.0.2.20",)
    services.network.forget(OTTO_KIOSK, uuid)
    assert uuid not in [p.uuid for p in services.network.saved()]
    with pytest.raises(NotFound):
        services.network.forget(OTTO_KIOSK, uuid)


def test_the_hostname_is_set_lowercased_and_audited(services, network):
    assert services.network.set_hostname(ADA_KIOSK, "Field-Station-7") == "field-station-7"
    assert network.hostname() == "field-station-7"
    entry = services.audit.recent(ADA_KIOSK, 1, action="hostname")[0]
    assert entry.target == "field-station-7" and entry.ok


def test_hotspot_settings_go_to_station_toml(services, accounts_station):
    settings = services.network.set_hotspot(ADA_KIOSK, False, 900)
    assert (settings.hotspot_fallback, settings.hotspot_after_s) == (False, 900)
    text = (accounts_station.home / "station.toml").read_text()
    assert "[network]" in text and "hotspot_after_s = 900" in text


def test_the_hotspot_passphrase_is_shown_to_operators_only_and_kept(services, accounts_station):
    assert services.network.hotspot_info(VERA).passphrase == ""
    shown = services.network.hotspot_info(OTTO_KIOSK).passphrase
    assert check_psk(shown) == shown
    assert services.network.hotspot_info(ADA_REMOTE).passphrase == shown
    kept = accounts_station.home / HOTSPOT_SECRET_FILE
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept.read_text().strip() == shown


BAD_INPUT = [
    ("ssid", lambda n, u: n.join_wifi(OTTO_REMOTE, "", PASSWORD)),
    ("ssid", lambda n, u: n.join_wifi(OTTO_REMOTE, "x" * 33, PASSWORD)),
    ("ssid", lambda n, u: n.join_wifi(OTTO_REMOTE, "a", None, ssid_hex="zz")),
    ("password", lambda n, u: n.join_wifi(OTTO_REMOTE, SSID, "short")),
    ("password", lambda n, u: n.join_wifi(OTTO_REMOTE, SSID, "tab\tinside")),
    ("priority", lambda n, u: n.set_priority(OTTO_REMOTE, u, 5000)),
    ("uuid", lambda n, u: n.forget(OTTO_REMOTE, "--help")),
    ("uuid", lambda n, u: n.set_priority(OTTO_REMOTE, "-a", 1)),
    ("ipv4.method", lambda n, u: n.set_addressing(ADA_REMOTE, u, "bootp", "192.0.2.9", 24)),
    ("ipv4.address", lambda n, u: n.set_addressing(ADA_REMOTE, u, "manual", "300.1.1.1", 24)),
    ("ipv4.address", lambda n, u: n.set_addressing(ADA_REMOTE, u, "manual", "192.0.2.0", 24)),
    ("ipv4.address", lambda n, u: n.set_addressing(ADA_REMOTE, u, "auto", "192.0.2.9", 24)),
    ("ipv4.prefix", lambda n, u: n.set_addressing(ADA_REMOTE, u, "manual", "192.0.2.9", 33)),
    (
        "ipv4.gateway",
        lambda n, u: n.set_addressing(ADA_REMOTE, u, "manual", "192.0.2.9", 24, "10.0.0.1"),
    ),
    ("ipv4.dns", lambda n, u: n.set_addressing(ADA_REMOTE, u, "auto", dns="1.1.1.1; rm")),
    ("hostname", lambda n, u: n.set_hostname(ADA_REMOTE, "-station")),
    ("hostname", lambda n, u: n.set_hostname(ADA_REMOTE, "two.labels")),
    ("network.hotspot_after_s", lambda n, u: n.set_hotspot(ADA_REMOTE, True, 5)),
]


@pytest.mark.parametrize(
    ("field", "call"), BAD_INPUT, ids=[f"{f}-{i}" for i, (f, _) in enumerate(BAD_INPUT)]
)
def test_bad_input_names_the_field_and_changes_nothing(services, network, field, call):
    before = len(network.calls)
    with pytest.raises(InvalidInput) as raised:
        call(services.network, wired(network))
    assert raised.value.field == field
    assert writes(network, before) == []
    assert services.network.pending() is None


def test_no_password_reaches_the_audit_trail_logs_or_events(services, network, events, caplog):
    caplog.set_level(logging.DEBUG)
    services.network.join_wifi(OTTO_KIOSK, SSID, PASSWORD)
    with pytest.raises(CommandFailed):
        services.network.join_wifi(OTTO_KIOSK, SSID, "the wrong passphrase")
    change = services.network.join_wifi(OTTO_REMOTE, SSID, PASSWORD)
    services.network.confirm(OTTO_KIOSK, change.change_id)
    entries = services.audit.recent(ADA_KIOSK, 50)
    joins = [e for e in entries if e.action == "wifi_join"]
    assert [e.ok for e in joins] == [True, False, True]  # newest first
    said = [e.target + e.detail for e in entries]
    said += [r.getMessage() + repr(r.__dict__) for r in caplog.records]
    said += [repr(e) for e in events]
    for secret in (PASSWORD, "the wrong passphrase"):
        assert not [text for text in said if secret in text]


def test_nm_down_is_said_by_status_and_by_every_action(services, network):
    network.running = False
    status = services.network.status()
    assert not status.available and NM_DOWN in status.problem
    assert status.devices == () and status.reachable == ()
    uuid = "12345678-1234-1234-1234-123456789abc"
    calls = [
        lambda: services.network.wifi_networks(VERA),
        lambda: services.network.join_wifi(OTTO_KIOSK, SSID, PASSWORD),
        lambda: services.network.join_wifi(OTTO_REMOTE, SSID, PASSWORD),
        lambda: services.network.forget(OTTO_KIOSK, uuid),
        lambda: services.network.set_addressing(ADA_KIOSK, uuid, "auto"),
        lambda: services.network.set_hostname(ADA_KIOSK, "eyepi-2"),
        lambda: services.network.hotspot_info(OTTO_KIOSK),
        lambda: services.network.saved(),
    ]
    for call in calls:
        with pytest.raises(CommandFailed, match="NetworkManager is not running"):
            call()


def test_a_slow_network_manager_slows_only_its_own_calls(services, network):
    import time

    network.delay_s = 0.05
    started = time.monotonic()
    services.network.status()
    assert time.monotonic() - started >= 0.1  # hostname, devices: each waits


def test_a_station_runs_without_network_manager_and_says_why(tmp_path, caplog):
    import time

    from eyepi_gui.adapters.network_unavailable import UnavailableNetwork
    from eyepi_gui.station import Station

    reason = "nmcli is not installed"
    station = Station(tmp_path / "home", log_to_console=False, network=UnavailableNetwork(reason))
    services = station.open()
    try:
        station.start()  # cameras and capture start all the same
        status = services.network.status()
        assert not status.available and status.problem == f"NetworkManager: {reason}"
        assert [c.camera_id for c in services.cameras.cameras()] == ["sim-1", "sim-2"]
        started = time.monotonic()
        services.network.stop()
        assert time.monotonic() - started < 1.0
    finally:
        station.stop()


def test_the_default_backend_never_stops_the_station(tmp_path):
    from eyepi_gui.station import Station

    station = Station(tmp_path / "home", log_to_console=False)
    services = station.open()
    try:
        station.start()
        status = services.network.status()  # whatever this machine has: never raises
        assert status.available or status.problem
    finally:
        station.stop()


def test_a_profile_is_found_by_its_uuid_written_in_capitals(services, network):
    """A UUID's hex digits are one number however written: no 404 for "FDC0267D-..."."""
    uuid = wired(network)
    services.network.set_priority(ADA_KIOSK, uuid.upper(), 7)
    assert next(p for p in services.network.saved() if p.uuid == uuid).priority == 7
    services.network.set_addressing(ADA_KIOSK, uuid.upper(), "manual", "192.168.1.77", 24)
    assert network.profile(uuid).ipv4.address == "192.168.1.77/24"
    services.network.forget(ADA_KIOSK, uuid.upper())
    assert uuid not in [p.uuid for p in services.network.saved()]
