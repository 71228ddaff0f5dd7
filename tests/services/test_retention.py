"""Retention as a service, on a station with sim cameras and a disk whose free space follows
the image files: off by default; when on, only images exported and verified (the very bytes)
and old enough go, oldest first, until the room asked for is free; each deletion is logged,
listed and gone from the capture index, the browser and the thumbnail cache; the dry run
says what would go and why it would not be enough; runs on demand are cancellable jobs."""

import threading
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.kept_files import KeptFiles
from eyepi_gui.adapters.retention_db import RetentionDB
from eyepi_gui.adapters.thumbnails import ThumbnailFolder
from eyepi_gui.domain.events import RetentionFreed, StorageAlert
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.domain.records import CaptureQuery
from eyepi_gui.errors import Busy, InvalidInput, StorageError
from eyepi_gui.services.retention import RetentionService
from eyepi_gui.services.retention_run import RunParts
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.station import Station
from tests.fake_network import FakeNetwork
from tests.fakes import FakeClock, FakeHasher
from tests.principals import ADMIN
from tests.retention_world import MIB, FilesDisk, prove, take

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=ZoneInfo("Australia/Canberra")).timestamp()
KEEP_FREE = 2 * MIB
ON = {"enabled": True, "keep_free_mib": 2, "min_age_days": 7}


@pytest.fixture
def disk(tmp_path):
    return FilesDisk(tmp_path / "home")


@pytest.fixture
def station(tmp_path, disk):
    clock = FakeClock(NOW)
    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=SimBackend(count=2, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        network=FakeNetwork(clock),
        volume=disk,
    )
    services = station.open()
    services.config.update_station(ADMIN, {"timezone": "Australia/Canberra"})
    services.config.update_station(ADMIN, {"free_space_floor_mib": 1})
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(ADMIN, camera_id, {"resolution": "320x240"})
    services.inventory.start()
    yield station
    station.stop()


@pytest.fixture
def images(station):
    """a: sim-1 30 days old, never exported; b, c (sim-2), d, e: exported and verified,
    29 to 27 days old; y: exported, a day old."""
    take_ = lambda camera, days: take(station, camera, days, NOW)  # noqa: E731
    found = {
        "a": take_("sim-1", 30),
        "b": take_("sim-1", 29),
        "c": take_("sim-2", 28.5),
        "d": take_("sim-1", 28),
        "e": take_("sim-1", 27),
        "y": take_("sim-1", 1),
    }
    prove(station.home, [found[k] for k in "bcdey"])
    return found


def kept_ids(services):
    return {r.record_id for r in services.captures.find(CaptureQuery(limit=500))}


def turn_on(services, **changes):
    return services.retention.update(ADMIN, ON | changes)


def test_off_by_default_nothing_is_deleted_though_the_disk_is_short(station, images, disk):
    services = station.services
    disk.leave(MIB + 4096)  # above the floor, far below what retention would keep
    assert services.retention.status().settings.enabled is False
    assert services.retention.check() is None
    assert all(Path(r.path).exists() for r in images.values())
    assert services.retention.deleted() == [] and services.retention.status().last_run is None


def test_only_proven_old_images_go_oldest_first_until_the_room_is_free(
    station, images, disk, caplog
):
    services, b, c, d = station.services, *(images[k] for k in "bcd")
    thumbnail_cache = station.home / "cache" / "thumbnails"
    services.thumbnails.thumbnail(b.record_id)
    assert any(p.name.startswith(f"{b.record_id}-") for p in thumbnail_cache.iterdir())
    freed = []
    services.bus.subscribe(lambda e: freed.append(e) if isinstance(e, RetentionFreed) else None)
    turn_on(services)
    disk.leave(KEEP_FREE - (b.size + c.size + 1))

    run = services.retention.check()

    gone = [b, c, d]  # a is older but was never exported; d makes up the last byte
    assert run.deleted == 3 and run.bytes == sum(r.size for r in gone)
    assert run.outcome == "done" and run.by == "station"
    assert run.free_after >= KEEP_FREE and disk.free_bytes(None) == run.free_after
    for record in gone:
        assert not Path(record.path).exists()
        assert not Path(record.path).with_suffix(".json").exists(), "its sidecar went too"
    for key in "aey":
        assert Path(images[key].path).exists() and images[key].record_id in kept_ids(services)
    assert not kept_ids(services) & {r.record_id for r in gone}, "the browser lists none"
    assert not any(p.name.startswith(f"{b.record_id}-") for p in thumbnail_cache.iterdir())

    listed = services.retention.deleted()
    assert [e.capture_id for e in listed] == [d.record_id, c.record_id, b.record_id]
    entry = listed[-1]
    assert (entry.camera_id, entry.bytes, entry.captured_at) == ("sim-1", b.size, b.taken_at)
    assert entry.path == Path(b.path).relative_to(station.home).as_posix()
    assert entry.path.startswith("images/sim-1/") and entry.deleted_at == NOW
    assert [p.text() for p in entry.proofs] == ["export 1 (FIELD-7)"]
    assert freed == [RetentionFreed(3, run.bytes, "station")]
    assert services.retention.status().last_run == run
    logged = [r for r in caplog.records if getattr(r, "event", "") == "retention_deleted"]
    assert [r.fields["capture_id"] for r in logged] == [b.record_id, c.record_id, d.record_id]
    assert logged[0].fields == {
        "capture_id": b.record_id,
        "camera_id": "sim-1",
        "path": entry.path,
        "bytes": b.size,
        "captured_at": b.taken_at,
        "deleted_at": NOW,
        "proofs": ["export 1 (FIELD-7)"],
    }


def test_there_is_nothing_to_do_while_free_space_is_above_what_retention_keeps(
    station, images, disk
):
    turn_on(station.services)
    disk.leave(KEEP_FREE)
    assert station.services.retention.check() is None
    assert len(kept_ids(station.services)) == 6


def test_the_preview_is_a_dry_run_that_says_why_it_is_not_enough(station, images, disk):
    services = station.services
    services.retention.update(ADMIN, {"keep_free_mib": 2})
    disk.leave(MIB + 4096)
    preview = services.retention.preview()  # computed as if on, while off
    assert [c.record.record_id for c in preview.chosen] == [images[k].record_id for k in "bcde"]
    assert preview.free_now == MIB + 4096 and preview.need == KEEP_FREE - preview.free_now
    assert preview.free_after == preview.free_now + sum(images[k].size for k in "bcde")
    shown = Path(images["b"].path).relative_to(station.home).as_posix()
    assert preview.chosen[0].record.path == shown, "paths relative to the home"
    said = preview.shortfall()
    assert "1 image" in said and "not exported and verified" in said
    assert "younger than 7 days" in said and "export images to a USB stick" in said
    assert all(Path(r.path).exists() for r in images.values()), "nothing deleted"
    assert services.retention.deleted() == []


def test_a_proof_of_other_bytes_or_a_file_changed_since_is_not_enough(station, disk):
    services = station.services
    old = take(station, "sim-1", 20, NOW)
    changed = take(station, "sim-2", 19, NOW)
    prove(station.home, [old], sha256="0" * 64)  # the stick read back other bytes
    prove(station.home, [changed])
    with open(changed.path, "ab") as file:
        file.write(b"\0")
    turn_on(services)
    disk.leave(MIB + 4096)

    run = services.retention.check()
    assert run.deleted == 0 and run.outcome.startswith("not enough: ")
    assert "1 image" in run.outcome and "not exported and verified" in run.outcome
    assert "file gone or changed since it was indexed" in run.outcome
    assert Path(old.path).exists() and Path(changed.path).exists()


def test_a_run_on_demand_is_a_job_and_needs_retention_on(station, images, disk):
    services = station.services
    with pytest.raises(InvalidInput) as off:
        services.retention.run_now(ADMIN)
    assert off.value.field == "retention.enabled"
    turn_on(services)
    disk.leave(KEEP_FREE - 1)
    view = services.retention.run_now(ADMIN)
    job = wait(services, view.job_id)
    assert job.state is JobState.DONE and job.kind.name == "retention"
    assert job.result.startswith("deleted 1 image (") and job.by == ADMIN.label
    assert job.progress.items_done == 1 and job.progress.bytes_done == images["b"].size
    assert services.retention.status().last_run.by == ADMIN.label


def wait(services, job_id, timeout=20.0):
    deadline = time.monotonic() + timeout
    while not (job := services.jobs.job(job_id)).state.finished:
        assert time.monotonic() < deadline, f"still {job.state}"
        time.sleep(0.01)
    return job


class GatedFiles(KeptFiles):
    """Deletes after ``gate`` opens once per file; ``fail`` makes every deletion fail."""

    def __init__(self, home, fail=False):
        super().__init__(home)
        self.gate, self.entered, self.fail = threading.Semaphore(0), threading.Event(), fail

    def delete(self, path):
        self.entered.set()
        if self.fail:
            raise StorageError("could not delete it: Read-only file system")
        assert self.gate.acquire(timeout=10)
        super().delete(path)


def own_service(station, disk, files):
    """A RetentionService over the station's database, jobs and bus, with ``files``."""
    services, home = station.services, station.home
    space = FreeSpace(services.config, disk, home / "images", home / "latest")
    parts = RunParts(
        RetentionDB(StateDB(home / "state.db")),
        files,
        ThumbnailFolder(home),
        space,
        station.clock,
        home,
    )
    return RetentionService(parts, services.config, services.jobs, services.bus, services.access)


def test_a_cancelled_run_keeps_what_it_deleted_logged_and_stops(station, images, disk):
    services = station.services
    files = GatedFiles(station.home)
    retention = own_service(station, disk, files)
    turn_on(services)
    disk.leave(MIB + 4096)
    view = retention.run_now(ADMIN)
    files.gate.release()  # the first image goes, the second waits
    assert files.entered.wait(10)
    with pytest.raises(Busy):
        retention.run_now(ADMIN)
    deadline = time.monotonic() + 10
    while not retention.deleted():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    services.jobs.cancel(ADMIN, view.job_id)
    files.gate.release()  # the image being deleted when the cancel came still goes
    job = wait(services, view.job_id)
    assert job.state is JobState.CANCELLED
    listed = [e.capture_id for e in retention.deleted()]
    assert listed[-1] == images["b"].record_id and len(listed) <= 2
    assert Path(images["e"].path).exists()
    last = retention.status().last_run
    assert last.deleted == len(listed) and last.outcome == f"cancelled by {ADMIN.label}"


def test_a_file_that_cannot_be_deleted_stays_listed_and_unlogged(station, images, disk):
    services = station.services
    retention = own_service(station, disk, GatedFiles(station.home, fail=True))
    turn_on(services)
    disk.leave(MIB + 4096)
    with pytest.raises(StorageError):
        retention.check()
    assert images["b"].record_id in kept_ids(services)
    assert retention.deleted() == []
    assert retention.status().last_run.outcome.startswith("failed: could not delete it")


def test_the_deletion_log_is_listed_newest_first_in_pages(station, disk):
    services = station.services
    taken = [take(station, "sim-1", 40 - n, NOW) for n in range(5)]
    prove(station.home, taken)
    turn_on(services)
    disk.leave(0)
    assert services.retention.check().deleted == 5
    first = services.retention.deleted(limit=2)
    assert [e.capture_id for e in first] == [taken[4].record_id, taken[3].record_id]
    rest = services.retention.deleted(limit=50, before_id=first[-1].entry_id)
    assert [e.capture_id for e in rest] == [r.record_id for r in reversed(taken[:3])]


def test_capture_pausing_at_the_floor_wakes_the_check_at_once(station, images, disk):
    services = station.services
    retention = own_service(station, disk, KeptFiles(station.home))
    retention._every_s = 3600.0  # only the alert can wake it within the test
    turn_on(services)
    disk.leave(MIB + 4096)
    retention.start()
    try:
        services.bus.publish(StorageAlert(MIB, MIB, True, "at the floor"))
        deadline = time.monotonic() + 10
        while not retention.deleted():
            assert time.monotonic() < deadline, "the alert did not wake retention"
            time.sleep(0.01)
    finally:
        retention.stop()
    assert retention.status().last_run.by == "station"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"keep_free_mib": 0}, "retention.keep_free_mib"),
        ({"enabled": True, "keep_free_mib": 1}, "retention.keep_free_mib"),  # not above the floor
        ({"min_age_days": -1}, "retention.min_age_days"),
        ({"min_age_days": "7"}, "retention.min_age_days"),
        ({"enabled": "on"}, "retention.enabled"),
        ({"keep_free": 5}, "retention.keep_free"),
    ],
)
def test_bad_settings_are_refused_naming_the_field_and_nothing_is_saved(station, changes, field):
    before = (station.home / "station.toml").read_text()
    with pytest.raises(InvalidInput) as refused:
        station.services.retention.update(ADMIN, changes)
    assert refused.value.field == field
    assert (station.home / "station.toml").read_text() == before


def test_stopping_the_station_cuts_an_automatic_run_short_between_two_images(station, images, disk):
    services = station.services
    files = GatedFiles(station.home)
    retention = own_service(station, disk, files)
    turn_on(services)
    disk.leave(MIB + 4096)
    files.gate.release()  # the first image goes; the second waits at the gate
    result = []
    checking = threading.Thread(target=lambda: result.append(retention.check()))
    checking.start()
    deadline = time.monotonic() + 10
    while not retention.deleted():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    retention.stop()
    files.gate.release()  # the image being deleted when the stop came still goes
    checking.join(10)
    assert result == [None]
    last = retention.status().last_run
    assert last.outcome == "cancelled: the station stopped" and 1 <= last.deleted <= 2
    assert Path(images["e"].path).exists()
    assert retention.check() is None, "stopped: no more automatic runs"


def test_an_export_that_ends_wakes_the_check(station, images, disk):
    from eyepi_gui.domain.events import JobChanged
    from eyepi_gui.domain.export import EXPORT_JOB
    from eyepi_gui.domain.jobs import JobProgress, JobView

    services = station.services
    retention = own_service(station, disk, KeptFiles(station.home))
    retention._every_s = 3600.0
    turn_on(services)
    disk.leave(MIB + 4096)
    retention.start()
    try:
        done = JobView(
            "0123456789ab", EXPORT_JOB, "Export", "otto", JobState.DONE, JobProgress(), 1.0
        )
        services.bus.publish(JobChanged(done, True))
        deadline = time.monotonic() + 10
        while not retention.deleted():
            assert time.monotonic() < deadline, "the export's end did not wake retention"
            time.sleep(0.01)
    finally:
        retention.stop()
