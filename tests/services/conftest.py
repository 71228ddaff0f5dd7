import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.access import Origin
from eyepi_gui.station import Station
from tests.fake_network import FakeNetwork
from tests.fakes import FakeClock
from tests.principals import ADMIN

TZ = ZoneInfo("Australia/Canberra")


def wait_idle(services, timeout=10.0, skip=()):
    deadline = time.monotonic() + timeout
    for info in services.cameras.cameras():
        if info.camera_id in skip:
            continue
        while services.cameras.is_busy(info.camera_id):
            assert time.monotonic() < deadline, f"{info.camera_id} still busy"
            time.sleep(0.001)


@pytest.fixture
def sim():
    return SimBackend(count=2, capture_delay_s=0)


@pytest.fixture
def clock():
    return FakeClock(datetime(2025, 6, 1, 0, 0, tzinfo=TZ).timestamp())


LAB_WIFI = ("field-lab", "lab passphrase 1")
"""A WPA2 network in range of the stations here: (SSID, password)."""


@pytest.fixture
def network(clock):
    """The stations' NetworkManager: eth0 up by DHCP, wlan0 free, ``LAB_WIFI`` in range."""
    fake = FakeNetwork(clock)
    fake.in_range(LAB_WIFI[0], password=LAB_WIFI[1])
    return fake


@pytest.fixture
def station(tmp_path, clock, sim, network):
    station = Station(
        tmp_path / "home", clock=clock, fallback=sim, log_to_console=False, network=network
    )
    services = station.open()
    services.config.update_station(ADMIN, {"timezone": "Australia/Canberra"})
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(ADMIN, camera_id, {"resolution": "64x48"})
    yield station
    for camera_id in ("sim-1", "sim-2"):
        sim.faults(camera_id).release()
    station.stop()


PASSWORDS = {
    "ada": "admin long secret",
    "otto": "operator long secret",
    "vera": "viewer long secret",
    "spare": "another viewer secret",
}
"""Accounts of ``accounts_station``: ada (admin), otto (operator), vera and spare (viewers)."""


@pytest.fixture
def accounts_station(tmp_path, clock, sim, network):
    """A started station with four accounts; passwords hashed by the fast FakeHasher."""
    from tests.fakes import FakeHasher

    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=sim,
        log_to_console=False,
        hasher=FakeHasher(),
        network=network,
    )
    services = station.open()
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(ADMIN, camera_id, {"resolution": "64x48"})
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    for name, role in (("otto", "operator"), ("vera", "viewer"), ("spare", "viewer")):
        services.users.add_user(admin, name, PASSWORDS[name], role)
    services.inventory.start()
    yield station
    station.stop()


@pytest.fixture
def stepping_station(tmp_path):
    """An opened station whose clock moves only when the test says (``SteppingClock``), for
    its threads; a FakeNetwork on that clock; ada (admin) as its one account."""
    from tests.fakes import FakeHasher, SteppingClock

    clock = SteppingClock(1_750_000_000.0)
    network = FakeNetwork(clock)
    station = Station(
        tmp_path / "home", clock=clock, log_to_console=False, network=network, hasher=FakeHasher()
    )
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    yield station, clock, network
    station.stop()
