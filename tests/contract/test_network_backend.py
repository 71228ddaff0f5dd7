"""Contract tests every NetworkBackend passes: the in-memory fake the service tests use and
(once merged) the nmcli/D-Bus adapter on a real NetworkManager in a network namespace.

The cases are shaped alike (``tests.contract.network_cases``): one ethernet-like device
with a saved profile, no DHCP server answering, no Wi-Fi device. Real NetworkManager
applies changes asynchronously, so what shows on the device is awaited.
"""

import re
import uuid as uuids

import pytest

from eyepi_gui.domain.network import AddressMethod, DeviceKind, IPv4Config
from eyepi_gui.errors import CommandFailed, NotFound
from tests.contract.network_cases import (  # noqa: F401 - fixtures
    CASE_FIXTURES,
    fake_network_case,
    real_network_case,
)
from tests.waiting import eventually

FIRST = IPv4Config(AddressMethod.STATIC, "192.0.2.10/24", "192.0.2.1", ("192.0.2.53",))
SECOND = IPv4Config(AddressMethod.STATIC, "198.51.100.7/24", "198.51.100.1")
DHCP = IPv4Config(AddressMethod.DHCP)
UNKNOWN = str(uuids.UUID(int=0x5EED))
SETTLE_S = 15.0
"""How long a real NetworkManager may take to show a change on the device (s)."""


@pytest.fixture(params=CASE_FIXTURES)
def case(request):
    return request.getfixturevalue(request.param)


def device_of(case):
    return next(d for d in case.backend.devices() if d.name == case.device)


def profile_of(case):
    return next(p for p in case.backend.saved() if p.uuid == case.profile)


def shows(case, address):
    return eventually(lambda: address in device_of(case).addresses, SETTLE_S)


def gone(case, address):
    return eventually(lambda: address not in device_of(case).addresses, SETTLE_S)


def up_with(case, config):
    case.backend.set_ipv4(case.profile, config)
    case.backend.activate(case.profile)
    shows(case, config.address)


def test_the_device_is_listed_as_ethernet(case):
    device = device_of(case)
    assert device.kind is DeviceKind.ETHERNET
    assert device.mac  # every real interface has one


def test_the_device_s_profile_is_saved_as_ethernet(case):
    profile = profile_of(case)
    assert profile.kind is DeviceKind.ETHERNET and not profile.hotspot


def test_a_static_address_shows_on_the_device_and_stays_in_the_profile(case):
    up_with(case, FIRST)
    device = device_of(case)
    assert device.connected and device.connection_uuid == case.profile
    assert device.gateway == "192.0.2.1" and device.dns == ("192.0.2.53",)
    assert profile_of(case).ipv4 == FIRST


def test_switching_to_dhcp_takes_the_static_address_away(case):
    up_with(case, FIRST)
    case.backend.set_ipv4(case.profile, DHCP)
    case.backend.activate(case.profile)
    gone(case, FIRST.address)
    assert profile_of(case).ipv4.method is AddressMethod.DHCP
    assert profile_of(case).ipv4.address is None


def test_a_priority_is_stored(case):
    case.backend.set_priority(case.profile, 42)
    assert profile_of(case).priority == 42
    case.backend.set_priority(case.profile, -5)
    assert profile_of(case).priority == -5


def test_forget_removes_the_profile(case):
    case.backend.forget(case.profile)
    assert case.profile not in [p.uuid for p in case.backend.saved()]
    with pytest.raises(NotFound):
        case.backend.forget(case.profile)


@pytest.mark.parametrize(
    "call",
    [
        lambda b: b.forget(UNKNOWN),
        lambda b: b.set_priority(UNKNOWN, 1),
        lambda b: b.set_ipv4(UNKNOWN, DHCP),
        lambda b: b.activate(UNKNOWN),
    ],
    ids=["forget", "set_priority", "set_ipv4", "activate"],
)
def test_an_unknown_profile_is_not_found(case, call):
    with pytest.raises(NotFound):
        call(case.backend)


def test_a_rollback_restores_the_addressing_and_the_address(case):
    up_with(case, FIRST)
    checkpoint = case.backend.checkpoint([case.device], 60)
    assert checkpoint in case.backend.checkpoints()
    up_with(case, SECOND)
    case.backend.rollback(checkpoint)
    shows(case, FIRST.address)
    gone(case, SECOND.address)
    assert profile_of(case).ipv4 == FIRST
    assert checkpoint not in case.backend.checkpoints()


def test_a_checkpoint_rolls_back_by_itself_at_its_deadline(case):
    up_with(case, FIRST)
    checkpoint = case.backend.checkpoint([case.device], 3)
    up_with(case, SECOND)
    case.elapse(4)
    shows(case, FIRST.address)
    assert profile_of(case).ipv4 == FIRST
    assert checkpoint not in case.backend.checkpoints()


def test_a_confirmed_change_stays(case):
    up_with(case, FIRST)
    checkpoint = case.backend.checkpoint([case.device], 3)
    up_with(case, SECOND)
    case.backend.confirm(checkpoint)
    assert checkpoint not in case.backend.checkpoints()
    case.elapse(4)
    assert profile_of(case).ipv4 == SECOND
    assert SECOND.address in device_of(case).addresses
    with pytest.raises((NotFound, CommandFailed)):
        case.backend.rollback(checkpoint)


def test_a_checkpoint_of_every_device_is_taken_with_an_empty_list(case):
    up_with(case, FIRST)
    checkpoint = case.backend.checkpoint([], 60)
    up_with(case, SECOND)
    case.backend.rollback(checkpoint)
    shows(case, FIRST.address)


def test_the_hostname_is_set_and_read_back(case):
    case.backend.set_hostname("eyepi-contract")
    assert case.backend.hostname() == "eyepi-contract"


def test_without_a_wifi_device_there_are_no_networks_and_joining_says_why(case):
    assert DeviceKind.WIFI not in {d.kind for d in case.backend.devices()}
    assert case.backend.wifi_networks(rescan=True) == []
    with pytest.raises((CommandFailed, NotFound)) as raised:
        case.backend.join_wifi(b"field-lab".hex(), "a long passphrase")
    assert re.search(r"wi-?fi|wireless|device", str(raised.value), re.IGNORECASE)
    joined = [p for p in case.backend.saved() if p.ssid == "field-lab"]
    assert all(not p.active for p in joined)  # a profile may be saved; it is never up


def test_without_a_wifi_device_the_hotspot_cannot_start(case):
    with pytest.raises((CommandFailed, NotFound)) as raised:
        case.backend.start_hotspot("eyepi-contract", "a long passphrase")
    assert re.search(r"wi-?fi|wireless|device", str(raised.value), re.IGNORECASE)
    assert "a long passphrase" not in str(raised.value)
