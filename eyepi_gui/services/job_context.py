"""What a job's work is handed: report progress, learn that it should stop.

Work runs on a worker thread of ``services.jobs.JobService`` and must call ``ctx.check()``
(or ``ctx.wait``) at least every ~100 ms, or once per chunk of a copy whichever is sooner:
a cancel takes effect at the next check, and the service promises it within a second.
Progress calls are cheap (a lock and some arithmetic); events go out at most
``EVENTS_PER_S`` times a second per job, the last report of a burst at the next call.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from eyepi_gui.domain.jobs import JobProgress
from eyepi_gui.domain.throughput import Throughput, eta_s
from eyepi_gui.ports import Clock

EVENTS_PER_S = 4.0
"""Most progress events (JobChanged) a second per job; state changes always go out."""


class JobCancelled(Exception):
    """Raised by ``JobContext.check`` once the job was cancelled: let it propagate (clean up
    in ``finally``); the service records the job as cancelled. Not an EyepiError, so an
    ``except EyepiError`` in work never swallows it."""


class JobContext:
    """The work's handle on its job. Counts only go up; totals may be set (or corrected) at
    any time, 0 meaning unknown."""

    def __init__(self, clock: Clock, publish: Callable[[], None]) -> None:
        self._clock = clock
        self._publish = publish
        self._lock = threading.Lock()
        self._cancel = threading.Event()
        self._reason = ""
        self._items, self._items_total, self._bytes, self._bytes_total = 0, 0, 0, 0
        self._stage = ""
        self._meter = Throughput(clock.monotonic())
        self._last_event = float("-inf")
        self._unpublished = False

    @property
    def cancelled(self) -> bool:
        """True once the job was asked to stop."""
        return self._cancel.is_set()

    def check(self) -> None:
        """Raise JobCancelled when the job was cancelled; else publish progress that waits."""
        if self._cancel.is_set():
            raise JobCancelled(self._reason)
        if self._unpublished:
            self._progressed()

    def wait(self, seconds: float) -> None:
        """Sleep up to ``seconds``; raise JobCancelled as soon as the job is cancelled."""
        if self._cancel.wait(max(0.0, seconds)):
            raise JobCancelled(self._reason)

    def advance(self, items: int = 0, bytes: int = 0) -> None:
        """``items`` more items and ``bytes`` more bytes are done."""
        if items < 0 or bytes < 0:
            raise ValueError("progress only goes forward")
        with self._lock:
            self._items += items
            self._bytes += bytes
            self._meter = self._meter.sample(self._clock.monotonic(), self._items, self._bytes)
        self._progressed()

    def set_totals(self, items: int | None = None, bytes: int | None = None) -> None:
        """How many items and bytes the whole job has (None: unchanged, 0: unknown)."""
        with self._lock:
            self._items_total = self._items_total if items is None else max(0, items)
            self._bytes_total = self._bytes_total if bytes is None else max(0, bytes)
        self._progressed()

    def stage(self, text: str) -> None:
        """What the work does now, in a few words for people ("verifying")."""
        with self._lock:
            self._stage = text
        self._progressed()

    def progress(self) -> JobProgress:
        """The progress now, rate and time left read at this moment (for the service)."""
        with self._lock:
            meter = self._meter.at_time(self._clock.monotonic())
            left = eta_s(meter, self._items, self._items_total, self._bytes, self._bytes_total)
            return JobProgress(
                self._items,
                self._items_total,
                self._bytes,
                self._bytes_total,
                round(meter.bytes_rate or 0.0, 1),
                None if left is None else round(left, 1),
                self._stage,
            )

    def begin(self) -> None:
        """The work starts now: the rate is measured from here (for the service)."""
        with self._lock:
            self._meter = Throughput(self._clock.monotonic(), self._items, self._bytes)

    def request_cancel(self, reason: str) -> bool:
        """Ask the work to stop, saying why (for the service); False when it was asked before."""
        with self._lock:
            if self._cancel.is_set():
                return False
            self._reason = reason
            self._cancel.set()
            return True

    @property
    def reason(self) -> str:
        """Why the job was cancelled ("" while it was not)."""
        return self._reason

    def _progressed(self) -> None:
        now = self._clock.monotonic()
        with self._lock:
            due = now - self._last_event >= 1.0 / EVENTS_PER_S
            self._unpublished = not due
            if due:
                self._last_event = now
        if due:
            self._publish()
