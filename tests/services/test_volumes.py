"""VolumeService: the data disk and removable drives, and days until the data disk is full
from the index's real sizes per camera and each camera's schedule (fake index and disk), on
FakeVolumes and on a real loop-device stick."""

from datetime import UTC, datetime

import pytest

from eyepi_gui.adapters.accounts_db import AccountsDB
from eyepi_gui.adapters.blockdev import BlockDevices
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.mounts import RemovableVolumes
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.errors import CommandFailed, Unavailable
from eyepi_gui.services.access import AccessControl
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.services.volumes import FORECAST_FILES, VolumeService
from eyepi_gui.station import Station
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeClock, FakeVolume
from tests.principals import ADMIN

MB = 10**6
MIB = 2**20
NOON = datetime(2025, 6, 1, 12, 0, tzinfo=UTC).timestamp()


class FakeSizes:
    """A CaptureSizes: per camera, (slot, bytes) of its files newest first."""

    def __init__(self):
        self.files = {}
        self.busy = False
        self.asked = []

    def captured(self, camera_id, slots, *sizes):
        """``slots`` captures, each of files of ``sizes``, newest first."""
        rows = [(NOON - i * 300.0, size) for i in range(slots) for size in sizes]
        self.files[camera_id] = rows

    def recent_sizes(self, camera_id, limit):
        self.asked.append(limit)
        if self.busy:
            raise Unavailable("state.db is held by another process")
        return self.files.get(camera_id, [])[:limit]


class ListingFails(FakeVolumes):
    def volumes(self):
        raise CommandFailed("lsblk", "not installed (/usr/bin/lsblk is missing)")


@pytest.fixture
def world(tmp_path):
    accounts = AccountsDB(StateDB(tmp_path / "state.db"))
    access = AccessControl(accounts)
    config = SettingsService(
        AtomicTextFile(tmp_path / "station.toml"),
        EventBus(),
        UTC,
        access,
        AuditLog(accounts, FakeClock(0), access),
    )
    config.load()
    disk = FakeVolume(free=10_000 * MB + 500 * MIB)
    images = tmp_path / "images"
    space = FreeSpace(config, disk, images, tmp_path / "latest")
    sizes, drives, cameras = FakeSizes(), FakeVolumes(tmp_path / "mnt"), ["a", "b"]
    service = VolumeService(drives, sizes, config, space, lambda: cameras, FakeClock(NOON), images)
    return service, config, sizes, drives, disk, cameras


def set_camera(config, camera_id, **changes):
    config.update_camera(ADMIN, camera_id, changes)


def test_days_until_full_from_sizes_per_camera_and_schedules(world):
    service, config, sizes, _, _, _ = world
    set_camera(config, "a", interval_s=300, window="always")  # 288 a day
    set_camera(config, "b", interval_s=600, window="06:00-18:00", formats=["jpg", "png"])  # 72
    sizes.captured("a", 10, 2 * MB)
    sizes.captured("b", 10, 1 * MB, 3 * MB)
    forecast = service.forecast()
    a, b = forecast.cameras
    assert (a.camera_id, a.captures_per_day, a.bytes_per_capture) == ("a", 288, 2 * MB)
    assert (b.camera_id, b.captures_per_day, b.bytes_per_capture) == ("b", 72, 4 * MB)
    assert forecast.bytes_per_day == 576 * MB + 288 * MB
    assert forecast.floor == 500 * MIB and forecast.free == 10_000 * MB + 500 * MIB
    assert forecast.days_until_full == pytest.approx(10_000 / 864)
    assert sizes.asked == [FORECAST_FILES, FORECAST_FILES]


def test_a_window_counts_only_its_hours_whenever_asked(world):
    service, config, sizes, _, _, cameras = world
    cameras[:] = ["b"]
    set_camera(config, "b", interval_s=3600, window="22:00-02:00")  # crosses midnight: 4 a day
    sizes.captured("b", 3, MB)
    assert service.forecast().cameras[0].captures_per_day == 4


def test_the_mean_is_of_the_newest_files_only(world):
    service, config, sizes, _, _, cameras = world
    cameras[:] = ["a"]
    set_camera(config, "a", interval_s=300, window="always")
    sizes.files["a"] = [(NOON - i, 4 * MB) for i in range(FORECAST_FILES)]
    sizes.files["a"] += [(0.0, 400 * MB)]  # an old, huge capture beyond the limit
    assert service.forecast().cameras[0].bytes_per_capture == 4 * MB


def test_nothing_capturing_gives_no_forecast(world):
    service, config, sizes, _, _, cameras = world
    set_camera(config, "a", enabled=False)
    set_camera(config, "b", enabled=False)
    sizes.captured("a", 5, MB)
    sizes.captured("b", 5, MB)
    forecast = service.forecast()
    assert forecast.days_until_full is None
    assert [c.captures_per_day for c in forecast.cameras] == [0, 0]
    cameras.clear()
    assert service.forecast().days_until_full is None and service.forecast().cameras == ()


def test_a_camera_not_measured_yet_is_said_and_left_out(world):
    service, _, sizes, _, _, _ = world
    sizes.captured("a", 5, MB)  # "b" has taken nothing yet
    forecast = service.forecast()
    assert forecast.cameras[1].bytes_per_capture is None
    assert forecast.cameras[1].bytes_per_day is None
    assert forecast.bytes_per_day == forecast.cameras[0].bytes_per_day


def test_a_camera_keeping_only_its_latest_adds_nothing(world):
    service, config, sizes, _, _, cameras = world
    cameras[:] = ["a"]
    set_camera(config, "a", keep="latest")
    sizes.captured("a", 5, MB)
    assert service.forecast().days_until_full is None


def test_the_floor_is_kept_free(world):
    service, config, sizes, _, disk, cameras = world
    cameras[:] = ["a"]
    set_camera(config, "a", interval_s=86400, window="always")  # one a day
    sizes.captured("a", 3, 100 * MIB)
    config.update_station(ADMIN, {"free_space_floor_mib": 1000})
    disk.free = 1500 * MIB
    assert service.forecast().days_until_full == pytest.approx(5.0)
    disk.free = 900 * MIB
    assert service.forecast().days_until_full == 0.0


def test_a_busy_index_leaves_cameras_unmeasured(world):
    service, _, sizes, _, _, _ = world
    sizes.captured("a", 5, MB)
    sizes.busy = True
    forecast = service.forecast()
    assert forecast.days_until_full is None
    assert all(c.bytes_per_capture is None for c in forecast.cameras)


def test_volumes_are_the_data_disk_and_the_removable_drives(world):
    service, _, _, drives, _, _ = world
    drives.plug(stick("sda1"))
    found = service.volumes()
    assert found.data_disk == drives.data_disk and not found.data_disk.removable
    assert [v.device for v in found.removable] == ["/dev/sda1"]
    assert found.problem is None


def test_drives_that_cannot_be_listed_leave_the_data_disk(world, tmp_path):
    service = VolumeService(
        ListingFails(tmp_path), FakeSizes(), *world[1:2], None, list, FakeClock(0), tmp_path
    )
    found = service.volumes()
    assert found.removable == () and "lsblk: not installed" in found.problem
    assert found.data_disk.device == "/dev/mmcblk0p2"


def test_a_real_stick_is_offered_and_the_data_disk_measured(make_usb_stick, tmp_path):
    made = make_usb_stick("exfat")
    runner = station_runner()
    devices = BlockDevices(runner, home=tmp_path, extra_removable=[made.name])
    drives = RemovableVolumes(runner, devices, tmp_path / "mnt")
    service = VolumeService(drives, FakeSizes(), None, None, list, FakeClock(0), tmp_path)
    found = service.volumes()
    assert [(v.device, v.fstype, v.label) for v in found.removable] == [
        (made.device, "exfat", "EYEPI TEST")
    ]
    assert found.data_disk.free > 0 and found.data_disk.size >= found.data_disk.free
    drives.mount(made.device)
    (mounted,) = service.volumes().removable
    assert 50 * MIB < mounted.free <= 64 * MIB
    drives.unmount(made.device)


def test_the_station_wires_volumes_to_its_own_index(tmp_path):
    drives = FakeVolumes(tmp_path / "mnt")
    drives.plug(stick("sdc1"))
    station = Station(
        tmp_path / "home",
        clock=FakeClock(NOON),
        log_to_console=False,
        volume=FakeVolume(),
        drives=drives,
    )
    services = station.open()
    try:
        assert [v.device for v in services.volumes.volumes().removable] == ["/dev/sdc1"]
        forecast = services.volumes.forecast()  # no camera started: nothing measured
        assert forecast.days_until_full is None and forecast.free == FakeVolume().free
    finally:
        station.stop()
