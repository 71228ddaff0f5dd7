"""Capture health over a fake clock: "expected" counts only while the station ran and the
camera was enabled; the capture index is read with one query per camera."""

from datetime import datetime

from eyepi_gui.adapters.activity_db import ActivityDB
from eyepi_gui.adapters.capture_tally_db import CaptureTallyDB
from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.health import STATION, camera_subject
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.services.capture_health import CaptureHealth
from eyepi_gui.services.deferred_writes import DeferredWrites
from eyepi_gui.services.station_activity import HEARTBEAT_S, StationActivity
from tests.principals import ADMIN
from tests.services.conftest import TZ
from tests.services.test_scheduler import drive


def at(hour, minute=0, second=0):
    return datetime(2025, 6, 1, hour, minute, second, tzinfo=TZ).timestamp()


def only_sim_1(services, interval):
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": interval, "window": "always"})
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})


def test_a_camera_started_at_0153_every_5s_expects_slots_only_from_then(station, clock):
    services = station.services
    clock.set(at(1, 53))
    only_sim_1(services, 5)
    services.inventory.start()
    drive(station, clock, at(2, 3))
    camera = services.overview.camera("sim-1")
    assert camera.expected_so_far == 120  # 01:53:00 to 02:02:55, not 1,400 from midnight
    assert camera.actual_today == 120
    hours = camera.health.hours
    assert [(h.expected, h.taken) for h in hours[-3:]] == [(0, 0), (84, 84), (36, 36)]
    assert hours[-3].off_s == 3600 and not any(h.gap for h in hours)
    assert camera.health.last_capture_at == at(2, 2, 55)


def test_three_hours_with_the_station_off_are_off_not_missed(station, clock):
    services = station.services
    clock.set(at(4))
    only_sim_1(services, 60)
    services.inventory.start()
    drive(station, clock, at(5))
    services.scheduler.stop()  # the station stops at 05:00 ...
    clock.set(at(8))  # ... and starts again three hours later
    drive(station, clock, at(9, 30))
    hours = services.overview.capture_health("sim-1").hours
    by_hour = {datetime.fromtimestamp(h.start, TZ).hour: h for h in hours}
    assert by_hour[4].expected == by_hour[4].taken == 60
    for hour in (5, 6, 7):
        assert by_hour[hour].expected == 0 and not by_hour[hour].gap
        assert by_hour[hour].station_off_s == 3600
    assert by_hour[8].expected == by_hour[8].taken == 60
    assert by_hour[9].expected == 30


def test_a_camera_disabled_for_an_hour_is_not_expected_then(station, clock):
    services = station.services
    clock.set(at(10))
    only_sim_1(services, 60)
    services.inventory.start()
    drive(station, clock, at(11))
    services.config.update_camera(ADMIN, "sim-1", {"enabled": False})
    drive(station, clock, at(12))
    services.config.update_camera(ADMIN, "sim-1", {"enabled": True})
    drive(station, clock, at(12, 10))
    hours = services.overview.capture_health("sim-1").hours
    assert [(h.expected, h.taken) for h in hours[-3:]] == [(60, 60), (0, 0), (10, 10)]
    assert hours[-2].off_s == 3600 and hours[-2].station_off_s == 0
    assert services.overview.camera("sim-1").expected_so_far == 70


def test_a_crash_ends_the_run_at_its_last_heartbeat(tmp_path):
    db = StateDB(tmp_path / "state.db")
    log = ActivityDB(db)
    activity = StationActivity(log, DeferredWrites())
    for minute in range(10):
        activity.beat(1000.0 + minute * 30, ["cam"])
    del activity  # the process died: no stop
    spans = log.spans(0, 10_000)
    assert spans[STATION][0].start == 1000.0
    # beats every 30 s until 1270: the last one written (every HEARTBEAT_S) was at 1240
    assert spans[camera_subject("cam")][0].stop == 1000.0 + 4 * HEARTBEAT_S
    db.close()


def test_a_sleeping_machine_starts_a_new_run(tmp_path):
    db = StateDB(tmp_path / "state.db")
    log = ActivityDB(db)
    activity = StationActivity(log, DeferredWrites())
    activity.beat(1000.0, [])
    activity.beat(1060.0, [])
    activity.beat(1060.0 + 3600, [])  # woke an hour later
    activity.stop(1060.0 + 3700)
    starts_stops = [(s.start, s.stop) for s in log.spans(0, 10_000)[STATION]]
    assert starts_stops == [(1000.0, 1060.0), (4660.0, 4760.0)]
    db.close()


class CountingDB(StateDB):
    """The real state.db, counting the statements that read the capture index."""

    capture_reads = 0

    def fetch(self, sql, args=(), **kw):
        self.capture_reads += "FROM captures" in sql
        return super().fetch(sql, args, **kw)


def test_the_index_is_read_once_per_camera_for_24_hours(station, clock, tmp_path):
    services = station.services
    db = CountingDB(tmp_path / "count.db")
    index = CapturesDB(db)
    now = at(23, 30)
    clock.set(now)
    for minute in range(24 * 60):
        slot = now - 86400 + minute * 60
        path = str(tmp_path / "images" / "sim-1" / f"{minute}.jpg")
        index.add(CaptureRecord("sim-1", path, slot, slot + 0.5, 10, "x" * 64))
    activity = StationActivity(ActivityDB(db), DeferredWrites())
    activity.beat(now - 86400, ["sim-1"])
    only_sim_1(services, 60)
    health = CaptureHealth(services.config, CaptureTallyDB(db), ActivityDB(db), activity, clock)
    db.capture_reads = 0
    result = health.camera("sim-1")
    assert db.capture_reads == 1
    assert result.taken == result.expected == 23 * 60 + 30 and result.gaps == 0  # from 00:00
    assert result.last_capture_at == now - 60 + 0.5
    db.close()
