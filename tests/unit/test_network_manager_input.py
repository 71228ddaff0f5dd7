"""NmcliNetwork refuses what cannot be a UUID or a valid address before any nmcli runs
(no NetworkManager needed: the runner records calls and none may happen)."""

import pytest

from eyepi_gui.adapters.network_manager import NmcliNetwork
from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.errors import CommandFailed, InvalidInput, NotFound
from tests.nm_backend import RecordingRunner


@pytest.fixture
def backend(tmp_path):
    env = {"DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp_path}/none"}
    runner = RecordingRunner(station_runner(env))
    return NmcliNetwork(runner, NmDbus(f"unix:path={tmp_path}/none"))


@pytest.mark.parametrize("uuid", ["--help", "wired", "", "00000000-0000-0000-0000-00000000000g"])
def test_a_uuid_that_is_not_one_is_not_found_before_nmcli_runs(backend, uuid):
    with pytest.raises(NotFound):
        backend.forget(uuid)
    with pytest.raises(NotFound):
        backend.set_priority(uuid, 1)
    with pytest.raises(NotFound):
        backend.activate(uuid)
    assert backend._runner.calls == []


@pytest.mark.parametrize(
    ("config", "field"),
    [
        (IPv4Config(AddressMethod.STATIC, None), "ipv4.address"),
        (IPv4Config(AddressMethod.STATIC, "10.9.0.300/24"), "ipv4.address"),
        (IPv4Config(AddressMethod.STATIC, "10.9.0.3"), "ipv4.prefix"),
        (IPv4Config(AddressMethod.STATIC, "10.9.0.3/24", "fe80::1"), "ipv4.gateway"),
        (IPv4Config(AddressMethod.STATIC, "10.9.0.3/24", dns=("--help",)), "ipv4.dns"),
        (IPv4Config(AddressMethod.DHCP, "10.9.0.3/24"), "ipv4.address"),
    ],
)
def test_bad_addressing_is_refused_before_nmcli_runs(backend, config, field):
    with pytest.raises(InvalidInput) as caught:
        backend.set_ipv4("2faabeab-117d-42b2-988b-0c3bd65fe575", config)
    assert caught.value.field == field
    assert backend._runner.calls == []


@pytest.mark.parametrize("priority", [-1000, 1000])
def test_priority_out_of_range_is_refused(backend, priority):
    with pytest.raises(InvalidInput) as caught:
        backend.set_priority("2faabeab-117d-42b2-988b-0c3bd65fe575", priority)
    assert caught.value.field == "priority"
    assert backend._runner.calls == []


@pytest.mark.parametrize("ssid_hex", ["", "zz", "abc", "41" * 33])
def test_join_refuses_an_ssid_that_is_not_1_to_32_hex_bytes(backend, ssid_hex):
    with pytest.raises(InvalidInput) as caught:
        backend.join_wifi(ssid_hex, "password123")
    assert caught.value.field == "ssid"
    assert backend._runner.calls == []


def test_no_bus_gives_command_failed(backend):
    with pytest.raises(CommandFailed, match="cannot be reached"):
        backend.checkpoints()
