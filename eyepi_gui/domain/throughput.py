"""Rate and time left of a job, from its counts at given moments: pure, the clock is passed in.

The rate is an exponential moving average of the rate between samples, so one slow file
does not make the time left jump. Samples closer than ``SAMPLE_S`` apart are not taken (their
rate is noise); a reading ``at`` a later time counts the time since the last sample as time
without progress, so a stalled copy (a pulled stick) shows its rate falling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SAMPLE_S = 0.5
"""Shortest time (s) between two samples of the counts."""
SMOOTHING_S = 5.0
"""Time constant (s) of the moving average: a change of speed shows 63% after this long."""


@dataclass(frozen=True)
class Throughput:
    """Counts at the last sample (``at``, monotonic s) and the smoothed rates, bytes and
    items per second (None until a first interval was measured)."""

    at: float
    items: int = 0
    bytes: int = 0
    bytes_rate: float | None = None
    items_rate: float | None = None

    def sample(self, now: float, items: int, bytes_done: int) -> Throughput:
        """The meter after the counts were ``items`` and ``bytes_done`` at ``now``; unchanged
        when the last sample is less than SAMPLE_S old."""
        seconds = now - self.at
        if seconds < SAMPLE_S:
            return self
        weight = 1.0 - math.exp(-seconds / SMOOTHING_S)
        return Throughput(
            now,
            items,
            bytes_done,
            _smoothed(self.bytes_rate, (bytes_done - self.bytes) / seconds, weight),
            _smoothed(self.items_rate, (items - self.items) / seconds, weight),
        )

    def at_time(self, now: float) -> Throughput:
        """The meter read at ``now`` with no progress since the last sample."""
        return self.sample(now, self.items, self.bytes)


def _smoothed(previous: float | None, current: float, weight: float) -> float:
    current = max(0.0, current)
    return current if previous is None else previous + weight * (current - previous)


def eta_s(
    meter: Throughput, items_done: int, items_total: int, bytes_done: int, bytes_total: int
) -> float | None:
    """Seconds left at the smoothed rate: by bytes when their total is known, else by items;
    0 once done; None when there is no total or no rate yet (or the rate is 0)."""
    if bytes_total > 0:
        return _left(bytes_total - bytes_done, meter.bytes_rate)
    if items_total > 0:
        return _left(items_total - items_done, meter.items_rate)
    return None


def _left(remaining: int, rate: float | None) -> float | None:
    if remaining <= 0:
        return 0.0
    if rate is None or rate <= 0:
        return None
    return remaining / rate
