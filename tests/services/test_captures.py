"""The capture library: kept images by camera and time, newest first, paged by id; files by
id only, and only when they exist inside images/."""

import hashlib
import os
import time
from pathlib import Path

import pytest

from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.records import QUERY_MAX, CaptureQuery, CaptureRecord
from eyepi_gui.errors import InvalidInput, NotFound, Unavailable
from tests.principals import ADMIN


@pytest.fixture
def services(station):
    station.services.inventory.start()
    return station.services


@pytest.fixture
def shots(services, clock):
    """Five test shots, 10 s apart: sim-1, sim-2, sim-1, sim-2, sim-1 (oldest first)."""
    records = []
    for n in range(5):
        records += services.cameras.test_shot(ADMIN, f"sim-{n % 2 + 1}")
        clock.set(clock.now() + 10)
    return records


def ids(records):
    return [r.record_id for r in records]


def newest_first(records):
    return sorted(ids(records), reverse=True)


def test_find_lists_every_kept_image_newest_first(services, shots):
    assert ids(services.captures.find(CaptureQuery())) == newest_first(shots)


def test_find_filters_by_camera(services, shots):
    found = services.captures.find(CaptureQuery(camera_id="sim-2"))
    assert ids(found) == newest_first(r for r in shots if r.camera_id == "sim-2")
    assert {r.camera_id for r in found} == {"sim-2"}
    assert services.captures.find(CaptureQuery(camera_id="nope")) == []


def test_since_is_included_and_until_is_not(services, shots):
    times = [r.taken_at for r in shots]
    found = services.captures.find(CaptureQuery(since=times[1], until=times[3]))
    assert ids(found) == newest_first(shots[1:3])
    assert ids(services.captures.find(CaptureQuery(since=times[3]))) == newest_first(shots[3:])
    assert ids(services.captures.find(CaptureQuery(until=times[1]))) == ids(shots[:1])


def test_limit_keeps_the_newest(services, shots):
    assert ids(services.captures.find(CaptureQuery(limit=2))) == newest_first(shots)[:2]


def test_pages_by_before_id_cover_everything_once(services, shots):
    seen, before = [], None
    for _ in range(len(shots)):  # bounded: a paging bug must fail, not loop forever
        page = services.captures.find(CaptureQuery(limit=2, before_id=before))
        if not page:
            break
        assert len(page) <= 2
        seen += ids(page)
        before = page[-1].record_id
    assert seen == newest_first(shots) and len(set(seen)) == len(shots)


def test_paging_one_camera_in_a_time_range(services, shots):
    since = shots[1].taken_at
    first = services.captures.find(CaptureQuery("sim-1", since=since, limit=1))
    rest = services.captures.find(
        CaptureQuery("sim-1", since=since, limit=5, before_id=first[0].record_id)
    )
    assert ids(first + rest) == [shots[4].record_id, shots[2].record_id]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        (CaptureQuery(limit=0), "limit"),
        (CaptureQuery(limit=-1), "limit"),
        (CaptureQuery(limit=QUERY_MAX + 1), "limit"),
        (CaptureQuery(since=100.0, until=100.0), "until"),
        (CaptureQuery(since=100.0, until=99.0), "until"),
    ],
)
def test_bad_queries_are_refused_naming_the_field(services, query, field):
    with pytest.raises(InvalidInput) as refused:
        services.captures.find(query)
    assert refused.value.field == field


def test_the_largest_limit_is_allowed(services, shots):
    assert len(services.captures.find(CaptureQuery(limit=QUERY_MAX))) == len(shots)


def test_open_file_gives_the_record_and_its_bytes(services, shots):
    record, opened = services.captures.open_file(shots[0].record_id)
    with opened:
        data = opened.read()
    assert record == shots[0]
    assert (len(data), hashlib.sha256(data).hexdigest()) == (record.size, record.sha256)
    assert services.captures.record(shots[0].record_id) == shots[0]


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (os.mkfifo, "a FIFO"),
        (os.mkdir, "a directory"),
        (lambda path: os.symlink("/etc/passwd", path), None),
    ],
    ids=["fifo", "directory", "symlink-out"],
)
def test_a_kept_file_that_is_no_longer_an_image_is_refused_without_blocking(
    services, shots, make, kind
):
    path = Path(shots[0].path)
    path.unlink()
    make(path)
    started = time.monotonic()
    with pytest.raises((Unavailable, NotFound)) as refused:
        services.captures.open_file(shots[0].record_id)
    assert time.monotonic() - started < 1.0
    if kind is not None:
        assert isinstance(refused.value, Unavailable) and kind in str(refused.value)
    assert str(path.parent.parent.parent.parent) not in str(refused.value)  # no home path


def test_unknown_ids_are_not_found(services, shots):
    for unknown in (0, -1, max(ids(shots)) + 1):
        with pytest.raises(NotFound):
            services.captures.open_file(unknown)
        with pytest.raises(NotFound):
            services.captures.record(unknown)


def test_an_image_removed_by_keep_latest_is_not_found_nor_listed(services):
    services.config.update_camera(ADMIN, "sim-1", {"keep": "latest"})
    old = services.cameras.test_shot(ADMIN, "sim-1")[0]
    new = services.cameras.test_shot(ADMIN, "sim-1")[0]
    with pytest.raises(NotFound):
        services.captures.open_file(old.record_id)
    assert ids(services.captures.find(CaptureQuery("sim-1"))) == [new.record_id]
    record, opened = services.captures.open_file(new.record_id)
    opened.close()
    assert record == new


def test_a_record_whose_file_was_deleted_is_not_found(services, shots):
    Path(shots[0].path).unlink()
    with pytest.raises(NotFound, match="no longer"):
        services.captures.open_file(shots[0].record_id)


@pytest.fixture
def index(station):
    """The state database as another connection sees it (to plant bad records)."""
    db = StateDB(station.home / "state.db")
    yield CapturesDB(db)
    db.close()


def plant(index, path):
    return index.add(CaptureRecord("sim-1", str(path), None, 1.0, 10, "ab" * 32))


def test_a_record_pointing_outside_images_is_not_found(services, station, index, tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not an image")
    images = station.home / "images"
    for path in (
        "/etc/passwd",
        outside,
        images / ".." / "state.db",
        images,
        "relative/path.jpg",  # relative paths are the home's (captures_db)
        "../secret.txt",
    ):
        record_id = plant(index, path)
        home = os.path.abspath(station.home)
        assert services.captures.record(record_id).path == os.path.join(home, path)
        with pytest.raises(NotFound):
            services.captures.open_file(record_id)


def test_a_symlink_inside_images_pointing_outside_is_not_found(
    services, station, index, tmp_path, shots
):
    outside = tmp_path / "secret.txt"
    outside.write_text("not an image")
    link = Path(shots[0].path).parent / "innocent.jpg"
    os.symlink(outside, link)
    with pytest.raises(NotFound):
        services.captures.open_file(plant(index, link))
    folder_link = station.home / "images" / "elsewhere"
    os.symlink(tmp_path, folder_link)
    with pytest.raises(NotFound):
        services.captures.open_file(plant(index, folder_link / "secret.txt"))
