"""Support bundles (``/api/v1/support``, operators and admins): the station's recent logs,
settings without secrets, ``eyepi doctor`` report, capture health and versions as one zip.

The zip is streamed: made while the client reads it (a few chunks in memory), named after
the station and the time in safe characters only (``domain.support_bundle.bundle_name``).
"""

from __future__ import annotations

from flask import Blueprint, Response, stream_with_context

from remote.api.registry import API, PREFIX
from remote.auth import principal, services

blueprint = Blueprint("support", __name__, url_prefix=f"{PREFIX}/support")


@API.route(
    blueprint,
    "/bundle",
    summary="A support bundle (operator): recent logs, station.toml without its secrets, "
    "the eyepi doctor report, capture health per camera and versions, as a zip, streamed",
    media="application/zip",
)
def bundle() -> Response:
    made = services().support.download(principal())
    response = Response(stream_with_context(made.chunks), mimetype="application/zip")
    response.headers["Content-Disposition"] = f'attachment; filename="{made.name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
