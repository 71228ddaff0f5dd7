"""A bad or busy state.db never stops the station: it starts and captures whatever state.db
and state.db.id hold, and every frontend's status (``database_problem``) says what happened."""

import shutil
import time
from functools import partial

import pytest

from eyepi_gui.adapters import state_file, station_db
from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.db import BUSY
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.records import CaptureQuery
from eyepi_gui.errors import Unavailable
from eyepi_gui.station import Station
from tests import waiting
from tests.db_holder import held
from tests.fakes import FakeHasher
from tests.principals import ADMIN
from tests.services.conftest import PASSWORDS

eventually = partial(waiting.eventually, timeout=10.0)  # opening retries take a while
SLOT = 1_748_700_000.0


@pytest.fixture
def quick(monkeypatch):
    """Open attempts every 0.2 s, the first one waiting 0.3 s."""
    monkeypatch.setattr(station_db, "RETRY_S", 0.2)
    monkeypatch.setattr(station_db, "FIRST_WAIT_S", 0.3)


def make_station(home):
    station = Station(
        home,
        fallback=SimBackend(count=1, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
    )
    return station, station.open()


def with_admin(home, name="ada"):
    """A stopped station on ``home`` whose state.db has the admin ``name``."""
    station, services = make_station(home)
    services.users.create_first_admin(Origin.KIOSK, name, PASSWORDS["ada"])
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "64x48"})
    station.stop()


def problem(services):
    return services.overview.health().database_problem


def test_a_station_starts_and_captures_while_another_process_holds_the_database(tmp_path, quick):
    home = tmp_path / "home"
    with_admin(home)
    with held(home / "state.db", "locking_mode") as other:
        assert other.holds
        started = time.monotonic()
        station, services = make_station(home)
        try:
            station.start()
            assert time.monotonic() - started < 3.0
            assert "held by another process: capture goes on" in problem(services)
            (record,) = services.cameras.capture("sim-1", SLOT).result(10)
            assert record.record_id is None  # its row waits in the queue
            eventually(lambda: services.scheduler.next_capture("sim-1"))  # scheduled anyway
            with pytest.raises(Unavailable, match=BUSY):
                services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"])
            (camera,) = services.overview.cameras()  # the overview answers, counts unknown
            assert (camera.info.camera_id, camera.actual_today) == ("sim-1", None)
            time.sleep(0.5)  # a few attempts fail while it is held
            assert station.index_repair.report is None
            other.release()
            eventually(lambda: problem(services) is None)
            assert services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"]).username == "ada"
            (found,) = eventually(lambda: services.captures.find(CaptureQuery()))
            assert (found.path, found.sha256) == (record.path, record.sha256)
            assert station.index_repair.wait(10) is not None  # checked once it opened
        finally:
            station.stop()


def test_a_directory_in_place_of_the_database_is_moved_aside_and_the_station_starts(tmp_path):
    home = tmp_path / "home"
    (home / "state.db").mkdir(parents=True)
    station, services = make_station(home)
    try:
        said = problem(services)
        assert "(state.db) was a directory, not a database file" in said
        assert "state.db.damaged-" in said and str(tmp_path) not in said
        assert services.users.needs_first_admin()
    finally:
        station.stop()


def test_a_database_in_the_way_that_cannot_be_moved_is_reported_until_it_is_gone(
    tmp_path, quick, monkeypatch
):
    home = tmp_path / "home"
    (home / "state.db").mkdir(parents=True)

    def refused(source, target):
        raise PermissionError(13, "Permission denied", str(source))

    monkeypatch.setattr(state_file.os, "rename", refused)
    station, services = make_station(home)
    try:
        station.start()
        said = problem(services)
        assert "cannot be opened (state.db was a directory" in said
        assert "capture goes on" in said and str(tmp_path) not in said
        assert services.cameras.capture("sim-1", SLOT).result(10)
        with pytest.raises(Unavailable, match="cannot be opened"):
            services.users.needs_first_admin()
        (home / "state.db").rmdir()  # someone clears the way
        said = eventually(lambda: "cannot be opened" not in (p := problem(services)) and p)
        assert "(state.db) was missing while images exist. A new one was made" in said
        assert eventually(lambda: services.captures.find(CaptureQuery()))
    finally:
        station.stop()


@pytest.mark.parametrize(
    "bad_id",
    [
        lambda path: path.write_bytes(b"\xff\xfe\x00garbage"),
        lambda path: path.write_bytes(b"\0" * 32),
        lambda path: (path.unlink(), path.mkdir()),
    ],
    ids=["not-text", "zero-filled", "directory"],
)
def test_a_bad_id_file_is_reported_as_itself_and_the_accounts_stay(tmp_path, bad_id):
    home = tmp_path / "home"
    with_admin(home)
    bad_id(home / state_file.ID_FILE)
    station, services = make_station(home)
    try:
        said = problem(services)
        assert said.startswith("state.db.id was") and "was written again" in said
        assert "A new one was made" not in said and "start empty" not in said
        assert services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"]).username == "ada"
    finally:
        station.stop()


def test_another_stations_database_is_reported_as_the_one_in_force(tmp_path):
    home, other = tmp_path / "home", tmp_path / "other"
    with_admin(home, "ada")
    with_admin(other, "otto")
    shutil.copyfile(other / "state.db", home / "state.db")
    station, services = make_station(home)
    try:
        said = problem(services)
        assert "is not the one this station last used" in said
        assert "its own 1 user account(s), 0 API token(s) and audit trail" in said
        assert "start empty" not in said and str(tmp_path) not in said
        assert services.login.login(Origin.KIOSK, "otto", PASSWORDS["ada"]).username == "otto"
    finally:
        station.stop()
