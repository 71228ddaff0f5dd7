"""The API's models of jobs (``/api/v1/jobs``): long-running work, its progress and outcome,
and the 202 answer that hands out a job (``remote.accepted``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from eyepi_gui.domain.jobs import JobProgress, JobView

JOBS = "/api/v1/jobs"
State = Literal["queued", "running", "done", "failed", "cancelled"]


def job_url(job_id: str) -> str:
    return f"{JOBS}/{job_id}"


class JobProgressOut(BaseModel):
    """How far a job got: totals 0 while unknown; ``rate_bps`` bytes per second, smoothed
    (0 until measured); ``eta_s`` seconds left (null while it cannot be told); ``fraction``
    0-1 by bytes, else by items (null without totals); ``stage`` what the work does now."""

    items_done: int
    items_total: int
    bytes_done: int
    bytes_total: int
    rate_bps: float
    eta_s: float | None
    fraction: float | None
    stage: str

    @classmethod
    def of(cls, progress: JobProgress) -> JobProgressOut:
        return cls(**progress.__dict__, fraction=progress.fraction)


class JobOut(BaseModel):
    """One job. ``kind`` names its sort of work; ``by`` who started it; times epoch s
    (``ended_at`` null while it goes on); ``result`` the summary once done, ``error`` why
    it failed or was cancelled. ``cancel_url``: POST there to stop it (within a second)."""

    job_id: str
    kind: str
    title: str
    by: str
    state: State
    progress: JobProgressOut
    started_at: float
    ended_at: float | None
    result: str
    error: str
    url: str
    cancel_url: str

    @classmethod
    def of(cls, view: JobView) -> JobOut:
        url = job_url(view.job_id)
        return cls(
            job_id=view.job_id,
            kind=view.kind.name,
            title=view.title,
            by=view.by,
            state=view.state.value,
            progress=JobProgressOut.of(view.progress),
            started_at=view.started_at,
            ended_at=view.ended_at,
            result=view.result,
            error=view.error,
            url=url,
            cancel_url=f"{url}/cancel",
        )


class JobRefOut(BaseModel):
    """The answer 202 Accepted: the work goes on as job ``job_id``; GET ``url`` (also in the
    ``Location`` header) for its progress and outcome."""

    job_id: str
    url: str
