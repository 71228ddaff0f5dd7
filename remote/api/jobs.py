"""Long-running work (``/api/v1/jobs``): the station's one list of jobs, shared with the kiosk
and every browser, so a reload or a second viewer sees the same progress.

Everyone logged in reads; cancelling needs the permission of the job's kind (who may start
an export may stop one; admins may stop any). Endpoints that start work answer 202 with a
reference to the job (``remote.accepted``); so does cancel, which takes effect within a
second: GET the job to see it end.
"""

from __future__ import annotations

from flask import Blueprint, Response

from remote.accepted import job_accepted
from remote.api.registry import API, PREFIX
from remote.auth import principal, services
from remote.job_models import JobOut, JobRefOut

blueprint = Blueprint("jobs", __name__, url_prefix=f"{PREFIX}/jobs")


@API.route(
    blueprint,
    "",
    summary="Jobs going on and the last finished ones, newest first",
    response=list[JobOut],
)
def list_jobs() -> list[JobOut]:
    return [JobOut.of(view) for view in services().jobs.jobs()]


@API.route(blueprint, "/<job_id>", summary="One job: progress, result or error", response=JobOut)
def get_job(job_id: str) -> JobOut:
    return JobOut.of(services().jobs.job(job_id))


@API.route(
    blueprint,
    "/<job_id>/cancel",
    "POST",
    summary="Stop a job (the permission of its kind); it ends within a second; answers 202 "
    "with the job to watch (a finished job stays as it ended)",
    response=JobRefOut,
    status=202,
)
def cancel_job(job_id: str) -> Response:
    return job_accepted(services().jobs.cancel(principal(), job_id))
