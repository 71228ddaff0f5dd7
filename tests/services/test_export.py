"""USB export end to end on real loop-device sticks (ext4, exFAT through FUSE): a day of a
sim camera copied, verified from the device, recorded, ejected; a stick pulled mid-copy
resumes; a bit flipped on the device is caught and named; read-only, blank and
symlinked sticks are refused with nothing written where it must not be."""

import os
import threading
from pathlib import Path

import pytest

from eyepi_gui.adapters.stick_files import StickFolder
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.errors import Busy, InvalidInput, NotFound
from tests.export_world import DAY, ExportWorld, sources
from tests.principals import ADMIN


@pytest.fixture
def world(tmp_path, usb_stick):
    made = ExportWorld(tmp_path / "home", usb_stick)
    yield made
    made.close()


def export_day(service, world, **selection):
    selection = selection or {"cameras": ["sim-1"], "first_day": DAY, "last_day": DAY}
    return world.wait(service.export(ADMIN, world.stick.device, **selection))


def test_a_day_of_a_sim_camera_is_copied_verified_recorded_and_ejected(world):
    captured = sources(world, world.day(12))
    job = export_day(world.services.export, world)
    assert job.state is JobState.DONE, job.error
    assert "12 files" in job.result and job.result.endswith("safe to remove")
    assert world.stick.mounts() == [], "ejected: unmounted before the job said so"
    assert job.progress.items_done == 12 and job.progress.bytes_done == 2 * sum(
        os.path.getsize(world.home / "images" / r) for r in captured
    )
    _, files, manifest = world.on_stick()
    assert files == captured == manifest
    world.drives.unmount(world.stick.device)
    (record,) = world.services.export.history()
    assert (record.files, record.outcome, record.by, record.job_id) == (
        12,
        "done",
        ADMIN.label,
        job.job_id,
    )
    assert record.fstype == world.stick.fstype and record.label == "EYEPI TEST"


def test_not_yet_exported_takes_only_what_no_stick_has(world):
    world.day(3)
    first = export_day(world.services.export, world, not_exported=True)
    assert first.state is JobState.DONE and "4 files" in first.result  # sim-2's one too
    again = export_day(world.services.export, world, not_exported=True)
    assert again.state is JobState.FAILED and "nothing to export" in again.error


class PullingTarget(StickFolder):
    """The real stick folder; the stick is pulled out in the middle of the ``at``-th copy,
    once a batch was verified and listed (read-back runs beside the copy: without waiting,
    how many were verified by then would be chance)."""

    def __init__(self, mountpoint, device, stick, at):
        super().__init__(mountpoint, device)
        self.stick, self.at, self.copies = stick, at, 0
        self.listed = threading.Event()

    def sync_manifest(self):
        super().sync_manifest()
        self.listed.set()

    def copy(self, source, relative, tick):
        self.copies += 1

        def pull_then_tick(size):
            if self.copies == self.at and self.stick.device is not None:
                assert self.listed.wait(10), "no batch was verified"
                self.stick.pull()
            tick(size)

        return super().copy(source, relative, pull_then_tick)


def test_a_stick_pulled_mid_copy_keeps_no_incomplete_file_and_resumes(world):
    captured = sources(world, world.day(10))
    stick = world.stick
    service = world.service(lambda m, d: PullingTarget(m, d, stick, at=6))
    job = export_day(service, world)
    assert job.state is JobState.FAILED
    assert "pulled out?)" in job.error and "plug it back in" in job.error
    stick.reinsert()
    _, files, manifest = world.on_stick()
    assert files, "the first batches reached the stick"
    for relative, digest in files.items():
        assert digest == captured[relative], f"{relative} is incomplete under its final name"
    assert manifest and manifest.items() <= captured.items(), "verified batches are listed"
    world.drives.unmount(stick.device)
    resumed = export_day(world.service(), world)
    assert resumed.state is JobState.DONE, resumed.error
    assert f"{len(manifest)} already there" in resumed.result
    _, files, manifest = world.on_stick()
    assert files == captured == manifest
    world.drives.unmount(stick.device)


class FlippingTarget(StickFolder):
    """The real stick folder; one bit of ``victim`` is flipped on the device before it is
    read back."""

    def __init__(self, mountpoint, device, stick, victim):
        super().__init__(mountpoint, device)
        self.mountpoint, self.stick, self.victim = mountpoint, stick, victim

    def verify(self, relative, tick):
        if relative == self.victim:
            self.stick.flip_bit(self.mountpoint / "eyepi" / relative)
        return super().verify(relative, tick)


def test_a_bit_flipped_on_the_stick_after_copy_is_caught_and_named(world):
    captured = sources(world, world.day(5))
    victim = sorted(captured)[2]
    service = world.service(lambda m, d: FlippingTarget(m, d, world.stick, victim))
    job = export_day(service, world)
    assert job.state is JobState.FAILED
    assert victim in job.error and "failed verification" in job.error
    assert job.error.endswith("safe to remove") and world.stick.mounts() == []
    _, files, manifest = world.on_stick()
    assert victim not in files and victim not in manifest
    assert files == manifest == {r: d for r, d in captured.items() if r != victim}
    world.drives.unmount(world.stick.device)


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)  # exFAT has no links
def test_a_symlink_to_etc_on_the_stick_is_never_followed(world):
    world.day(2)
    mounted = world.drives.mount(world.stick.device)
    os.symlink("/etc", mounted / "eyepi")
    world.drives.unmount(world.stick.device)
    etc_before = sorted(os.listdir("/etc"))
    job = export_day(world.services.export, world)
    assert job.state is JobState.FAILED and "link" in job.error
    assert sorted(os.listdir("/etc")) == etc_before
    assert not Path("/etc/sim-1").exists()


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)  # exFAT has no links
def test_a_symlink_under_a_file_name_is_replaced_not_written_through(world, tmp_path):
    captured = sources(world, world.day(2))
    relative = sorted(captured)[0]
    outside = tmp_path / "outside"
    mounted = world.drives.mount(world.stick.device)
    (mounted / "eyepi" / relative).parent.mkdir(parents=True)
    os.symlink(outside, mounted / "eyepi" / relative)
    world.drives.unmount(world.stick.device)
    job = export_day(world.services.export, world)
    assert job.state is JobState.DONE, job.error
    assert not outside.exists()
    _, files, _ = world.on_stick()
    assert files == captured
    world.drives.unmount(world.stick.device)


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)
def test_an_export_to_a_stick_already_being_written_is_busy(world):
    world.day(2)
    service = world.services.export
    first = service.export(ADMIN, world.stick.device, not_exported=True)
    with pytest.raises(Busy):
        service.export(ADMIN, world.stick.device, not_exported=True)
    world.wait(first)


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)
@pytest.mark.parametrize(
    ("device", "selection", "field"),
    [
        ("sdb1", {"not_exported": True}, "device"),
        ("/dev/../sda", {"not_exported": True}, "device"),
        (None, {"cameras": ["sim-9"], "not_exported": True}, "cameras"),
        (None, {"cameras": ["sim-1", "sim-1"], "not_exported": True}, "cameras"),
        (None, {"first_day": "2025-6-1", "last_day": DAY}, "first_day"),
        (None, {"first_day": DAY, "last_day": "2025-02-30"}, "last_day"),
        (None, {"first_day": DAY, "last_day": "2025-05-31"}, "last_day"),
        (None, {"first_day": DAY}, "last_day"),
        (None, {"first_day": DAY, "last_day": DAY, "not_exported": True}, "not_exported"),
    ],
)
def test_bad_input_is_refused_naming_the_field_and_starts_nothing(world, device, selection, field):
    with pytest.raises(InvalidInput) as refused:
        world.services.export.export(ADMIN, device or world.stick.device, **selection)
    assert refused.value.field == field
    assert world.services.jobs.jobs() == []


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)
def test_a_drive_not_plugged_in_or_not_removable_is_refused(world):
    with pytest.raises(NotFound):
        world.services.export.export(ADMIN, "/dev/sdz9", not_exported=True)
    disk = world.drives.holding(world.home).device
    with pytest.raises((InvalidInput, NotFound)):
        world.services.export.export(ADMIN, disk, not_exported=True)


@pytest.fixture
def odd_world(tmp_path, make_usb_stick, request):
    made = ExportWorld(tmp_path / "home", make_usb_stick(**request.param))
    yield made
    made.close()


@pytest.mark.parametrize("odd_world", [{"fstype": "ext4", "read_only": True}], indirect=True)
def test_a_read_only_stick_is_refused_and_left_unmounted(odd_world):
    odd_world.day(2)
    job = export_day(odd_world.services.export, odd_world)
    assert job.state is JobState.FAILED and "read-only" in job.error
    assert odd_world.stick.mounts() == []
    (record,) = odd_world.services.export.history() or [None]
    assert record is None, "nothing was exported, so nothing is recorded"


@pytest.mark.parametrize("odd_world", [{"fstype": None}], indirect=True)
def test_a_stick_without_a_filesystem_is_refused_saying_so(odd_world):
    odd_world.day(1)
    job = export_day(odd_world.services.export, odd_world)
    assert job.state is JobState.FAILED and "no filesystem" in job.error
    assert odd_world.stick.mounts() == []


@pytest.mark.parametrize("odd_world", [{"fstype": "exfat", "size_mib": 8}], indirect=True)
def test_a_stick_too_small_is_refused_before_anything_is_written(odd_world):
    odd_world.resolution = "1920x1080"
    odd_world.services.config.update_camera(ADMIN, "sim-1", {"formats": ["png"]})
    assert sum(os.path.getsize(p) for p in odd_world.day(6)) > 8 * 2**20
    job = export_day(odd_world.services.export, odd_world)
    assert job.state is JobState.FAILED and "free, the export needs" in job.error
    _, files, _ = odd_world.on_stick()
    assert files == {}
    odd_world.drives.unmount(odd_world.stick.device)


@pytest.mark.parametrize("usb_stick", ["exfat"], indirect=True)
def test_a_cancelled_export_ends_unmounted_and_says_so_in_the_history(world):
    world.day(4)

    class Slow(StickFolder):
        def copy(self, source, relative, tick):
            world.services.jobs.cancel(ADMIN, job_id[0])
            return super().copy(source, relative, tick)

    job_id = []
    service = world.service(Slow)
    job_id.append(service.export(ADMIN, world.stick.device, not_exported=True).job_id)
    job = world.wait(world.services.jobs.job(job_id[0]))
    assert job.state is JobState.CANCELLED
    assert world.stick.mounts() == []
    (record,) = service.history()
    assert record.outcome.startswith("cancelled")
