"""Start-up reconciliation of the capture index with the files: images without a row are
indexed from their sidecars, rows whose file is gone are marked missing (and found again)."""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.records import CaptureQuery
from eyepi_gui.services.index_repair import sidecar_record
from eyepi_gui.station import Station
from tests.db_holder import ROOT, held
from tests.principals import ADMIN


@pytest.fixture
def shots(station):
    """Four test shots, alternating sim-1 and sim-2, 10 s apart (oldest first)."""
    services = station.services
    services.inventory.start()
    records = []
    for n in range(4):
        records += services.cameras.test_shot(ADMIN, f"sim-{n % 2 + 1}")
        station.clock.set(station.clock.now() + 10)
    return records


def found(services):
    return {r.path: r for r in services.captures.find(CaptureQuery())}


def forget(station, *records):
    """Delete rows as if the station died between the files' rename and the rows."""
    with sqlite3.connect(station.home / "state.db") as conn:
        conn.executemany("DELETE FROM captures WHERE id = ?", [(r.record_id,) for r in records])


def test_images_without_a_row_are_indexed_from_their_sidecars(station, shots):
    forget(station, shots[1], shots[2])
    report = station.index_repair.run()
    assert (report.indexed, report.missing, report.skipped, report.files) == (2, 0, 0, 4)
    listed = found(station.services)
    for shot in shots[1:3]:
        again = listed[shot.path]
        assert again.record_id not in (None, shot.record_id)
        assert (again.camera_id, again.size, again.sha256) == (
            shot.camera_id,
            shot.size,
            shot.sha256,
        )
        assert again.scheduled_at is None  # a test shot
        assert again.taken_at == pytest.approx(shot.taken_at, abs=0.001)
        assert again.focus_score == pytest.approx(shot.focus_score)
    assert station.index_repair.run().indexed == 0  # nothing twice


def test_rows_whose_file_is_gone_are_marked_missing_and_found_again(station, shots):
    moved = Path(shots[0].path).rename(station.home / "elsewhere.jpg")
    report = station.index_repair.run()
    assert (report.missing, report.indexed) == (1, 0)
    assert shots[0].path not in found(station.services)
    moved.rename(shots[0].path)
    assert station.index_repair.run().found_again == 1
    assert found(station.services)[shots[0].path].record_id == shots[0].record_id


def test_rows_of_a_folder_that_is_gone_are_marked_missing(station, shots):
    shutil.rmtree(Path(shots[1].path).parents[1])  # all of sim-2
    assert station.index_repair.run().missing == 2
    assert {r.camera_id for r in found(station.services).values()} == {"sim-1"}


def test_files_no_sidecar_vouches_for_are_left_out(station, shots):
    day = Path(shots[0].path).parent
    (day / "stray.jpg").write_bytes(b"not from a capture")
    Path(shots[2].path).write_bytes(b"cut short")  # its sidecar lists another size
    forget(station, shots[2])
    report = station.index_repair.run()
    assert (report.indexed, report.skipped) == (0, 2)
    assert shots[2].path not in found(station.services)


@pytest.mark.parametrize(
    "sidecar",
    [b"", b"{not json", b"[]", b'{"files": []}', b'{"files": [{"name": "a.jpg"}]}'],
)
def test_an_unreadable_sidecar_gives_no_row(sidecar):
    assert sidecar_record(sidecar, "/i/c/d/a.jpg", 10) is None


def test_a_station_killed_before_its_rows_were_stored_indexes_them_at_next_start(tmp_path):
    home = tmp_path / "home"
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.services.capturing_station", str(home)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout.readline().strip() == "open"
        with held(home / "state.db") as other:  # rows wait in the child's queue...
            assert other.holds
            child.stdin.write("capture\n")
            child.stdin.flush()
            paths = json.loads(child.stdout.readline())
            child.send_signal(signal.SIGKILL)  # ...when it dies
            child.wait(10)
    finally:
        child.kill()
    assert len(paths) == 2 and all(Path(p).exists() for p in paths)
    station = Station(home, log_to_console=False)
    services = station.open()
    try:
        assert found(services) == {}
        station.start()
        report = station.index_repair.wait(10)
        assert report is not None and report.indexed == 2
        assert set(found(services)) == set(paths)
    finally:
        station.stop()


def test_a_copied_home_keeps_its_index(tmp_path):
    """cp -a home home2: the index names files relative to the home, so nothing is marked
    missing and nothing is indexed twice."""
    home, copy = tmp_path / "home", tmp_path / "home2"
    station = Station(home, fallback=SimBackend(count=1, capture_delay_s=0), log_to_console=False)
    services = station.open()
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "64x48"})
    services.inventory.start()
    shots = services.cameras.test_shot(ADMIN, "sim-1") + services.cameras.test_shot(ADMIN, "sim-1")
    station.stop()
    shutil.copytree(home, copy, symlinks=True)
    station = Station(copy, log_to_console=False)
    services = station.open()
    try:
        report = station.index_repair.run()
        assert (report.indexed, report.missing, report.files) == (0, 0, 2)
        listed = found(services)
        assert {r.record_id for r in listed.values()} == {s.record_id for s in shots}
        assert all(path.startswith(f"{copy}/images/") for path in listed)
        for record in listed.values():
            with services.captures.open_file(record.record_id)[1] as opened:
                assert os.fstat(opened.fileno()).st_size == record.size
    finally:
        station.stop()
