"""The real NetworkBackend (NmcliNetwork) wired to a namespaced NetworkManager from the
``network_manager`` fixture: for adapter tests and the NetworkBackend contract suite."""

import subprocess

from eyepi_gui.adapters.network_manager import NmcliNetwork
from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.domain.network import AddressMethod, IPv4Config
from tests.waiting import eventually

FIRST = IPv4Config(AddressMethod.STATIC, "10.9.0.2/24", "10.9.0.1", ("9.9.9.9",))
"""The address add_wired gives the fixture's device."""


class RecordingRunner:
    """A CommandRunner that records every argv (``calls``) and hands the call on."""

    def __init__(self, runner):
        self.runner = runner
        self.calls: list[list[str]] = []

    def run(self, program, args, *, timeout_s=None):
        self.calls.append([program, *args])
        return self.runner.run(program, args, timeout_s=timeout_s)


def nmcli_network(manager, timeout_s=5.0):
    """NmcliNetwork on ``manager``'s private bus, through the station's own runner (wrapped in
    a RecordingRunner); nmcli and D-Bus calls bounded by ``timeout_s``."""
    env = {"DBUS_SYSTEM_BUS_ADDRESS": manager.bus_address}
    runner = RecordingRunner(station_runner(env))
    dbus = NmDbus(manager.bus_address, timeout_s=timeout_s)
    return NmcliNetwork(runner, dbus, timeout_s=timeout_s)


def add_wired(nm, name="wired"):
    """A static profile for veth-a (address FIRST), brought up; returns its uuid."""
    argv = ["nmcli", "-t", "-f", "connection.uuid", "connection", "add", "type", "ethernet"]
    argv += ["ifname", nm.device, "con-name", name, "ipv4.method", "manual"]
    argv += ["ipv4.addresses", FIRST.address, "ipv4.gateway", FIRST.gateway]
    done = subprocess.run(argv, env=nm.env, capture_output=True, text=True, check=True)
    uuid = done.stdout.split("(")[1].split(")")[0]
    subprocess.run(
        ["nmcli", "connection", "up", "uuid", uuid], env=nm.env, check=True, capture_output=True
    )
    eventually(lambda: nm.ipv4() == [FIRST.address])
    return uuid
