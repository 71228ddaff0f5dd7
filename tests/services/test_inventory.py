"""The camera inventory: one list across backends, offline and back, stand-ins, rescans."""

import time

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.camera import CameraState
from eyepi_gui.domain.events import CamerasChanged, CaptureGap
from eyepi_gui.services.cameras import NOT_FOUND
from eyepi_gui.station import Station
from tests.fakes import FakeHasher, PluggableBackend
from tests.principals import ADMIN
from tests.services.conftest import wait_idle


@pytest.fixture
def usb():
    return PluggableBackend()


@pytest.fixture
def station(tmp_path, clock, usb):
    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=SimBackend(count=2, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        hardware=lambda settings: [usb],
    )
    station.open()
    yield station
    station.stop()


def ids(services):
    return sorted(info.camera_id for info in services.cameras.cameras())


def events_of(services, kind):
    seen = []
    services.bus.subscribe(lambda e: seen.append(e) if isinstance(e, kind) else None)
    return seen


def test_stand_ins_run_until_a_real_camera_appears(station, usb):
    services = station.services
    assert [i.camera_id for i in services.inventory.start(rescan_s=3600)] == ["sim-1", "sim-2"]
    usb.plug("usb-a", "1-1")
    changed = events_of(services, CamerasChanged)
    services.inventory.scan()
    assert ids(services) == ["usb-a"]
    assert changed[-1].added == ("usb-a",) and set(changed[-1].gone) == {"sim-1", "sim-2"}


def test_an_unplugged_camera_goes_offline_reports_gaps_and_comes_back_on_another_port(
    station, usb, clock
):
    services = station.services
    usb.plug("usb-a", "1-1")
    services.config.update_camera(ADMIN, "usb-a", {"interval_s": 60, "window": "always"})
    services.inventory.start(rescan_s=3600)
    gaps = events_of(services, CaptureGap)
    usb.unplug("usb-a")
    services.inventory.scan()
    status = services.cameras.status("usb-a")
    assert (status.state, status.detail) == (CameraState.OFFLINE, NOT_FOUND)
    assert ids(services) == ["usb-a"], "no stand-ins while a real camera is only offline"
    services.scheduler.step(clock.now())
    wait_idle(services)
    clock.set(services.scheduler.next_capture("usb-a"))
    services.scheduler.step(clock.now())
    wait_idle(services)
    deadline = time.monotonic() + 5
    while not gaps and time.monotonic() < deadline:
        time.sleep(0.01)
    assert gaps and gaps[-1].reason.startswith("camera offline")
    usb.plug("usb-a", "1-4")  # plugged into another port: same identity, same settings
    services.inventory.scan()
    assert services.cameras.status("usb-a").state is CameraState.IDLE
    assert services.config.camera("usb-a").interval_s == 60
    assert [i.port for i in services.cameras.cameras()] == ["1-4"]
    assert services.cameras.test_shot(ADMIN, "usb-a")


def test_rescans_close_together_share_one_scan(station, usb):
    services = station.services
    services.inventory.start(rescan_s=3600)
    before = usb.discover_calls
    services.inventory.rescan(ADMIN)
    services.inventory.rescan(ADMIN)
    assert usb.discover_calls == before


def test_a_camera_plugged_in_later_is_found_by_the_background_rescan(station, usb):
    services = station.services
    services.inventory.start(rescan_s=0.05)
    usb.plug("usb-b", "1-2")
    deadline = time.monotonic() + 5
    while "usb-b" not in ids(services) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert ids(services) == ["usb-b"]


def test_backend_status_lists_every_backend(station):
    station.services.inventory.start(rescan_s=3600)
    names = [status.name for status in station.services.inventory.backend_status()]
    assert names == ["usbcam", "sim"]


def test_formats_the_camera_cannot_deliver_are_refused_naming_the_field(station, usb):
    from eyepi_gui.errors import InvalidInput

    usb.plug("usb-a", "1-1")
    services = station.services
    services.inventory.start(rescan_s=3600)
    before = services.config.camera("usb-a")
    with pytest.raises(InvalidInput) as refused:
        services.config.update_camera(ADMIN, "usb-a", {"formats": ["jpg", "png"]})
    assert refused.value.field == "cameras.usb-a.formats"
    assert "delivers jpg only (not png)" in refused.value.reason
    assert services.config.camera("usb-a") == before
