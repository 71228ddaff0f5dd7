"""Another process holds state.db (a real second process, ``tests.db_holder``): logins still
answer within 2 s, captures whose files are complete succeed, and their audit entries and
index rows are stored once the database is free again, in time for the API to show them."""

import threading
import time

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.events import CaptureDone, CaptureFailed
from eyepi_gui.domain.records import CaptureQuery
from eyepi_gui.station import Station
from tests.db_holder import held
from tests.fakes import FakeHasher
from tests.principals import ADMIN
from tests.services.conftest import PASSWORDS
from tests.waiting import eventually

ANSWER_S = 2.0
SLOT = 1_748_700_000.0


def logins_of(services, name):
    return [e for e in services.audit.recent(ADMIN, 50, action="login") if e.target == name]


@pytest.mark.parametrize("mode", ["immediate", "exclusive"])
def test_an_admin_logs_in_while_another_process_holds_the_database(accounts_station, mode):
    services = accounts_station.services
    path = accounts_station.home / "state.db"
    with held(path, mode) as other:
        assert other.holds
        start = time.monotonic()
        principal = services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"])
        assert time.monotonic() - start < ANSWER_S
        assert principal.username == "ada"
        assert logins_of(services, "ada") == []  # waiting in the queue, not lost
        assert "wait to be stored" in services.overview.health().database_problem
    (entry,) = eventually(lambda: logins_of(services, "ada"))
    assert (entry.username, entry.origin, entry.ok) == ("ada", "kiosk", True)
    assert services.overview.health().database_problem is None


def test_a_capture_completes_while_another_process_holds_the_database(station):
    services = station.services
    services.inventory.start()
    events = []
    services.bus.subscribe(events.append)
    with held(station.home / "state.db") as other:
        assert other.holds
        records = services.cameras.capture("sim-1", SLOT).result(10)
        assert [r.record_id for r in records] == [None]  # stored later
        assert services.captures.find(CaptureQuery()) == []
    assert [type(e) for e in events if isinstance(e, (CaptureDone, CaptureFailed))] == [CaptureDone]
    (found,) = eventually(lambda: services.captures.find(CaptureQuery()))
    assert (found.path, found.sha256, found.scheduled_at) == (
        records[0].path,
        records[0].sha256,
        SLOT,
    )
    with services.captures.open_file(found.record_id)[1] as opened:
        assert len(opened.read()) == records[0].size


def test_a_stopping_station_stores_what_waits_once_the_database_is_free(tmp_path):
    home = tmp_path / "home"
    station = Station(home, fallback=SimBackend(count=1, capture_delay_s=0), log_to_console=False)
    services = station.open()
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "64x48"})
    services.inventory.start()
    with held(home / "state.db") as other:
        assert other.holds
        services.cameras.capture("sim-1", SLOT).result(10)
        threading.Timer(0.5, other.release).start()
        station.stop()  # waits for the queue (up to FLUSH_S) before it closes the database
    index = CapturesDB(StateDB(home / "state.db"))
    assert len(index.query(CaptureQuery())) == 1


def test_a_station_opens_and_logs_in_while_another_process_holds_the_database(tmp_path):
    home = tmp_path / "home"
    first = Station(home, log_to_console=False, hasher=FakeHasher())
    first.open().users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    first.stop()
    with held(home / "state.db") as other:
        assert other.holds
        start = time.monotonic()
        station = Station(home, log_to_console=False, hasher=FakeHasher())
        services = station.open()
        try:
            assert services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"]).username == "ada"
            assert time.monotonic() - start < ANSWER_S
            other.release()
            assert eventually(lambda: logins_of(services, "ada"))
        finally:
            station.stop()
