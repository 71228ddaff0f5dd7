"""What the remote endpoint shows of state.db's troubles: a database made anew (status API and
dashboard), and never a name typed at a failed login to anyone but an admin."""

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.access import Origin
from eyepi_gui.station import Station
from remote.app import create_app
from tests.fakes import FakeHasher
from tests.remote.conftest import PASSWORDS, Web

TYPED = "hunter2-typed-as-name"


@pytest.mark.parametrize(("username", "shown"), [("ada", True), ("otto", False), ("vera", False)])
def test_a_name_typed_at_a_failed_login_is_shown_to_admins_only(client, web, username, shown):
    form = {"username": TYPED, "password": "x" * 12, "csrf_token": web.login_token()}
    assert client.post("/login", data=form).status_code == 401
    web.login(username)
    audit = web.client.get("/api/v1/audit?action=login_failed").get_json()
    assert [entry["target"] == TYPED for entry in audit] == [shown]
    users_page = web.client.get("/users").get_data(as_text=True)
    assert (TYPED in users_page) is shown


@pytest.fixture
def recreated(tmp_path, clock):
    """A station whose state.db was not a database: moved aside and made anew at open."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "state.db").write_bytes(b"not a database at all " * 100)
    sim = SimBackend(count=1, capture_delay_s=0)
    station = Station(home, clock=clock, fallback=sim, log_to_console=False, hasher=FakeHasher())
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    yield station
    station.stop()


def test_a_recreated_database_is_on_the_status_api_and_the_dashboard(recreated):
    services = recreated.services
    app = create_app(services, services.config.current().remote, testing=True)
    web = Web(app.test_client()).login("ada")
    problem = web.client.get("/api/v1/status").get_json()["database_problem"]
    assert "could not be read" in problem and "state.db.damaged-" in problem
    dashboard = web.client.get("/").get_data(as_text=True)
    assert "could not be read" in dashboard and "A new one was made" in dashboard
