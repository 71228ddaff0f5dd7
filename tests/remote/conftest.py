"""Fixtures for the remote endpoint, in the shape of Flask's tutorial: ``station`` ->
``app`` -> ``client``, and ``web`` to log in as one of the station's users."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.access import Origin
from eyepi_gui.station import Station
from remote.app import create_app
from tests.fake_network import FakeNetwork
from tests.fakes import FakeClock, FakeHasher

PASSWORDS = {
    "ada": "admin long secret",
    "otto": "operator long secret",
    "vera": "viewer long secret",
}
"""ada is an admin, otto an operator, vera a viewer."""
LAB_WIFI = ("field-lab", "lab passphrase 1")
"""A WPA2 network in range of the stations here: (SSID, password)."""
HOSTILE_SSIDS = ("<script>alert(1)</script>", '"><img src=x onerror=alert(1)>')
"""Open networks in range whose names look like HTML: shown as text, never run."""
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def clock():
    return FakeClock(datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Australia/Canberra")).timestamp())


def network_in_range(clock):
    """The stations' NetworkManager: eth0 up by DHCP (192.168.1.50), wlan0 free, in range
    ``LAB_WIFI`` and the ``HOSTILE_SSIDS``."""
    fake = FakeNetwork(clock)
    fake.in_range(LAB_WIFI[0], password=LAB_WIFI[1], signal=82)
    for signal, ssid in enumerate(HOSTILE_SSIDS, start=30):
        fake.in_range(ssid, signal=signal)
    return fake


@pytest.fixture
def network(clock):
    return network_in_range(clock)


@pytest.fixture
def station(tmp_path, clock, network):
    sim = SimBackend(count=2, capture_delay_s=0)
    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=sim,
        log_to_console=False,
        hasher=FakeHasher(),
        network=network,
    )
    services = station.open()
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(admin, camera_id, {"resolution": "64x48"})
    services.users.add_user(admin, "otto", PASSWORDS["otto"], "operator")
    services.users.add_user(admin, "vera", PASSWORDS["vera"], "viewer")
    services.inventory.start()
    yield station
    station.stop()


@pytest.fixture
def services(station):
    return station.services


@pytest.fixture
def app(services):
    return create_app(services, services.config.current().remote, testing=True)


@pytest.fixture
def client(app):
    return app.test_client()


class Web:
    """Logs the test client in through the login form, as a browser does."""

    def __init__(self, client):
        self.client = client
        self.csrf = ""

    def login_token(self):
        page = self.client.get("/login").get_data(as_text=True)
        return _TOKEN.search(page).group(1)

    def login(self, username, password=None):
        response = self.client.post(
            "/login",
            data={
                "username": username,
                "password": password or PASSWORDS[username],
                "csrf_token": self.login_token(),
            },
        )
        assert response.status_code == 303, response.get_data(as_text=True)
        self.csrf = self.client.get("/api/v1/session").get_json()["csrf_token"]
        return self

    def headers(self, **extra):
        return {"X-CSRF-Token": self.csrf, **extra}

    def confirm(self, username):
        response = self.client.post(
            "/api/v1/session/confirm",
            json={"password": PASSWORDS[username]},
            headers=self.headers(),
        )
        assert response.status_code == 200, response.get_json()


@pytest.fixture
def web(client):
    return Web(client)
