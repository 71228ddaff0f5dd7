"""Capture schedules: daily windows, clock-aligned slots, gaps.

Times are epoch seconds (float); wall-clock rules are applied in an explicit ``tzinfo``.
Slots are aligned on the station's standard-time midnight, so an interval of 300 s captures
at :00, :05, ... and an interval of one day at local midnight, whatever the DST state.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

ALWAYS = "always"
_WINDOW = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])")
_EPSILON = 1e-6


@dataclass(frozen=True)
class DailyWindow:
    """Wall-clock hours in which a camera captures: [start, stop); may cross midnight."""

    start: time
    stop: time

    def contains(self, t: time) -> bool:
        if self.start < self.stop:
            return self.start <= t < self.stop
        return t >= self.start or t < self.stop

    @property
    def crosses_midnight(self) -> bool:
        return self.stop < self.start

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.stop:%H:%M}"


def parse_window(text: str) -> DailyWindow | None:
    """Parse "HH:MM-HH:MM" or "always" (None), spaces around allowed (no other white space).
    Raises ValueError with the reason."""
    if text.strip(" ").lower() == ALWAYS:
        return None
    match = _WINDOW.fullmatch(text.strip(" "))
    if not match:
        raise ValueError(
            'use "HH:MM-HH:MM" (24-hour clock, 00:00 to 23:59; "05:00-00:00" ends at midnight) '
            'or "always"'
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if (h1, m1) == (h2, m2):
        raise ValueError('start and stop are equal; use "always" for a window that never closes')
    return DailyWindow(time(h1, m1), time(h2, m2))


def local(ts: float, tz: tzinfo) -> datetime:
    return datetime.fromtimestamp(ts, tz)


def in_window(ts: float, window: DailyWindow | None, tz: tzinfo) -> bool:
    return window is None or window.contains(local(ts, tz).time())


def _phase(ts: float, tz: tzinfo) -> float:
    """Offset of slot 0: standard-time midnight of the zone, as epoch seconds mod anything."""
    moment = local(ts, tz)
    standard = (moment.utcoffset() or timedelta()) - (moment.dst() or timedelta())
    return -standard.total_seconds()


def slot_at_or_after(ts: float, interval: float, tz: tzinfo) -> float:
    phase = _phase(ts, tz)
    k = math.ceil((ts - phase) / interval - _EPSILON)
    return round(k * interval + phase, 6)


def slot_at_or_before(ts: float, interval: float, tz: tzinfo) -> float:
    phase = _phase(ts, tz)
    k = math.floor((ts - phase) / interval + _EPSILON)
    return round(k * interval + phase, 6)


def _at(day: date, t: time, tz: tzinfo) -> float:
    return datetime.combine(day, t, tzinfo=tz).timestamp()


def open_spans(
    start: float, stop: float, window: DailyWindow | None, tz: tzinfo
) -> Iterator[tuple[float, float]]:
    """The parts of [start, stop) in which ``window`` is open, in order."""
    if window is None:
        if start < stop:
            yield start, stop
        return
    day = local(start, tz).date() - timedelta(days=1)
    last = local(stop, tz).date()
    while day <= last:
        stop_day = day + timedelta(days=1) if window.crosses_midnight else day
        a, b = max(_at(day, window.start, tz), start), min(_at(stop_day, window.stop, tz), stop)
        if a < b:
            yield a, b
        day += timedelta(days=1)


def next_slot(after: float, interval: float, window: DailyWindow | None, tz: tzinfo) -> float:
    """The first slot at or after ``after`` inside the window."""
    horizon = after + 2 * 86400 + interval
    for a, b in open_spans(after, horizon, window, tz):
        slot = slot_at_or_after(a, interval, tz)
        if slot < b - _EPSILON:
            return slot
    raise ValueError("no slot inside the window within two days")


def count_slots(
    start: float, stop: float, interval: float, window: DailyWindow | None, tz: tzinfo
) -> int:
    """How many slots fall in [start, stop) inside the window."""
    total = 0
    for a, b in open_spans(start, stop, window, tz):
        first = slot_at_or_after(a, interval, tz)
        if first < b - _EPSILON:
            total += math.floor((b - _EPSILON - first) / interval) + 1
    return total


def day_bounds(ts: float, tz: tzinfo) -> tuple[float, float]:
    """Epoch seconds of the local midnight starting the day of ``ts`` and of the next one."""
    day = local(ts, tz).date()
    return _at(day, time(0), tz), _at(day + timedelta(days=1), time(0), tz)


@dataclass(frozen=True)
class SlotDecision:
    """What a camera's schedule does at one wake-up.

    ``dispatch`` is the slot to capture now (or None); ``missed`` slots from ``missed_from``
    passed without a capture; ``next_due`` is the slot to wait for next.
    """

    dispatch: float | None
    missed: int
    missed_from: float
    next_due: float


def decide(
    next_due: float,
    now: float,
    interval: float,
    window: DailyWindow | None,
    tz: tzinfo,
    grace: float,
) -> SlotDecision:
    """Decide what to do when woken at ``now`` with ``next_due`` pending. Never bursts."""
    if now < next_due:
        if next_due - now > interval + grace:  # the clock moved back: line up again
            return SlotDecision(None, 0, next_due, next_slot(now, interval, window, tz))
        return SlotDecision(None, 0, next_due, next_due)
    latest = slot_at_or_before(now, interval, tz)
    on_time = latest >= next_due and now - latest <= grace and in_window(latest, window, tz)
    due_slots = count_slots(next_due, latest + interval / 2, interval, window, tz)
    following = next_slot(latest + interval / 2, interval, window, tz)
    dispatch = latest if on_time else None
    return SlotDecision(dispatch, due_slots - (1 if on_time else 0), next_due, following)


def grace_for(interval: float) -> float:
    """How late (s) a slot may still be captured: half the interval, at most 30 s."""
    return min(interval / 2, 30.0)


def interval_text(seconds: float) -> str:
    """An interval as people say it: "2.5 s", "90 s", "5 min", "1 h 30 min", "24 h"."""
    if seconds < 60 or seconds % 60:
        return f"{seconds:g} s"
    hours, minutes = divmod(int(seconds // 60), 60)
    parts = ([f"{hours} h"] if hours else []) + ([f"{minutes} min"] if minutes else [])
    return " ".join(parts)
