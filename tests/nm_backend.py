"""The real NetworkBackend (NmcliNetwork) wired to a namespaced NetworkManager from the
``network_manager`` fixture: for adapter tests and the NetworkBackend contract suite."""

from eyepi_gui.adapters.network_manager import NmcliNetwork
from eyepi_gui.adapters.nm_dbus import NmDbus
from tests.plain_runner import NMCLI, PlainRunner


class RecordingRunner:
    """A CommandRunner that records every argv (``calls``) and hands the call on."""

    def __init__(self, runner):
        self.runner = runner
        self.calls: list[list[str]] = []

    def run(self, program, args, *, timeout_s=None):
        self.calls.append([program, *args])
        return self.runner.run(program, args, timeout_s=timeout_s)


def nmcli_network(manager, timeout_s=5.0):
    """NmcliNetwork on ``manager``'s private bus; nmcli and D-Bus calls bounded by
    ``timeout_s``; its runner is a RecordingRunner. The runner inside is tests/plain_runner.py
    until the station's runner is merged (then ``station_runner({"DBUS_SYSTEM_BUS_ADDRESS":
    manager.bus_address})``, which must run nmcli under a UTF-8 locale: under LC_ALL=C nmcli
    prints "caf?" for "café", and test_wifi_profile_over_dbus_keeps_the_ssid_exact fails)."""
    env = {"DBUS_SYSTEM_BUS_ADDRESS": manager.bus_address}
    runner = RecordingRunner(PlainRunner(NMCLI, env, timeout_s))
    dbus = NmDbus(manager.bus_address, timeout_s=timeout_s)
    return NmcliNetwork(runner, dbus, timeout_s=timeout_s)
