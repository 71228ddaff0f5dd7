"""The NetworkBackend implementations the network contract runs over, by fixture name.

A case is a ``NetworkCase``: a backend shaped like the real test NetworkManager (one
ethernet-like device with a saved profile, no DHCP server answering, no Wi-Fi device), the
device's name, the profile's UUID, and ``elapse(s)`` that lets time pass as the backend
sees it (the fake's clock; real sleeping for NetworkManager). Each test gets a fresh case.

"fake" is FakeNetwork. "real" is the nmcli/D-Bus adapter on NetworkManager in its own
network namespace (the ``network_manager`` fixture): it skips until that adapter and fixture
are in the tree, and when not root.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from eyepi_gui.domain.network import DeviceKind
from eyepi_gui.ports import NetworkBackend
from tests.fake_network import FakeNetwork
from tests.fakes import FakeClock

CASE_FIXTURES = ["fake_network_case", "real_network_case"]
PROFILE_NAME = "eyepi-contract"


@dataclass(frozen=True)
class NetworkCase:
    backend: NetworkBackend
    device: str
    profile: str
    elapse: Callable[[float], None]


@pytest.fixture
def fake_network_case() -> NetworkCase:
    clock = FakeClock(1_000_000.0)
    fake = FakeNetwork(clock, wifi=False, lease="")
    return NetworkCase(fake, "eth0", fake.wired_uuid(), lambda s: clock.set(clock.now() + s))


@pytest.fixture
def real_network_case(request: pytest.FixtureRequest) -> NetworkCase:
    adapter = pytest.importorskip("eyepi_gui.adapters.network_manager")
    nm_dbus = pytest.importorskip("eyepi_gui.adapters.nm_dbus")
    runner_module = pytest.importorskip("eyepi_gui.adapters.runner")
    nm = request.getfixturevalue("network_manager")  # skips when not root
    env = {"DBUS_SYSTEM_BUS_ADDRESS": nm.bus_address}
    runner = runner_module.station_runner(env)
    backend = adapter.NmcliNetwork(runner, nm_dbus.NmDbus(nm.bus_address))
    profile = _ethernet_profile(backend, runner, nm.device)
    return NetworkCase(backend, nm.device, profile, time.sleep)


def _ethernet_profile(backend: NetworkBackend, runner, device: str) -> str:  # type: ignore[no-untyped-def]
    """The UUID of an ethernet profile for ``device``, made when NM has none."""
    for profile in backend.saved():
        if profile.kind is DeviceKind.ETHERNET:
            return profile.uuid
    args = ["connection", "add", "type", "ethernet", "ifname", device, "con-name", PROFILE_NAME]
    runner.run("nmcli", args)
    return next(p.uuid for p in backend.saved() if p.name == PROFILE_NAME)
