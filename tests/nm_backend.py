"""The real NetworkBackend (NmcliNetwork) wired to a namespaced NetworkManager from the
``network_manager`` fixture: for adapter tests and the NetworkBackend contract suite."""

from eyepi_gui.adapters.network_manager import NmcliNetwork
from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.adapters.runner import station_runner


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
