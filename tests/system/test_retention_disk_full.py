"""Acceptance (issue 14): disk full, with retention. The data directory (``images/``) is a
real 16 MiB tmpfs; a day of sim-1 is exported to a real loop-device stick (ext4), copied and
verified from the device by the export job. The disk fills until capture pauses at the floor
with a StorageAlert. With retention off nothing is deleted and capture stays paused; turned
on, only the exported-and-verified images go, oldest first (an older image that was never
exported survives, as does everything newer), and capture resumes."""

import time
from datetime import timedelta
from pathlib import Path

import pytest

from eyepi_gui.domain.events import RetentionFreed, StorageAlert
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.domain.records import CaptureQuery
from tests.export_world import DAY, MIDNIGHT, ExportWorld
from tests.principals import ADMIN
from tests.small_disk import MIB, PAGE, fill, free_bytes, small_disk
from tests.usb_stick import usb_stick_at

pytestmark = pytest.mark.root
SLOTS = 16
FLOOR_MIB, KEEP_FREE_MIB = 2, 3


@pytest.fixture
def world(tmp_path):
    home = tmp_path / "home"
    (tmp_path / "stick").mkdir()
    with small_disk(home / "images", size_mib=16), usb_stick_at(tmp_path / "stick") as stick:
        made = ExportWorld(home, stick, resolution="640x480")
        try:
            yield made
        finally:
            made.close()


def kept(services):
    return {r.path: r for r in services.captures.find(CaptureQuery(limit=500))}


def test_a_full_disk_pauses_capture_retention_frees_only_proven_images_and_capture_resumes(
    world,
):
    services, clock, images = world.services, world.clock, world.home / "images"
    services.config.update_station(ADMIN, {"free_space_floor_mib": FLOOR_MIB})
    older = MIDNIGHT - timedelta(hours=5).total_seconds()  # the day before DAY, never exported
    clock.set(older)
    (unexported,) = services.cameras.capture("sim-2", older).result(30)
    exported = world.day(SLOTS)  # sim-1 across DAY, and sim-2 once the day after
    job = world.wait(services.export.export(ADMIN, world.stick.device, ["sim-1"], DAY, DAY))
    assert job.state is JobState.DONE and job.result.endswith("safe to remove"), job.error
    before = kept(services)
    newer_unexported = [
        p for p, r in before.items() if r.camera_id == "sim-2" and p != unexported.path
    ]
    assert len(newer_unexported) == 1 and set(exported) < set(before)

    now = MIDNIGHT + timedelta(days=10).total_seconds()
    clock.set(now)
    services.config.update_camera(
        ADMIN, "sim-1", {"resolution": "640x480", "interval_s": 60, "window": "always"}
    )
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    alerts = []
    services.bus.subscribe(
        lambda e: alerts.append(e) if isinstance(e, (StorageAlert, RetentionFreed)) else None
    )

    # fill the disk: room above the floor, but not for the next capture
    fill(images, leave=FLOOR_MIB * MIB + PAGE)
    services.scheduler.step(now + 60)
    assert services.scheduler.paused
    (paused,) = alerts
    assert isinstance(paused, StorageAlert) and paused.paused
    assert f"{FLOOR_MIB} MiB must stay free" in paused.reason

    # retention off (the default): nothing is deleted, capture stays paused
    assert services.retention.status().settings.enabled is False
    assert services.retention.check() is None
    assert kept(services) == before and all(Path(p).exists() for p in before)
    services.scheduler.step(now + 120)
    assert services.scheduler.paused

    # on: the oldest exported-and-verified images go until KEEP_FREE_MIB is free
    services.retention.update(
        ADMIN, {"enabled": True, "keep_free_mib": KEEP_FREE_MIB, "min_age_days": 7}
    )
    run = services.retention.check()
    assert run.outcome == "done", run.outcome
    assert free_bytes(images) >= KEEP_FREE_MIB * MIB and run.free_after == free_bytes(images)
    deleted = list(reversed(services.retention.deleted(limit=200)))  # in the order they went
    gone = [str(world.home / entry.path) for entry in deleted]
    assert 0 < len(gone) < SLOTS and gone == exported[: len(gone)], "oldest first"
    assert all(not Path(p).exists() for p in gone)
    assert all(entry.proofs and entry.proofs[0].kind == "export" for entry in deleted)
    assert Path(unexported.path).exists(), "older, but never exported: it stays"
    for path in [unexported.path, *newer_unexported, *exported[len(gone) :]]:
        assert Path(path).exists() and path in kept(services)
    assert not set(gone) & set(kept(services))
    assert RetentionFreed(len(gone), run.bytes, "station") in alerts

    # capture resumes
    services.scheduler.step(now + 180)
    assert not services.scheduler.paused
    resumed = alerts[-1]
    assert isinstance(resumed, StorageAlert) and not resumed.paused
    deadline = time.monotonic() + 30
    while len(after := kept(services)) < len(before) - len(gone) + 1:
        assert time.monotonic() < deadline, "the resumed slot was not captured"
        time.sleep(0.02)
    (new,) = [r for r in after.values() if r.taken_at >= now]
    assert new.camera_id == "sim-1" and Path(new.path).exists()
