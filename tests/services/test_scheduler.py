"""The capture scheduler over a fake clock: exact slots, gaps, no bursts, isolation."""

import json
import time

import pytest

from eyepi_gui.domain.camera import CameraState
from eyepi_gui.domain.events import CaptureGap, CaptureScheduled, StorageAlert
from tests.principals import ADMIN
from tests.services.conftest import wait_idle


def drive(station, clock, until, skip=()):
    """Run the scheduler's policy from the fake clock's time to ``until``."""
    services = station.services
    while clock.now() < until:
        wake = services.scheduler.step(clock.now())
        wait_idle(services, skip=skip)
        clock.set(max(wake, clock.now() + 1e-3))


def scheduled(station, camera_id):
    home = station.home / "images" / camera_id
    docs = [json.loads(p.read_text()) for p in home.rglob("*.json")]
    return sorted(doc["scheduled_at"] for doc in docs if not doc["test_shot"])


def test_24_hours_at_60s_in_a_window_gives_exactly_the_expected_captures(station, clock):
    services = station.services
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 60, "window": "05:00-22:00"})
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    services.inventory.start()
    start = clock.now()
    drive(station, clock, start + 86400)
    times = scheduled(station, "sim-1")
    assert len(times) == len(set(times)) == 17 * 60
    assert times[0].startswith("2025-06-01T05:00:00") and times[-1].startswith(
        "2025-06-01T21:59:00"
    )
    assert services.overview.camera("sim-1").actual_today in (
        0,
        17 * 60,
    )  # day rolled over at the end


def test_a_hung_camera_does_not_shift_the_others_slots(station, clock, sim):
    services = station.services
    events = []
    services.bus.subscribe(events.append)
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(ADMIN, camera_id, {"interval_s": 60, "window": "always"})
    services.inventory.start()
    sim.faults("sim-2").hang()
    start = clock.now()
    drive(station, clock, start + 3600, skip={"sim-2"})
    docs = [json.loads(p.read_text()) for p in (station.home / "images" / "sim-1").rglob("*.json")]
    assert len(docs) == 60
    assert all(d["scheduled_at"] == d["taken_at"] for d in docs)  # captured at the slot, not after
    busy_gaps = [e for e in events if isinstance(e, CaptureGap) and e.camera_id == "sim-2"]
    assert len(busy_gaps) == 59 and all("busy" in g.reason for g in busy_gaps)
    assert services.cameras.status("sim-2").state.value in ("capturing", "error")


def test_a_long_sleep_is_one_gap_and_no_burst(station, clock):
    services = station.services
    events = []
    services.bus.subscribe(events.append)
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 60, "window": "always"})
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    services.inventory.start()
    drive(station, clock, clock.now() + 600)
    clock.set(clock.now() + 3 * 3600 + 5)  # the station was asleep for three hours
    drive(station, clock, clock.now() + 120)
    gaps = [e for e in events if isinstance(e, CaptureGap)]
    assert len(gaps) == 1 and gaps[0].missed == 180
    times = scheduled(station, "sim-1")
    assert len(times) == len(set(times)) == 10 + 1 + 2  # no made-up captures for the gap


def test_settings_change_applies_to_the_running_schedule_at_once(station, clock):
    services = station.services
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 3600, "window": "always"})
    services.inventory.start()
    services.scheduler.step(clock.now() + 1)
    before = services.scheduler.next_capture("sim-1")
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 300})
    after = services.scheduler.next_capture("sim-1")
    assert after != before and after % 300 == 0 and after - clock.now() <= 300


def test_disabling_a_camera_stops_its_schedule(station, clock):
    services = station.services
    services.inventory.start()
    services.scheduler.step(clock.now())
    assert services.scheduler.next_capture("sim-2") is not None
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    assert services.scheduler.next_capture("sim-2") is None


def test_capture_pauses_below_the_free_space_floor(tmp_path, clock, sim):
    from eyepi_gui.station import Station
    from tests.fakes import FakeVolume

    volume = FakeVolume(free=100 * 2**20)  # the disk is the one thing this test swaps
    station = Station(
        tmp_path / "h", clock=clock, fallback=sim, log_to_console=False, volume=volume
    )
    services = station.open()
    events = []
    services.bus.subscribe(events.append)
    services.config.update_camera(
        ADMIN, "sim-1", {"interval_s": 60, "window": "always", "resolution": "64x48"}
    )
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    services.inventory.start()
    try:
        drive(station, clock, clock.now() + 300)
        assert scheduled(station, "sim-1") == []
        assert services.scheduler.paused and services.overview.health().capture_paused
        volume.free = 10 * 2**30
        drive(station, clock, clock.now() + 120)
        assert len(scheduled(station, "sim-1")) == 2
        alerts = [e for e in events if isinstance(e, StorageAlert)]
        assert [a.paused for a in alerts] == [True, False]
        gaps = [e for e in events if isinstance(e, CaptureGap)]
        assert gaps and "free-space floor" in gaps[0].reason
    finally:
        station.stop()


def test_each_camera_announces_its_next_capture_at_start_and_after_a_change(station, clock):
    services = station.services
    events = []
    services.bus.subscribe(events.append)
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 300, "window": "06:00-18:00"})
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    services.inventory.start()
    services.scheduler.step(clock.now())
    announced = [e for e in events if isinstance(e, CaptureScheduled)]
    assert [(e.camera_id, e.local_time) for e in announced] == [("sim-1", "2025-06-01 06:00:00")]
    assert "next capture at 2025-06-01 06:00:00" in announced[0].message()
    services.config.update_camera(ADMIN, "sim-1", {"window": "always"})
    latest = [e for e in events if isinstance(e, CaptureScheduled)][-1]
    assert latest.next_due == services.scheduler.next_capture("sim-1")
    assert latest.local_time == "2025-06-01 00:00:00"


class FailsFor:
    """Wraps a service method so that it raises RuntimeError for one camera while ``on``."""

    def __init__(self, method, camera_id, message="boom\n\x1b[31m"):
        self.method, self.camera_id, self.message, self.on = method, camera_id, message, True

    def __call__(self, camera_id, *args):
        if self.on and camera_id == self.camera_id:
            raise RuntimeError(self.message)
        return self.method(camera_id, *args)


@pytest.mark.parametrize("where", ["config.camera", "cameras.capture", "index.latest"])
def test_one_cameras_failure_never_stops_anothers_schedule(station, clock, caplog, where):
    services = station.services
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(ADMIN, camera_id, {"interval_s": 60, "window": "always"})
    owner, name = where.split(".")
    target = {"config": services.config, "cameras": services.cameras}.get(owner)
    target = target or services.scheduler._index  # the index is reached only through it
    failing = FailsFor(getattr(target, name), "sim-2")
    setattr(target, name, failing)
    services.inventory.start()
    drive(station, clock, clock.now() + 600)
    docs = [json.loads(p.read_text()) for p in (station.home / "images" / "sim-1").rglob("*.json")]
    assert len(docs) == 10 and all(d["scheduled_at"] == d["taken_at"] for d in docs)
    status = services.cameras.status("sim-2")
    assert status.state is CameraState.ERROR and "schedule failed (RuntimeError" in status.detail
    assert status.detail.isprintable() and "\\n" in status.detail
    logged = [r for r in caplog.records if r.getMessage().startswith("camera 'sim-2'")]
    assert logged and all(r.getMessage().isprintable() for r in logged)

    failing.on = False  # mended: the camera is planned afresh within a minute, slots go on
    drive(station, clock, clock.now() + 300)
    assert services.cameras.status("sim-2").state is CameraState.IDLE
    assert len(scheduled(station, "sim-2")) >= 4


def test_the_scheduler_loop_survives_a_failing_step(station, clock, caplog):
    services = station.services
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 60, "window": "always"})
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    failing = FailsFor(lambda _: services.cameras.__class__.check_timeouts(services.cameras), 0)
    services.cameras.check_timeouts = lambda: failing(0)
    services.inventory.start()
    services.scheduler.start()
    deadline = time.monotonic() + 10
    while not any("scheduler step failed" in r.getMessage() for r in caplog.records):
        assert time.monotonic() < deadline, "the step never failed"
        time.sleep(0.01)
    failing.on = False
    while not scheduled(station, "sim-1"):
        assert time.monotonic() < deadline, "no capture after the failing steps"
        time.sleep(0.01)
    assert services.scheduler._thread.is_alive()


def test_a_camera_id_with_a_line_break_fails_alone(tmp_path, clock, caplog):
    """The report of issue 11: a network camera's id ended in a line break and the
    scheduler thread died with it; no camera captured again. Found first, it now keeps
    only itself out."""
    from eyepi_gui.station import Station
    from tests.fakes import PluggableBackend

    backend = PluggableBackend("opencv")
    backend.plug("net-1\n", "rtsp://camera.local/stream")
    backend.plug("usb-1", "usb:001,002")
    station = Station(
        tmp_path / "h", clock=clock, log_to_console=False, hardware=lambda settings: [backend]
    )
    services = station.open()
    try:
        services.config.update_camera(
            ADMIN, "usb-1", {"interval_s": 60, "window": "always", "resolution": "64x48"}
        )
        assert [c.camera_id for c in services.inventory.start()] == ["net-1\n", "usb-1"]
        drive(station, clock, clock.now() + 600)
        assert len(scheduled(station, "usb-1")) == 10
        assert [c.camera_id for c in services.cameras.cameras()] == ["usb-1"]
        assert any(
            r.getMessage() == "camera 'net-1\\n' could not be attached" for r in caplog.records
        )
    finally:
        station.stop()
