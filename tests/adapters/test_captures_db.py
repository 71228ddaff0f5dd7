"""The capture index in SQLite: counting, keep-latest removal, one kept row per file, missing
files, and the folder views start-up reconciliation uses."""

from dataclasses import replace

import pytest

from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.records import CaptureQuery, CaptureRecord

DAY = "/home/images/c/2025-06-01"


def rec(camera="c", t=100.0, scheduled=100.0, path=None):
    return CaptureRecord(camera, path or f"{DAY}/{camera}-{t:g}.jpg", scheduled, t, 10, "ab" * 32)


@pytest.fixture
def index(tmp_path):
    db = StateDB(tmp_path / "state.db")
    yield CapturesDB(db)
    db.close()


def test_add_latest_and_count(index):
    a = index.add(rec(t=100))
    index.add(rec(t=200, scheduled=200))
    index.add(rec(t=200, scheduled=200, path="same slot, second format"))
    index.add(rec(t=250, scheduled=None))  # test shots are not counted as scheduled captures
    index.add(rec(camera="other", t=300))
    assert index.latest("c").taken_at == 250
    assert index.count_between("c", 0, 1000) == 2
    assert index.count_between("c", 150, 1000) == 1
    index.mark_removed([a])
    kept = index.kept("c")
    assert len(kept) == 3 and a not in {r.record_id for r in kept}


def test_a_file_is_indexed_once_however_often_it_is_added(index):
    first = index.add(rec())
    assert index.add(rec()) == first
    assert index.add_found([rec(), rec(t=200)]) == 1
    assert len(index.query(CaptureQuery())) == 2


def test_a_removed_files_name_may_be_used_again(index):
    old = index.add(rec())
    index.mark_removed([old])
    new = index.add(rec())
    assert new != old
    assert [r.record_id for r in index.query(CaptureQuery())] == [new]


def test_missing_rows_are_hidden_until_their_file_is_added_again(index):
    a, b = index.add(rec(t=100)), index.add(rec(t=200, scheduled=200))
    index.set_missing([a], True)
    assert [r.record_id for r in index.query(CaptureQuery())] == [b]
    assert index.by_id(a) is None
    assert [r.record_id for r in index.kept("c")] == [b]
    assert index.count_between("c", 0, 1000) == 2  # the capture still happened
    assert index.add(rec(t=100)) == a
    assert index.by_id(a) is not None


def test_in_folder_lists_only_the_folders_own_kept_files(index):
    a = index.add(rec(t=100))
    b = index.add(rec(t=200))
    index.add(rec(path=f"{DAY}-2/other.jpg"))  # a folder whose name starts the same
    index.add(rec(path=f"{DAY}/deeper/x.jpg"))
    index.mark_removed([index.add(rec(t=300))])
    index.set_missing([b], True)
    assert index.in_folder(DAY) == {"c-100.jpg": (a, False), "c-200.jpg": (b, True)}
    assert index.in_folder("/home/images/c") == {}


def test_between_pages_through_shown_rows_by_path(index):
    ids = [index.add(rec(path=f"/home/images/c/2025-05-{d:02}/x.jpg")) for d in range(1, 6)]
    index.set_missing([ids[0]], True)
    low, high = "/home/images/c/2025-05-01/", "/home/images/c/2025-05-05/"
    page = index.between(low, high, None, 2)
    assert [rid for rid, _ in page] == ids[1:3]
    assert [rid for rid, _ in index.between(low, high, (page[-1][1], page[-1][0]), 10)] == [ids[3]]
    assert [rid for rid, _ in index.between(low, None, None, 10)] == ids[1:]
    assert index.between("/home/images/d", None, None, 10) == []


def test_paths_inside_the_home_are_stored_relative_to_it(tmp_path, index):
    day = f"{tmp_path}/images/c/2025-06-01"
    inside = index.add(rec(path=f"{day}/a.jpg"))
    outside = index.add(rec(path=f"{DAY}/b.jpg"))
    stored = dict(index._db.fetch("SELECT id, path FROM captures"))
    assert stored == {inside: "images/c/2025-06-01/a.jpg", outside: f"{DAY}/b.jpg"}
    assert index.by_id(inside).path == f"{day}/a.jpg"
    assert index.in_folder(day) == {"a.jpg": (inside, False)}
    assert index.add(rec(path=f"{day}/a.jpg")) == inside
    assert index.between(f"{tmp_path}/images/c/", None, None, 10) == [(inside, f"{day}/a.jpg")]
    everything = index.between("", None, None, 10)  # rows outside the home sort first
    assert everything == [(outside, f"{DAY}/b.jpg"), (inside, f"{day}/a.jpg")]
    after = everything[0][1], everything[0][0]
    assert index.between("", None, after, 10) == everything[1:]


def sized(t, size, path=None):
    return replace(rec(t=t, scheduled=t, path=path), size=size)


def test_recent_sizes_are_the_newest_scheduled_files_removed_ones_too(index):
    old = index.add(sized(100, 1000))
    index.add(sized(200, 2000))
    index.add(sized(200, 3000, path=f"{DAY}/c-200.png"))
    index.add(replace(rec(t=250, scheduled=None), size=99))  # a test shot: not a capture
    index.add(replace(rec(camera="other", t=300), size=7))
    index.mark_removed([old])  # removed by keep = "latest": its size was real
    assert index.recent_sizes("c", 10) == [(200.0, 3000), (200.0, 2000), (100.0, 1000)]
    assert index.recent_sizes("c", 2) == [(200.0, 3000), (200.0, 2000)]
    assert index.recent_sizes("nobody", 10) == []


def test_a_day_lists_kept_images_shown_oldest_first_within_its_span(index):
    ids = [index.add(rec("c", t)) for t in (100.0, 3600.0, 7199.0, 7200.0)]
    index.add(rec("other", 200.0))
    index.mark_removed([ids[1]])
    index.set_missing([ids[2]], True)
    assert [r.record_id for r in index.on_day("c", 0.0, 7200.0, 10)] == [ids[0]]
    assert [r.record_id for r in index.on_day("c", 0.0, 8000.0, 10)] == [ids[0], ids[3]]
    assert [r.record_id for r in index.on_day("c", 0.0, 8000.0, 1)] == [ids[0]]
    assert index.on_day("nobody", 0.0, 8000.0, 10) == []


def test_hour_counts_count_only_kept_images_shown(index):
    ids = [index.add(rec("c", t)) for t in (100.0, 200.0, 3600.0, 7300.0)]
    index.add(rec("other", 150.0))
    index.mark_removed([ids[3]])
    assert sorted(index.hour_counts("c")) == [(0, 2), (1, 1)]
