"""A job's page: what it does now, progress (items, bytes, rate, time left), Cancel, and how
it ended (an export's result ends "safe to remove").

The page is complete when served, so a reload (or another browser) shows the job as it is;
``jobs.js`` then polls ``/api/v1/jobs/<id>`` and fills in the same figures in the same words
until the job ends. Cancel is a plain form post (CSRF) that comes back to this page.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import allowed
from eyepi_gui.domain.jobs import JobProgress, JobState, JobView
from eyepi_gui.domain.sizes import size_text
from remote.auth import principal, services
from remote.job_models import job_url

blueprint = Blueprint("jobs", __name__, url_prefix="/jobs")
BAR_STEPS = 1000
"""The progress bar's ``max``: fractions show to a tenth of a percent."""


@blueprint.get("/<job_id>")
def show(job_id: str) -> str:
    station = services()
    job = station.jobs.job(job_id)
    role = station.access.role_of(principal())
    return render_template(
        "job.html",
        job=job,
        api_url=job_url(job.job_id),
        can_cancel=allowed(role, job.kind.permission),
        bar=_bar(job.progress),
    )


@blueprint.post("/<job_id>/cancel")
def cancel(job_id: str) -> Response:
    services().jobs.cancel(principal(), job_id)
    return redirect(url_for(".show", job_id=job_id), code=303)


def _bar(progress: JobProgress) -> int | None:
    fraction = progress.fraction
    return None if fraction is None else round(fraction * BAR_STEPS)


@blueprint.app_template_global("job_state_text")
def state_text(view: JobView) -> str:
    """What the job does now, or how it ended (jobs.js says the same)."""
    if view.state is JobState.QUEUED:
        return "Waiting to start"
    if view.state is JobState.RUNNING:
        return view.progress.stage.capitalize() or "Running"
    if view.state is JobState.DONE:
        return "Done"
    if view.state is JobState.FAILED:
        return "Failed"
    return "Cancelled"


@blueprint.app_template_global("job_items_text")
def items_text(progress: JobProgress) -> str:
    """Items done: "12 of 40 items", "12 items" without a total, "" before the first."""
    done, total = progress.items_done, progress.items_total
    if total:
        return f"{done:,} of {total:,} items"
    return f"{done:,} items" if done else ""


@blueprint.app_template_global("job_bytes_text")
def bytes_text(progress: JobProgress) -> str:
    """Bytes done: "1.2 MiB of 3.4 MiB", "120 MiB" without a total, "" before the first."""
    done, total = progress.bytes_done, progress.bytes_total
    if total:
        return f"{size_text(done)} of {size_text(total)}"
    return size_text(done) if done else ""


@blueprint.app_template_global("job_rate_text")
def rate_text(progress: JobProgress) -> str:
    """The smoothed rate: "12.5 MiB/s"; "" until measured."""
    return f"{size_text(round(progress.rate_bps))}/s" if progress.rate_bps > 0 else ""


@blueprint.app_template_global("job_left_text")
def left_text(eta_s: float | None) -> str:
    """Time left: "45 s", "12 min", "2 h 5 min"; "" when it cannot be told."""
    if eta_s is None:
        return ""
    seconds = round(eta_s)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60} min"
