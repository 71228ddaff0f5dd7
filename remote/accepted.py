"""The one way an endpoint answers that its work goes on as a job: 202 Accepted.

An endpoint whose service call starts a job (an export, a rescan) returns
``job_accepted(view)`` and declares the operation with ``response=JobRefOut, status=202``::

    @API.route(blueprint, "/export", "POST", summary="...", body=ExportIn,
               response=JobRefOut, status=202)
    def export(body: ExportIn) -> Response:
        return job_accepted(services().storage.export(principal(), ...))

The body is ``{"job_id": ..., "url": "/api/v1/jobs/<id>"}``, the ``Location`` header the same
URL: the client (or another browser) polls it for progress and POSTs ``<url>/cancel``.
"""

from __future__ import annotations

from flask import Response, jsonify

from eyepi_gui.domain.jobs import JobView
from remote.job_models import JobRefOut, job_url


def job_accepted(view: JobView) -> Response:
    """202 with a reference to job ``view`` and its URL in ``Location``."""
    ref = JobRefOut(job_id=view.job_id, url=job_url(view.job_id))
    response = jsonify(ref.model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = ref.url
    return response
