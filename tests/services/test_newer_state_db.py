"""A state.db made by a newer eyepi (an eyepi rolled back to an older version): the station
starts and captures, every frontend's status says why logins are refused, and the file is
neither moved aside nor changed."""

import sqlite3

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.db import MIGRATIONS
from eyepi_gui.domain.access import Origin
from eyepi_gui.errors import Unavailable
from eyepi_gui.kiosk.formatting import banner_messages
from eyepi_gui.station import Station
from remote.app import create_app
from tests.fakes import FakeHasher
from tests.principals import ADMIN
from tests.services.conftest import PASSWORDS

SLOT = 1_748_700_000.0
KNOWN = len(MIGRATIONS)
NEWER = f"state.db was made by a newer eyepi (schema {KNOWN + 1}, this one knows {KNOWN})"


def make_station(home):
    station = Station(
        home,
        fallback=SimBackend(count=1, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
    )
    return station, station.open()


@pytest.fixture
def newer_home(tmp_path):
    """A home whose state.db has the admin ada and a schema one migration beyond this eyepi."""
    home = tmp_path / "home"
    station, services = make_station(home)
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "64x48"})
    station.stop()
    conn = sqlite3.connect(home / "state.db")
    conn.execute(f"PRAGMA user_version = {KNOWN + 1}")
    conn.close()
    return home


def test_a_newer_database_is_refused_and_capture_goes_on(newer_home):
    before = (newer_home / "state.db").read_bytes()
    station, services = make_station(newer_home)
    try:
        station.start()
        problem = services.overview.health().database_problem
        assert problem.startswith(NEWER) and "Capture goes on and images are written" in problem
        (record,) = services.cameras.capture("sim-1", SLOT).result(10)
        assert (newer_home / record.path).is_file()
        with pytest.raises(Unavailable, match=r"made by a newer eyepi \(schema"):
            services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"])
        banner = banner_messages(services.overview.health())  # the kiosk's
        assert any(message.startswith(NEWER) for message in banner)
        app = create_app(services, services.config.current().remote, testing=True)
        page = app.test_client().get("/login")  # the web's login page says why, not a form
        assert page.status_code == 503 and NEWER in page.get_data(as_text=True)
    finally:
        station.stop()
    assert (newer_home / "state.db").read_bytes() == before
    assert not list(newer_home.glob("state.db.damaged-*"))
