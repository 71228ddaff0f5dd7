"""When the station ran and which cameras ran with it, kept in state.db for the health chart.

The capture scheduler reports at every step which cameras have a schedule (enabled, not
failed); a span starts when a subject starts running, is extended in state.db at most every
``HEARTBEAT_S`` and closed when the subject stops (a camera disabled, the station stopped).
After a crash a span ends at its last heartbeat. Writes go through the deferred-write queue,
so a busy database never holds up the scheduler.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable

from eyepi_gui.domain.health import STATION, camera_subject
from eyepi_gui.ports import ActivityLog, RunBeat
from eyepi_gui.services.access import internal, reads
from eyepi_gui.services.deferred_writes import DeferredWrites

HEARTBEAT_S = 60.0
"""How often a running span is extended in state.db (s): what a crash can cost it at most."""
STALE_S = 3 * HEARTBEAT_S
"""A step this long after the last heartbeat (the machine slept, the process hung) or one
before it (the clock moved back) ends the span at the last heartbeat and starts a new one:
that time is off, not running."""


class StationActivity:
    """Thread-safe. ``beat`` from the scheduler's steps, ``stop`` when the station stops."""

    def __init__(self, log: ActivityLog, writes: DeferredWrites) -> None:
        self._log, self._writes = log, writes
        self._open: dict[str, tuple[float, float]] = {}  # subject -> (started, last written)
        self._lock = threading.Lock()

    @internal
    def beat(self, now: float, cameras: Iterable[str]) -> None:
        """The station runs at ``now`` with schedules for ``cameras`` (ids)."""
        running = {STATION} | {camera_subject(camera_id) for camera_id in cameras}
        with self._lock:
            beats = self._closed(set(self._open) - running, now)
            for subject in sorted(running):
                beats.extend(self._beat(subject, now))
        self._store(beats)

    def _beat(self, subject: str, now: float) -> list[RunBeat]:
        """What to write for ``subject`` running at ``now`` (the lock is held)."""
        if subject not in self._open:
            self._open[subject] = (now, now)
            return [(subject, now, now)]
        started, written = self._open[subject]
        if now - written > STALE_S or now < written:
            self._open[subject] = (now, now)
            return [(subject, started, written), (subject, now, now)]
        if now - written >= HEARTBEAT_S:
            self._open[subject] = (started, now)
            return [(subject, started, now)]
        return []

    @internal
    def stop(self, now: float) -> None:
        """The station stops at ``now``: every span ends there."""
        with self._lock:
            beats = self._closed(set(self._open), now)
        self._store(beats)

    @reads
    def running(self) -> dict[str, float]:
        """Subjects running now and when their span started (epoch s): a reader extends
        those spans to "now", past their last heartbeat."""
        with self._lock:
            return {subject: started for subject, (started, _) in self._open.items()}

    def _closed(self, subjects: set[str], now: float) -> list[RunBeat]:
        """End the spans of ``subjects`` at ``now`` (the lock is held)."""
        beats = []
        for subject in sorted(subjects):
            started, written = self._open.pop(subject)
            stale = now - written > STALE_S or now < written
            beats.append((subject, started, written if stale else now))
        return beats

    def _store(self, beats: list[RunBeat]) -> None:
        if beats:
            label = "run spans: " + ", ".join(f"{s} {a:.0f}-{b:.0f}" for s, a, b in beats)
            self._writes.submit(label, lambda: self._log.record(beats))
