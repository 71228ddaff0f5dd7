"""The free-space floor: every write is checked against the volume it goes to, writes in
flight are reserved, a camera's next capture is expected to be as large as its last."""

import re
from pathlib import Path

import pytest

from eyepi_gui.domain.events import StorageAlert
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
    with pytest.raises(StorageError, match=r"sim-1 is expected to need 2\.1 MiB"):  # rounded up
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


NUMBERS = re.compile(r"([\d,.]+) MiB free, (?:.* needs? ([\d,.]+) MiB.* and )?([\d,]+) MiB must")


def shown(message):
    """(free, need, floor) in MiB as a refusal states them (need 0 when not stated)."""
    free, need, floor = NUMBERS.search(message).groups()
    return tuple(float((n or "0").replace(",", "")) for n in (free, need, floor))


def after_a_capture(need, free, floor_mib):
    """A guard that saw sim-1 write ``need`` bytes, on a disk now with ``free`` bytes free."""
    disks = Disks(need + (floor_mib + 1) * MIB)
    guard = FreeSpace(Settings(floor_mib), disks, IMAGES, LATEST)
    write(guard, "sim-1", need)
    disks.free[IMAGES] = disks.free[LATEST] = free
    return guard


@pytest.mark.parametrize("floor_mib", [0, 2, 10])
def test_the_numbers_a_refusal_states_always_bear_it_out(floor_mib):
    """Free space rounds down, a need rounds up: "2 MiB free, floor 2 MiB" with 2.9 MiB
    free (issue 11) cannot happen, nor a need that seems to fit."""
    for free in range(0, 14 * MIB, 97_003):
        for need in (0, 1, MIB // 3, MIB, 3 * MIB + 5):
            problem = after_a_capture(need, free, floor_mib).problem("sim-1")
            if problem is None:
                assert free - need >= floor_mib * MIB
                continue
            free_shown, need_shown, floor_shown = shown(problem)
            assert free_shown <= free / MIB and need_shown >= (need / MIB if need_shown else 0)
            assert floor_shown == floor_mib
            assert free_shown - need_shown < floor_shown, problem


def test_when_the_expected_next_capture_is_the_reason_the_message_says_so_with_its_size():
    guard = after_a_capture(2 * MIB, MIB + MIB // 2, floor_mib=0)
    assert guard.problem("sim-1") == (
        "not enough space on the disk of images/: 1.5 MiB free, the next capture of sim-1 "
        "is expected to need 2 MiB (as large as its last) and 0 MiB must stay free "
        "(free_space_floor_mib)"
    )
    assert guard.problem() == guard.problem("sim-1"), "the camera with the largest capture"
    with pytest.raises(StorageError, match=r"this capture needs 1\.6 MiB"):
        write(guard, "sim-2", MIB + MIB // 2 + 1)


def test_a_storage_alert_states_the_reason_and_never_rounds_into_a_contradiction():
    reason = "not enough space on the disk of images/: 2.9 MiB free, ..."
    paused = StorageAlert(int(2.95 * MIB), 2 * MIB, True, reason)
    assert paused.message() == f"capture paused: {reason}"
    resumed = StorageAlert(int(2.95 * MIB), 2 * MIB, False)
    assert resumed.message() == (
        "capture resumed: 2.9 MiB free, 2 MiB must stay free (free_space_floor_mib)"
    )
