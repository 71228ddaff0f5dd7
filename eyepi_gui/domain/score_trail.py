"""The live focus score's last minute, as a remote page draws it: a bounded trail of
(taken_at, score) points, thinned so that its size does not follow the frame rate."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

TRAIL_S = 60.0
"""How far back the trail reaches (seconds)."""
MIN_GAP_S = 0.25
"""At most four points a second are kept, whatever the frame rate."""


@dataclass(frozen=True)
class ScorePoint:
    """One live frame's focus score; ``at`` in epoch seconds."""

    at: float
    score: float


class ScoreTrail:
    """The points of the last ``TRAIL_S`` seconds (at most ``TRAIL_S / MIN_GAP_S`` + 1). Not
    thread-safe: its owner (the frame hub) holds its own lock around it."""

    def __init__(self) -> None:
        self._points: deque[ScorePoint] = deque(maxlen=int(TRAIL_S / MIN_GAP_S) + 1)

    def add(self, at: float, score: float) -> None:
        """Keep a frame's score unless the last kept point is under ``MIN_GAP_S`` older; a
        clock that went backwards starts the trail afresh."""
        if self._points and at < self._points[-1].at:
            self._points.clear()
        if self._points and at - self._points[-1].at < MIN_GAP_S:
            return
        self._points.append(ScorePoint(at, score))
        while self._points[0].at < at - TRAIL_S:
            self._points.popleft()

    def since(self, after: float | None = None) -> list[ScorePoint]:
        """The points newer than ``after`` (epoch seconds), oldest first; all when None."""
        return [p for p in self._points if after is None or p.at > after]

    def clear(self) -> None:
        self._points.clear()
