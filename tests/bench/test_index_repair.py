"""Start-up reconciliation of the capture index against a plain directory walk.

A station home with N captures (one JPEG and its JSON sidecar each, 288 a day per camera, two
cameras) is checked by ``IndexRepair.run``:
1. everything indexed (every ordinary start) against the reference, a bare ``os.scandir`` walk
   of the same folders listing the names (the least any check of the files must do),
   interleaved, medians. Goal: at most 3x the walk. The repair runs on its own thread after
   ``start``, so it never delays start-up; this bounds how long it keeps a core busy.
2. nothing indexed (state.db made anew): every file indexed from its sidecar.
3. opening state.db at start (``open_station_db``: SQLite's quick check of every page) with the
   N rows, against opening an empty one.
Full mode (EYEPI_BENCH=full): N = 10,000, 7 repetitions, asserts the goal. Quick mode (CI, the
default): N = 2,000, 3 repetitions; prints, never fails on a timing. Run with ``-s``.
"""

from __future__ import annotations

import hashlib
import json
import os
import statistics
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.image_tree import ImageTree
from eyepi_gui.adapters.state_file import open_station_db
from eyepi_gui.services.index_repair import IndexRepair

GOAL = 3.0
PER_DAY = 288  # every 5 minutes
CAMERAS = ("sim-1", "sim-2")
TZ = ZoneInfo("Australia/Canberra")
JPEG = b"\xff\xd8" + bytes(1022)


def sidecar(camera: str, name: str, when: datetime) -> bytes:
    doc = {
        "station": "bench",
        "camera_id": camera,
        "camera_name": camera,
        "test_shot": False,
        "scheduled_at": when.isoformat(timespec="milliseconds"),
        "taken_at": (when + timedelta(seconds=0.4)).isoformat(timespec="milliseconds"),
        "width": 4000,
        "height": 3000,
        "settings": {"interval_s": 300, "formats": ["jpg"], "filename": "{name}_{timestamp}"},
        "focus": {"score": 812.5, "roi": [0.4, 0.4, 0.2, 0.2], "reference": None},
        "files": [
            {
                "name": name,
                "format": "jpg",
                "size": len(JPEG),
                "sha256": hashlib.sha256(JPEG).hexdigest(),
            }
        ],
        "software": {"name": "eyepi", "version": "bench"},
    }
    return json.dumps(doc, indent=2).encode()


def make_home(home: Path, captures: int) -> None:
    start = datetime(2025, 6, 1, tzinfo=TZ)
    for n in range(captures):
        camera = CAMERAS[n % len(CAMERAS)]
        when = start + timedelta(minutes=5 * (n // len(CAMERAS)))
        folder = home / "images" / camera / f"{when:%Y-%m-%d}"
        folder.mkdir(parents=True, exist_ok=True)
        stem = f"{camera}_{when:%Y_%m_%d_%H_%M_%S}"
        (folder / f"{stem}.jpg").write_bytes(JPEG)
        (folder / f"{stem}.json").write_bytes(sidecar(camera, f"{stem}.jpg", when))


def plain_walk(images: Path) -> int:
    count = 0
    with os.scandir(images) as cameras:
        for camera in cameras:
            with os.scandir(camera.path) as days:
                for day in days:
                    with os.scandir(day.path) as files:
                        count += sum(1 for f in files if not f.name.endswith(".json"))
    return count


def timed(call):
    start = time.perf_counter()
    result = call()
    return time.perf_counter() - start, result


def test_reconciling_the_index_against_a_plain_walk(tmp_path, quick):
    captures, reps = (2_000, 3) if quick else (10_000, 7)
    home = tmp_path / "home"
    make_home(home, captures)
    state = open_station_db(home, time.time())
    repair = IndexRepair(CapturesDB(state.db), ImageTree(home / "images"))
    first, report = timed(repair.run)
    assert report.indexed == captures and report.skipped == 0
    walks, checks = [], []
    for _ in range(reps):
        walks.append(timed(lambda: plain_walk(home / "images"))[0])
        seconds, report = timed(repair.run)
        checks.append(seconds)
        assert (report.files, report.indexed, report.missing) == (captures, 0, 0)
    state.db.close()
    opening = timed(lambda: open_station_db(home, time.time()).db.close())[0]
    empty = tmp_path / "empty"
    empty.mkdir()
    opening_empty = timed(lambda: open_station_db(empty, time.time()).db.close())[0]
    walk, check = statistics.median(walks), statistics.median(checks)
    print(f"\ncapture index against {captures} files ({captures // PER_DAY} day folders):")
    print(f"  plain os.scandir walk         median {walk * 1000:8.1f} ms")
    print(f"  reconcile, all indexed        median {check * 1000:8.1f} ms")
    print(f"  reconcile, nothing indexed           {first * 1000:8.1f} ms")
    print(f"  open state.db ({captures} rows, quick check) {opening * 1000:6.1f} ms")
    print(f"  open state.db (empty)                {opening_empty * 1000:6.1f} ms")
    print(f"  ratio reconcile/walk {check / walk:.2f}  (goal: at most {GOAL})")
    if not quick:
        assert check / walk <= GOAL
