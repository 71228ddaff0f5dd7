"""Camera service: test shots, keep-latest, faults, timeouts, offline and back."""

import json
import time
from pathlib import Path

import pytest

from eyepi_gui.domain.camera import CameraState
from eyepi_gui.domain.events import CameraStateChanged, CaptureFailed
from eyepi_gui.errors import Busy, CameraFault, InvalidInput, NotFound, Unavailable
from tests.principals import ADMIN
from tests.services.conftest import wait_idle


@pytest.fixture
def services(station):
    station.services.inventory.start()
    return station.services


def test_test_shot_writes_image_sidecar_and_latest_but_is_not_counted(services, station):
    records = services.cameras.test_shot(ADMIN, "sim-1")
    image = Path(records[0].path)
    assert image.name.endswith("_test.jpg") and image.exists()
    doc = json.loads(image.with_suffix(".json").read_text())
    assert doc["test_shot"] is True and doc["scheduled_at"] is None
    assert (station.home / "latest" / "sim-1.jpg").read_bytes() == image.read_bytes()
    assert services.overview.camera("sim-1").actual_today == 0


def test_two_shots_in_the_same_second_never_overwrite(services):
    first = services.cameras.test_shot(ADMIN, "sim-1")[0].path
    second = services.cameras.test_shot(ADMIN, "sim-1")[0].path
    assert first != second and Path(first).exists() and Path(second).exists()


def test_keep_latest_leaves_only_the_newest_image(services, station, clock):
    services.config.update_camera(ADMIN, "sim-1", {"keep": "latest", "formats": ["jpg", "png"]})
    for _ in range(3):
        services.cameras.test_shot(ADMIN, "sim-1")
        clock.set(clock.now() + 1)
    files = sorted(p.suffix for p in (station.home / "images" / "sim-1").rglob("*.*"))
    assert files == [".jpg", ".json", ".png"]


def test_a_failed_capture_is_reported_and_the_next_one_works(services, sim):
    events = []
    services.bus.subscribe(events.append)
    sim.faults("sim-1").fail_next("shutter stuck")
    with pytest.raises(CameraFault, match="shutter stuck"):
        services.cameras.test_shot(ADMIN, "sim-1")
    assert services.cameras.status("sim-1").state is CameraState.ERROR
    assert any(isinstance(e, CaptureFailed) and "shutter stuck" in e.reason for e in events)
    services.cameras.test_shot(ADMIN, "sim-1")
    assert services.cameras.status("sim-1").state is CameraState.IDLE


def test_an_unplugged_camera_goes_offline_and_comes_back(services, sim):
    sim.faults("sim-2").unplug()
    with pytest.raises(Unavailable):
        services.cameras.test_shot(ADMIN, "sim-2")
    assert services.cameras.status("sim-2").state is CameraState.OFFLINE
    sim.faults("sim-2").replug()
    services.cameras.test_shot(ADMIN, "sim-2")
    assert services.cameras.status("sim-2").state is CameraState.IDLE


def test_a_hung_camera_times_out_refuses_more_work_and_others_go_on(services, sim):
    services.config.update_station(ADMIN, {"capture_timeout_s": 1})
    events = []
    services.bus.subscribe(events.append)
    sim.faults("sim-2").hang()
    services.cameras.capture("sim-2", None)
    with pytest.raises(Busy):
        services.cameras.capture("sim-2", None)
    services.cameras.test_shot(ADMIN, "sim-1")  # the other camera is not held up
    time.sleep(1.2)
    services.cameras.check_timeouts()
    status = services.cameras.status("sim-2")
    assert status.state is CameraState.ERROR and "timed out" in status.detail
    assert any(isinstance(e, CameraStateChanged) and e.state == "error" for e in events)
    sim.faults("sim-2").release()
    wait_idle(services)
    assert not (Path(services.overview.camera("sim-2").latest_image or "/nonexistent")).exists()


def test_unknown_camera_is_not_found(services):
    with pytest.raises(NotFound):
        services.cameras.test_shot(ADMIN, "nope")
    with pytest.raises(NotFound):
        services.overview.camera("nope")


def test_a_resolution_beyond_the_camera_is_refused_on_save(services, station):
    before = (station.home / "station.toml").read_bytes()
    with pytest.raises(InvalidInput) as err:
        services.config.update_camera(ADMIN, "sim-1", {"resolution": "6000x4000"})
    assert err.value.field == "cameras.sim-1.resolution" and "4056x3040" in err.value.reason
    assert (station.home / "station.toml").read_bytes() == before


def test_camera_native_files_are_kept_and_a_missing_format_is_a_fault():
    from eyepi_gui.domain.camera import StillImage
    from eyepi_gui.errors import CameraFault
    from eyepi_gui.services.capture_files import kept_extensions

    still = StillImage({"jpg": b"j", "nef": b"raw"}, 10, 10)
    assert kept_extensions(still, ("jpg",)) == ["jpg", "nef"]
    with pytest.raises(CameraFault, match="no png"):
        kept_extensions(still, ("png",))


def test_a_cameras_own_settings_are_read_and_changed_on_its_worker(services):
    settings = {s.name: s for s in services.cameras.device_settings("sim-1")}
    assert settings["iso"].choices and settings["model"].read_only
    changed = services.cameras.set_device_setting(ADMIN, "sim-1", "iso", "800")
    assert changed.value == "800"
    assert {s.name: s.value for s in services.cameras.device_settings("sim-1")}["iso"] == "800"
    with pytest.raises(InvalidInput) as refused:
        services.cameras.set_device_setting(ADMIN, "sim-1", "iso", "12345")
    assert refused.value.field == "iso"
    audit = [(e.action, e.ok, e.detail) for e in services.audit.recent(ADMIN, 2)]
    assert audit[0][:2] == ("camera_setting", False) and audit[1] == (
        "camera_setting",
        True,
        "iso = 800",
    )


def test_after_a_camera_fault_the_next_command_opens_the_camera_afresh(services, sim):
    opened = []
    real_open = sim.open
    sim.open = lambda camera_id: opened.append(camera_id) or real_open(camera_id)
    sim.faults("sim-1").fail_next("driver stuck")
    with pytest.raises(CameraFault):
        services.cameras.test_shot(ADMIN, "sim-1")
    assert services.cameras.test_shot(ADMIN, "sim-1")
    assert opened == ["sim-1"], "the failed device was closed and opened again"
    assert services.cameras.status("sim-1").state is CameraState.IDLE
    values_before = services.cameras.device_settings("sim-1")
    with pytest.raises(InvalidInput):
        services.cameras.set_device_setting(ADMIN, "sim-1", "iso", "not a choice")
    assert services.cameras.device_settings("sim-1") == values_before
    assert opened == ["sim-1"], "a refused value is not a fault: the camera stays open"
