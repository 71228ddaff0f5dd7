"""The capture browser's pure parts: days, day spans across DST, drift, zip names, and the
zip stream's handling of files (skipped when gone, closed when the reader stops early)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from eyepi_gui.domain.browse import (
    BrowseImage,
    DayCount,
    DriftMark,
    browse_image,
    day_span,
    days_of,
    drift_mark,
    parse_day,
    zip_names,
)
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.errors import InvalidInput, NotFound
from eyepi_gui.services.day_zip import zip_stream

SYDNEY = ZoneInfo("Australia/Sydney")


FULL_WIDTH_YEAR = "\uff12\uff10\uff12\uff16"
BAD_DAYS = ["", "2026-5-30", "30-05-2026", "2026-02-30", "2026-13-01", "2026-05-30x"]


@pytest.mark.parametrize("text", [*BAD_DAYS, f"{FULL_WIDTH_YEAR}-05-30"])
def test_a_day_that_is_no_day_is_refused_naming_day(text):
    with pytest.raises(InvalidInput) as caught:
        parse_day(text)
    assert caught.value.field == "day"


def test_a_day_is_read():
    assert parse_day("2026-05-30") == date(2026, 5, 30)


def test_a_day_across_the_dst_change_is_25_hours():
    start, stop = day_span(date(2026, 4, 5), SYDNEY)  # clocks go back at 03:00
    assert stop - start == 25 * 3600
    assert datetime.fromtimestamp(start, SYDNEY).hour == 0


def test_hours_are_counted_on_their_local_day_newest_first():
    midnight = int(datetime(2026, 5, 30, tzinfo=SYDNEY).timestamp()) // 3600
    counts = [(midnight - 1, 3), (midnight, 2), (midnight + 23, 1), (midnight + 24, 7)]
    assert days_of(counts, SYDNEY) == [
        DayCount(date(2026, 5, 31), 7),
        DayCount(date(2026, 5, 30), 3),
        DayCount(date(2026, 5, 29), 3),
    ]
    assert days_of([], UTC) == []


def test_drift_is_judged_only_after_the_lock_and_only_for_scored_images():
    mark = DriftMark(reference=40.0, fraction=0.5, since=1000.0)
    assert mark.drifted(1000.0, 19.9)
    assert not mark.drifted(1000.0, 20.0)
    assert not mark.drifted(999.0, 1.0), "taken before focus was locked"
    assert not mark.drifted(2000.0, None)


def test_a_lock_time_that_cannot_be_read_judges_every_image():
    assert drift_mark(40.0, 0.5, "not a time").since == 0.0
    assert drift_mark(40.0, 0.5, "").since == 0.0
    assert (
        drift_mark(40.0, 0.5, "2026-05-30T06:00:00+00:00").since
        == datetime(2026, 5, 30, 6, tzinfo=UTC).timestamp()
    )


def test_a_listed_image_names_its_file_never_its_path():
    record = CaptureRecord("sim-1", "/home/x/images/sim-1/d/a.jpg", None, 5.0, 10, "ab", 3.0, 7)
    image = browse_image(record, DriftMark(40.0, 0.5))
    assert image == BrowseImage(7, "sim-1", "a.jpg", 5.0, 10, 3.0, True)
    assert not browse_image(record, None).drifted


def test_zip_names_are_unique():
    names = ["a.jpg", "a.jpg", "b", "b", "a (2).jpg", "a.jpg", ".hidden", ".hidden"]
    assert zip_names(names) == [
        "a.jpg",
        "a (2).jpg",
        "b",
        "b (2)",
        "a (2) (2).jpg",
        "a (3).jpg",
        ".hidden",
        " (2).hidden",
    ]


class Tracked(io.BytesIO):
    opened: list[Tracked] = []

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        Tracked.opened.append(self)


def images(count: int, size: int = 200_000) -> list[BrowseImage]:
    return [
        BrowseImage(n, "sim-1", f"{n}.jpg", 1.78e9 + n, size, None, False) for n in range(count)
    ]


def open_file(record_id: int):
    if record_id == 2:
        raise NotFound("gone")
    return None, Tracked(bytes([record_id]) * 200_000)


def test_the_zip_holds_every_file_there_is_stored_and_in_small_pieces():
    Tracked.opened = []
    pieces = list(zip_stream(images(4), open_file))
    assert max(len(p) for p in pieces) <= 64 * 1024 + 1024
    archive = zipfile.ZipFile(io.BytesIO(b"".join(pieces)))
    assert archive.namelist() == ["0.jpg", "1.jpg", "3.jpg"]
    assert archive.read("3.jpg") == bytes([3]) * 200_000
    assert {info.compress_type for info in archive.infolist()} == {zipfile.ZIP_STORED}
    assert all(source.closed for source in Tracked.opened)


def test_a_reader_that_stops_early_closes_the_file_held():
    Tracked.opened = []
    stream = zip_stream(images(4), open_file)
    next(stream), next(stream)
    assert len(Tracked.opened) == 1 and not Tracked.opened[0].closed
    stream.close()
    assert Tracked.opened[0].closed


def test_a_day_before_1980_still_zips():
    old = [BrowseImage(0, "sim-1", "old.jpg", 0.0, 3, None, False)]
    data = b"".join(zip_stream(old, lambda _id: (None, io.BytesIO(b"abc"))))
    assert zipfile.ZipFile(io.BytesIO(data)).read("old.jpg") == b"abc"
