"""Long-running work as plain data: what kind of job, how far it got, how it ended.

A job is started by a service (an export, a rescan), runs on a worker thread of
``services.jobs`` and is shown the same way by every frontend: the kiosk's progress strip,
``/api/v1/jobs``. Rate and time left are worked out in ``domain.throughput``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from eyepi_gui.domain.access import Permission


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"

    @property
    def finished(self) -> bool:
        return self in _FINISHED


_FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.CANCELLED})


@dataclass(frozen=True)
class JobKind:
    """What sort of work a job is. ``permission`` starts and cancels it; ``exclusive``: one
    job of this kind per target at a time (an export: one per stick), others are Busy."""

    name: str
    permission: Permission
    exclusive: bool = False


@dataclass(frozen=True)
class JobProgress:
    """How far a job got. Totals are 0 while unknown. ``rate_bps`` is bytes per second,
    smoothed (0.0 until measured); ``eta_s`` seconds left, None while it cannot be told;
    ``stage`` what the work does now ("copying", "verifying"), "" when it never said."""

    items_done: int = 0
    items_total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    rate_bps: float = 0.0
    eta_s: float | None = None
    stage: str = ""

    @property
    def fraction(self) -> float | None:
        """Share done (0-1) by bytes when their total is known, else by items; None when
        neither total is known."""
        if self.bytes_total > 0:
            return min(1.0, self.bytes_done / self.bytes_total)
        if self.items_total > 0:
            return min(1.0, self.items_done / self.items_total)
        return None


@dataclass(frozen=True)
class JobView:
    """One job as every frontend shows it. ``by`` is the label of the principal that started
    it; times are epoch seconds (``ended_at`` None until it finished); ``result`` is the
    work's summary once done, ``error`` why it failed or was cancelled ("" otherwise)."""

    job_id: str
    kind: JobKind
    title: str
    by: str
    state: JobState
    progress: JobProgress
    started_at: float
    ended_at: float | None = None
    result: str = ""
    error: str = ""
