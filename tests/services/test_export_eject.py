"""Eject a removable drive from the Storage tab or the API: a short export-kind job that
unmounts the drive and powers it off where the machine can, saying "safe to remove"; busy
while an export to it runs; refused for viewers, unknown and non-removable drives."""

import threading
import time

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.export import EXPORT_JOB
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.errors import Busy, Forbidden, InvalidInput, NotFound
from eyepi_gui.station import Station
from tests.fake_volumes import DATA_DISK, FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.principals import ADMIN

VIEWER = Principal("vera", Role.VIEWER, Origin.CLI)


@pytest.fixture
def station(tmp_path):
    drives = FakeVolumes(tmp_path / "mnt", udisks=True)
    made = Station(tmp_path / "home", log_to_console=False, hasher=FakeHasher(), drives=drives)
    made.open()
    made.drives = drives
    yield made
    made.stop()


def finished(services, view, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not (job := services.jobs.job(view.job_id)).state.finished:
        assert time.monotonic() < deadline, job
        time.sleep(0.01)
    return job


def test_eject_unmounts_powers_off_and_says_safe_to_remove(station):
    drives = station.drives
    drives.plug(stick("sdb1"))
    drives.mount("/dev/sdb1")
    job = finished(station.services, station.services.export.eject(ADMIN, "/dev/sdb1"))
    assert job.state is JobState.DONE, job.error
    assert job.title == "Eject STICK"
    assert job.result == "STICK unmounted and powered off, safe to remove"
    assert drives.powered_off == ["/dev/sdb1"]


def test_without_udisks_the_drive_is_unmounted_and_still_safe_to_remove(station):
    drives = station.drives
    drives.udisks = False
    drives.plug(stick("sdb1", label=None))
    drives.mount("/dev/sdb1")
    job = finished(station.services, station.services.export.eject(ADMIN, "/dev/sdb1"))
    assert job.state is JobState.DONE
    assert job.result.startswith("/dev/sdb1 unmounted (not powered off:")
    assert job.result.endswith("safe to remove")
    assert all(v.mountpoint is None for v in drives.volumes() if v.device == "/dev/sdb1")


def test_eject_waits_for_no_export_it_is_busy_while_one_runs(station):
    station.drives.plug(stick("sdb1"))
    release = threading.Event()
    jobs = station.services.jobs
    work = lambda ctx: str(release.wait(5))  # noqa: E731
    jobs.start(ADMIN, EXPORT_JOB, "Export to STICK", work, target="/dev/sdb1")
    try:
        with pytest.raises(Busy):
            station.services.export.eject(ADMIN, "/dev/sdb1")
    finally:
        release.set()


@pytest.mark.parametrize(
    ("device", "error"),
    [
        ("/dev/sdz9", NotFound),
        (DATA_DISK.device, InvalidInput),
        ("sdb1", InvalidInput),
        ("/dev/../etc", InvalidInput),
    ],
)
def test_a_drive_not_plugged_in_not_removable_or_misnamed_is_refused(station, device, error):
    with pytest.raises(error):
        station.services.export.eject(ADMIN, device)


def test_a_viewer_may_not_eject(station):
    station.drives.plug(stick("sdb1"))
    with pytest.raises(Forbidden):
        station.services.export.eject(VIEWER, "/dev/sdb1")
