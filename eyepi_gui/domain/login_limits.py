"""How many failed logins are allowed before the password is even checked.

Failures are counted per key (an account or a source, each within one origin) in sliding
windows. Times are epoch seconds passed in by the caller: no clock is read here.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """At most ``failures`` failed attempts within ``window_s`` seconds."""

    failures: int
    window_s: float


ACCOUNT_LIMITS = (Limit(3, 60.0), Limit(10, 3600.0))
"""Per account and origin: 3 a minute, 10 an hour."""
SOURCE_LIMITS = (Limit(10, 60.0), Limit(30, 3600.0))
"""Per source (the touchscreen, one remote address, the CLI), across all accounts."""
MAX_KEYS = 10_000
"""Keys remembered at most; the least recently failed are forgotten first (bounded memory)."""


class FailureCounter:
    """Recent failures per key, bounded in memory. Not thread-safe: the caller locks."""

    def __init__(self, limits: Sequence[Limit], max_keys: int = MAX_KEYS) -> None:
        self._limits = tuple(limits)
        self._horizon = max(limit.window_s for limit in self._limits)
        self._largest = max(limit.failures for limit in self._limits)
        self._max_keys = max_keys
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def wait_s(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again (0 when it may try now)."""
        times = self._failures.get(key)
        if not times:
            return 0.0
        return max((self._wait_for(limit, times, now) for limit in self._limits), default=0.0)

    @staticmethod
    def _wait_for(limit: Limit, times: deque[float], now: float) -> float:
        recent = [t for t in times if now - t < limit.window_s]
        if len(recent) < limit.failures:
            return 0.0
        # The attempt that must leave the window before one more failure is allowed.
        blocking = recent[len(recent) - limit.failures]
        return max(0.0, blocking + limit.window_s - now)

    def add(self, key: str, now: float) -> None:
        times = self._failures.pop(key, None) or deque(maxlen=self._largest)
        times.append(now)
        self._failures[key] = times
        self._forget(now)

    def clear(self, key: str) -> None:
        self._failures.pop(key, None)

    def _forget(self, now: float) -> None:
        while len(self._failures) > self._max_keys:
            self._failures.popitem(last=False)
        oldest_key = next(iter(self._failures), None)
        if oldest_key is not None and now - self._failures[oldest_key][-1] >= self._horizon:
            del self._failures[oldest_key]
