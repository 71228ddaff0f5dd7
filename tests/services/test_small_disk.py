"""Free space on a real small disk: images/ is an 8 MiB tmpfs, the home stays on the big
disk. The floor applies to the disk images are written to, status shows that disk, a full
disk leaves no file behind, and no message names a path outside the home (issue 11)."""

import os
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eyepi_gui import doctor
from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.disk import StatvfsProbe
from eyepi_gui.adapters.images import ImageFolder
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.camera import CameraState
from eyepi_gui.domain.events import StorageAlert
from eyepi_gui.domain.sizes import mib
from eyepi_gui.errors import StorageError
from eyepi_gui.station import Station
from remote.app import create_app
from tests.fakes import FakeClock, FakeHasher
from tests.principals import ADMIN
from tests.remote.conftest import PASSWORDS, Web
from tests.small_disk import MIB, PAGE, fill, free_bytes, small_disk

pytestmark = pytest.mark.root
ENOSPC = re.compile(
    r"could not write images/sim-1/\d{4}-\d\d-\d\d/[\w.-]+_test(-\d+)?\.\w+: "
    r"No space left on device"
)


class LateProbe(StatvfsProbe):
    """statvfs, except that free space can be frozen at an earlier figure: the disk filled
    after the station looked (another program wrote to it)."""

    frozen: int | None = None

    def free_bytes(self, path):
        return super().free_bytes(path) if self.frozen is None else self.frozen


@pytest.fixture
def home(tmp_path):
    home = tmp_path / "home"
    with small_disk(home / "images", size_mib=8):
        yield home


@pytest.fixture
def probe():
    return LateProbe()


@pytest.fixture
def station(home, probe):
    clock = FakeClock(
        datetime(2026, 6, 1, 12, 0, tzinfo=ZoneInfo("Australia/Canberra")).timestamp()
    )
    station = Station(
        home,
        clock=clock,
        fallback=SimBackend(count=1, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        volume=probe,
    )
    services = station.open()
    services.config.update_camera(
        ADMIN, "sim-1", {"resolution": "64x48", "interval_s": 60, "window": "always"}
    )
    services.inventory.start()
    yield station
    station.stop()


@pytest.fixture
def api(station):
    services = station.services
    ada = services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    client = create_app(services, services.config.current().remote, testing=True).test_client()
    token = services.tokens.create(ada, "small disk test")[1]
    return client, {"Authorization": f"Bearer {token}"}


def files_under(home):
    return {p.relative_to(home).as_posix() for p in home.rglob("*") if p.is_file()}


def image_files(home):
    return {name for name in files_under(home) if name.startswith(("images/", "latest/"))}


def assert_no_absolute_path(text, home):
    assert str(home) not in text and str(home.resolve()) not in text, text
    assert not re.search(r"(^|[\s'\"(=])/[\w.-]", text), f"an absolute path in: {text}"


def test_below_the_floor_capture_pauses_test_shots_are_refused_and_status_shows_that_disk(
    station, home, api
):
    services, images, (client, bearer) = station.services, home / "images", api
    fill(images, leave=3 * MIB)
    services.config.update_station(ADMIN, {"free_space_floor_mib": 4})
    before = image_files(home)
    services.scheduler.step(station.clock.now() + 600)
    assert services.scheduler.paused

    health = services.overview.health()
    assert (health.free_bytes, health.total_bytes) == (free_bytes(images), 8 * MIB)
    assert free_bytes(home) > 100 * MIB, "the home is on the big disk"
    assert health.capture_paused and "3 MiB free" in (health.storage_problem or "")

    with pytest.raises(StorageError) as refused:
        services.cameras.test_shot(ADMIN, "sim-1")
    message = str(refused.value)
    assert "3 MiB free" in message and "4 MiB must stay free" in message
    assert services.cameras.status("sim-1").state is CameraState.IDLE  # the camera never fired

    answer = client.post("/api/v1/cameras/sim-1/test-shot", headers=bearer)
    assert answer.status_code == 507 and "4 MiB must stay free" in answer.get_json()["message"]
    status = client.get("/api/v1/status", headers=bearer)
    assert status.get_json()["free_bytes"] == free_bytes(images)
    assert status.get_json()["capture_paused"] is True

    assert image_files(home) == before, "nothing written, not even a part file"
    audit = services.audit.recent(ADMIN, 2)
    for text in (message, answer.get_data(as_text=True), status.get_data(as_text=True)):
        assert_no_absolute_path(text, home)
    for entry in audit:
        assert entry.action == "test_shot" and not entry.ok
        assert_no_absolute_path(entry.detail, home)
    dashboard = Web(client).login("ada").client.get("/").get_data(as_text=True)
    assert "capture paused" in dashboard and "4 MiB must stay free" in dashboard
    assert str(home) not in dashboard


def test_a_capture_that_would_cross_the_floor_waits_though_free_space_is_above_it(station, home):
    services, images = station.services, home / "images"
    services.config.update_station(ADMIN, {"free_space_floor_mib": 4})
    services.cameras.test_shot(ADMIN, "sim-1")  # how large this camera's captures are
    fill(images, leave=4 * MIB)  # at the floor, not below it: the next capture would cross it
    services.scheduler.step(station.clock.now() + 600)
    assert services.scheduler.paused
    problem = services.overview.health().storage_problem or ""
    assert "the next capture of sim-1 is expected to need" in problem
    fill(images, leave=5 * MIB)
    services.scheduler.step(station.clock.now() + 601)
    assert not services.scheduler.paused


def test_a_disk_that_fills_during_a_capture_keeps_no_file_of_it(station, home, probe, api):
    services, images, (client, bearer) = station.services, home / "images", api
    services.config.update_station(ADMIN, {"free_space_floor_mib": 0})
    first = services.cameras.test_shot(ADMIN, "sim-1")[0]
    fill(images, leave=-(-first.size // PAGE) * PAGE)  # room for the image, not its sidecar
    probe.frozen = 8 * MIB  # the station measured before another program filled the disk
    before = image_files(home)

    with pytest.raises(StorageError) as full:
        services.cameras.test_shot(ADMIN, "sim-1")
    assert ENOSPC.fullmatch(str(full.value)), str(full.value)
    answer = client.post("/api/v1/cameras/sim-1/test-shot", headers=bearer)
    assert answer.status_code == 507 and ENOSPC.fullmatch(answer.get_json()["message"])
    state = services.cameras.status("sim-1")
    assert state.state is CameraState.ERROR and ENOSPC.fullmatch(state.detail)

    assert image_files(home) == before, "the image written before the sidecar failed is gone"
    for text in (str(full.value), answer.get_data(as_text=True), state.detail):
        assert_no_absolute_path(text, home)
    (images / "filler.bin").unlink()
    probe.frozen = None
    assert services.cameras.test_shot(ADMIN, "sim-1")


def test_a_full_disk_refuses_a_write_naming_the_file_from_the_home(home):
    folder = ImageFolder(home)
    fill(home / "images", leave=PAGE)
    with pytest.raises(StorageError) as full:
        folder.write("sim-1/2026-06-01/big.jpg", os.urandom(3 * PAGE))
    assert str(full.value) == (
        "could not write images/sim-1/2026-06-01/big.jpg: No space left on device"
    )
    assert files_under(home) == {"images/filler.bin"}


def capture_bytes(home, records):
    """What a capture took: its images, its sidecar and the latest view (bytes)."""
    files = [Path(r.path) for r in records]
    files += [files[0].with_suffix(".json"), home / "latest" / f"{records[0].camera_id}.jpg"]
    return sum(path.stat().st_size for path in files)


@pytest.mark.parametrize(("floor_mib", "above_floor_pages"), [(2, 1), (0, 0)])
def test_a_pause_states_the_numbers_that_decide_it(station, home, floor_mib, above_floor_pages):
    """The tester saw "capture paused: 2 MiB free, floor 2 MiB" with 2.9 MiB free, and
    "1 MiB free, floor 0 MiB" where the real reason was the next capture's size."""
    services, images = station.services, home / "images"
    services.config.update_station(ADMIN, {"free_space_floor_mib": floor_mib})
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "1024x768"})
    shot = services.cameras.test_shot(ADMIN, "sim-1")
    size = capture_bytes(home, shot)
    leave = floor_mib * MIB + above_floor_pages * PAGE + (size // 2 // PAGE) * PAGE
    fill(images, leave=leave)  # above the floor, but the next capture would cross it
    alerts = []
    services.bus.subscribe(lambda e: alerts.append(e) if isinstance(e, StorageAlert) else None)
    services.scheduler.step(station.clock.now() + 600)
    assert services.scheduler.paused and len(alerts) == 1
    said = alerts[0].message()
    assert said.startswith("capture paused: not enough space on the disk of images/: ")
    assert f"{mib(free_bytes(images))} free" in said
    assert f"the next capture of sim-1 is expected to need {mib(size, up=True)}" in said
    assert f"and {floor_mib} MiB must stay free" in said
    assert_no_absolute_path(said, home)


def test_doctor_and_the_dashboard_tell_a_small_disk_in_mib(station, home, api):
    """An 8 MiB disk read "0.0 GiB of 0.0 GiB" (issue 11)."""
    client = api[0]
    fill(home / "images", leave=3 * MIB)
    said = doctor._space(home, 4 * MIB)
    assert said[0] == (
        "Free space for images: 3 MiB of 8 MiB, below the free-space floor of 4 MiB: capture pauses"
    )
    assert said[1].startswith("Free space on the home's own disk: ") and "GiB of" in said[1]
    dashboard = Web(client).login("ada").client.get("/").get_data(as_text=True)
    assert "3 MiB free for images" in dashboard and "0.0 GiB" not in dashboard
