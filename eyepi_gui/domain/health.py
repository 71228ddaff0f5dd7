"""Capture health: how many slots a camera was expected to capture, hour by hour.

A slot is expected only while the camera ran: the station was running and the camera was
enabled with a schedule (``RunSpan`` records those times, see ``services.station_activity``).
Time the station was off, or the camera disabled, is off, not missed. Times are epoch
seconds; hours are the station's local clock hours.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from itertools import pairwise

from eyepi_gui.domain import schedule
from eyepi_gui.domain.schedule import DailyWindow

HOUR_S = 3600.0
STATION = "station"
"""The subject of the station's own run spans; a camera's is ``camera_subject(id)``."""


def camera_subject(camera_id: str) -> str:
    return f"camera:{camera_id}"


@dataclass(frozen=True, order=True)
class RunSpan:
    """Something ran in [start, stop) (epoch s)."""

    start: float
    stop: float


@dataclass(frozen=True)
class HourHealth:
    """One hour of a camera's capture health: [start, stop) in epoch s (the current hour
    stops at "now"); slots expected while the camera ran, scheduled captures taken, and how
    many of the hour's seconds the camera and the station ran."""

    start: float
    stop: float
    expected: int
    taken: int
    running_s: float
    station_s: float

    @property
    def missed(self) -> int:
        return max(0, self.expected - self.taken)

    @property
    def gap(self) -> bool:
        """Slots were expected and not all were taken."""
        return self.missed > 0

    @property
    def off_s(self) -> float:
        """Seconds of the hour in which the camera did not run (station off or disabled)."""
        return max(0.0, self.stop - self.start - self.running_s)

    @property
    def station_off_s(self) -> float:
        return max(0.0, self.stop - self.start - self.station_s)


def merge(spans: Iterable[RunSpan]) -> list[RunSpan]:
    """The union of ``spans`` as disjoint spans in order (empty ones dropped)."""
    merged: list[RunSpan] = []
    for span in sorted(s for s in spans if s.start < s.stop):
        if merged and span.start <= merged[-1].stop:
            merged[-1] = RunSpan(merged[-1].start, max(merged[-1].stop, span.stop))
        else:
            merged.append(span)
    return merged


def clip(spans: Sequence[RunSpan], start: float, stop: float) -> list[RunSpan]:
    """The parts of disjoint ``spans`` inside [start, stop)."""
    parts = (RunSpan(max(s.start, start), min(s.stop, stop)) for s in spans)
    return [part for part in parts if part.start < part.stop]


def covered_s(spans: Sequence[RunSpan], start: float, stop: float) -> float:
    """Seconds of [start, stop) that disjoint ``spans`` cover."""
    return sum(part.stop - part.start for part in clip(spans, start, stop))


def expected_slots(
    running: Sequence[RunSpan],
    start: float,
    stop: float,
    interval: float,
    window: DailyWindow | None,
    tz: tzinfo,
) -> int:
    """Slots in [start, stop), inside the window, while disjoint ``running`` spans ran."""
    return sum(
        schedule.count_slots(part.start, part.stop, interval, window, tz)
        for part in clip(running, start, stop)
    )


def hour_edges(now: float, tz: tzinfo, hours: int = 24) -> list[float]:
    """``hours + 1`` edges of the last ``hours`` local clock hours, the current one last
    and cut at ``now``: [h-23, h-22, ..., h, now] where h is the start of now's hour."""
    offset = datetime.fromtimestamp(now, tz).utcoffset()
    offset_s = offset.total_seconds() if offset else 0.0
    current = now - (now + offset_s) % HOUR_S
    return [current - HOUR_S * back for back in range(hours - 1, -1, -1)] + [now]


def hourly_health(
    edges: Sequence[float],
    camera: Iterable[RunSpan],
    station: Iterable[RunSpan],
    taken: Sequence[int],
    interval: float,
    window: DailyWindow | None,
    tz: tzinfo,
) -> list[HourHealth]:
    """One ``HourHealth`` per pair of ``edges``; ``taken[i]`` captures in hour i. The
    camera counts as running only while the station ran too."""
    station_spans = merge(station)
    running = merge(
        part for span in merge(camera) for part in clip(station_spans, span.start, span.stop)
    )
    return [
        HourHealth(
            start=a,
            stop=b,
            expected=expected_slots(running, a, b, interval, window, tz),
            taken=taken[i],
            running_s=covered_s(running, a, b),
            station_s=covered_s(station_spans, a, b),
        )
        for i, (a, b) in enumerate(pairwise(edges))
    ]


def summary_text(hours: Sequence[HourHealth]) -> str:
    """The chart in words (its accessible description, the web chart's title): "Last 24 h:
    1410 of 1420 expected captures taken; gaps in 2 hours; off 3 h"."""
    expected, taken = sum(h.expected for h in hours), sum(h.taken for h in hours)
    parts = [f"Last {len(hours)} h: {taken} of {expected} expected captures taken"]
    gaps = sum(h.gap for h in hours)
    if gaps:
        parts.append(f"gaps in {gaps} hour{'s' if gaps != 1 else ''}")
    off_h = round(sum(h.off_s for h in hours) / HOUR_S)
    if off_h:
        parts.append(f"off {off_h} h")
    return "; ".join(parts)
