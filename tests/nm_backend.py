"""The real NetworkBackend (NmcliNetwork) wired to a namespaced NetworkManager from the
``network_manager`` fixture: for adapter tests and, later, the NetworkBackend contract suite
(``("real", lambda: nmcli_network(network_manager))``)."""

from eyepi_gui.adapters.network_manager import NmcliNetwork
from eyepi_gui.adapters.nm_dbus import NmDbus
from tests.plain_runner import NMCLI, PlainRunner


def nmcli_network(manager, timeout_s=5.0):
    """NmcliNetwork on ``manager``'s private bus; nmcli and D-Bus calls bounded by
    ``timeout_s``. The runner is tests/plain_runner.py until the station's runner is merged
    (then ``station_runner({"DBUS_SYSTEM_BUS_ADDRESS": manager.bus_address})``, which must run
    nmcli under a UTF-8 locale: under LC_ALL=C nmcli prints "caf?" for "café")."""
    runner = PlainRunner(NMCLI, {"DBUS_SYSTEM_BUS_ADDRESS": manager.bus_address}, timeout_s)
    dbus = NmDbus(manager.bus_address, timeout_s=timeout_s)
    return NmcliNetwork(runner, dbus, timeout_s=timeout_s)
