"""The capture browser's facts: which days a camera has images on, and one image as the
browser lists it (focus score and drift flag). Pure: no files, no clock."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.errors import InvalidInput

DAY_MAX = 5000
"""The most images one day lists (a camera every 20 s all day); more are left off."""
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class DayCount:
    """A day (in the station's zone) with ``count`` kept images of a camera."""

    day: date
    count: int


@dataclass(frozen=True)
class BrowseImage:
    """One kept image as the browser lists it; ``name`` is the file name only (never a
    path); ``drifted`` when focus was locked and the image scored below the drift mark."""

    record_id: int
    camera_id: str
    name: str
    taken_at: float
    size: int
    focus_score: float | None
    drifted: bool


@dataclass(frozen=True)
class DriftMark:
    """A camera's focus lock as the browser judges drift: images taken from ``since`` (epoch
    s) scoring below ``reference * fraction`` drifted."""

    reference: float
    fraction: float
    since: float = 0.0

    def drifted(self, taken_at: float, score: float | None) -> bool:
        return (
            score is not None and taken_at >= self.since and score < self.reference * self.fraction
        )


def parse_day(text: str) -> date:
    """``YYYY-MM-DD`` as a date; ``InvalidInput`` naming ``day`` otherwise."""
    if not _DAY.fullmatch(text):
        raise InvalidInput("day", "give a day as YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError as err:
        raise InvalidInput("day", f"there is no day {text}") from err


def day_span(day: date, tz: tzinfo) -> tuple[float, float]:
    """[start, stop) of ``day`` in zone ``tz`` as epoch seconds (23 or 25 h across DST)."""
    start = datetime.combine(day, time(), tz)
    stop = datetime.combine(day + timedelta(days=1), time(), tz)
    return start.timestamp(), stop.timestamp()


def days_of(hour_counts: Iterable[tuple[int, int]], tz: tzinfo) -> list[DayCount]:
    """Days with images, newest first, from (epoch hour, count) pairs: an hour falls on the
    day its start has in ``tz`` (zones off by a whole number of hours, as nearly all are)."""
    counts: Counter[date] = Counter()
    for hour, count in hour_counts:
        counts[datetime.fromtimestamp(hour * 3600, tz).date()] += count
    return [DayCount(day, counts[day]) for day in sorted(counts, reverse=True)]


def drift_mark(reference: float, fraction: float, locked_at: str) -> DriftMark:
    """The mark of a lock taken at ``locked_at`` (ISO text; unreadable: judge every image)."""
    try:
        since = datetime.fromisoformat(locked_at).timestamp() if locked_at else 0.0
    except ValueError:
        since = 0.0
    return DriftMark(reference, fraction, since)


def browse_image(record: CaptureRecord, mark: DriftMark | None) -> BrowseImage:
    assert record.record_id is not None
    return BrowseImage(
        record_id=record.record_id,
        camera_id=record.camera_id,
        name=record.path.rsplit("/", 1)[-1],
        taken_at=record.taken_at,
        size=record.size,
        focus_score=record.focus_score,
        drifted=mark is not None and mark.drifted(record.taken_at, record.focus_score),
    )


def zip_names(names: Iterable[str]) -> list[str]:
    """File names for a zip, each unique: a repeated name gets " (2)", " (3)" before its
    extension (two cameras' or a retaken image's files may share a name)."""
    seen: set[str] = set()
    out = []
    for name in names:
        stem, dot, ext = name.rpartition(".")
        stem, dot = (stem, dot) if dot else (name, "")
        candidate, n = name, 1
        while candidate in seen:
            n += 1
            candidate = f"{stem} ({n}){dot}{ext if dot else ''}"
        seen.add(candidate)
        out.append(candidate)
    return out
