"""The free-space floor: every write is checked against the volume it goes to, writes in
flight are reserved, a camera's next capture is expected to be as large as its last."""

from pathlib import Path

import pytest

from eyepi_gui.errors import StorageError
from eyepi_gui.services.space import MIB, FreeSpace
from eyepi_gui.settings import StationSettings

IMAGES, LATEST = Path("/station/images"), Path("/station/latest")


class Settings:
    """The one thing FreeSpace reads from the settings service: the floor."""

    def __init__(self, floor_mib):
        self.station = StationSettings(free_space_floor_mib=floor_mib)

    def current(self):
        return self.station


class Disks:
    """Volumes whose free space the test sets (bytes), by the folder they hold."""

    def __init__(self, free, *, latest_free=None):
        self.free = {IMAGES: free, LATEST: free if latest_free is None else latest_free}
        self.separate = latest_free is not None

    def free_bytes(self, path):
        return self.free[path]

    def total_bytes(self, path):
        return 64 * MIB

    def volume_of(self, path):
        return 2 if self.separate and path == LATEST else 1


def space(free, floor_mib=10, **kw):
    return FreeSpace(Settings(floor_mib), Disks(free, **kw), IMAGES, LATEST)


def write(guard, camera_id, images, latest=0):
    """A capture written through ``guard``: ``images`` and ``latest`` bytes."""
    with guard.reserve(camera_id, {"images": images, "latest": latest}):
        pass


def test_a_capture_that_would_go_below_the_floor_is_refused_saying_free_space_and_floor():
    guard = space(12 * MIB)
    write(guard, "sim-1", MIB)
    with pytest.raises(StorageError) as refused:
        write(guard, "sim-1", 2 * MIB + 1)
    message = str(refused.value)
    assert "12 MiB free" in message and "10 MiB must stay free" in message
    assert "/station" not in message


def test_a_capture_being_written_holds_its_room_from_the_next():
    guard = space(13 * MIB)
    writing = guard.reserve("sim-1", {"images": 2 * MIB, "latest": 0})
    with writing, pytest.raises(StorageError, match=r"11 MiB free"):
        write(guard, "sim-2", 2 * MIB)
    write(guard, "sim-2", 2 * MIB)  # the first is done: its room is the disk's again


def test_the_next_capture_is_expected_to_be_as_large_as_the_last():
    disks = Disks(14 * MIB)
    guard = FreeSpace(Settings(10), disks, IMAGES, LATEST)
    assert guard.problem("sim-1") is None
    write(guard, "sim-1", MIB, MIB + 1)
    disks.free[IMAGES] = disks.free[LATEST] = 12 * MIB  # that capture took its room
    assert guard.problem("sim-2") is None  # nothing known of sim-2 yet
    assert "not enough space" in (guard.problem("sim-1") or "")
    assert guard.problem() == guard.problem("sim-1")  # the largest of all cameras
    with pytest.raises(StorageError, match=r"needs 2\.1 MiB"):  # rounded up
        guard.check("sim-1")


def test_at_the_floor_even_an_empty_write_is_refused():
    guard = space(10 * MIB - 1)
    assert "is at its free-space floor" in (guard.problem() or "")
    with pytest.raises(StorageError, match=r"9\.9 MiB free, 10 MiB must stay free"):
        guard.check("sim-1")


def test_latest_on_another_disk_is_checked_against_its_own_free_space():
    roomy_images = space(100 * MIB, latest_free=10 * MIB)
    with pytest.raises(StorageError, match="the disk of latest/"):
        write(roomy_images, "sim-1", 5 * MIB, 1)
    full_images = space(10 * MIB, latest_free=100 * MIB)
    with pytest.raises(StorageError, match="the disk of images/"):
        write(full_images, "sim-1", 1, 5 * MIB)
    same_disk = space(15 * MIB)
    with pytest.raises(StorageError, match=r"needs 6 MiB"):  # both on the one disk
        write(same_disk, "sim-1", 3 * MIB, 3 * MIB)
