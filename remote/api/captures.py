"""Kept images: listed by camera and time, fetched by id (never by path)."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from flask import Blueprint, Response, send_file

from eyepi_gui.domain.records import CaptureQuery
from remote.api.registry import API, PREFIX
from remote.auth import services
from remote.models import CaptureFilter, CaptureOut

blueprint = Blueprint("captures", __name__, url_prefix=f"{PREFIX}/captures")


@API.route(
    blueprint,
    "",
    summary="Kept images, newest first (page on with before_id)",
    query=CaptureFilter,
    response=list[CaptureOut],
)
def list_captures(query: CaptureFilter) -> list[CaptureOut]:
    found = services().captures.find(
        CaptureQuery(query.camera, query.since, query.until, query.limit, query.before_id)
    )
    return [CaptureOut.of(record) for record in found]


@API.route(blueprint, "/<int:record_id>", summary="One kept image", response=CaptureOut)
def get_capture(record_id: int) -> CaptureOut:
    return CaptureOut.of(services().captures.record(record_id))


@API.route(
    blueprint,
    "/<int:record_id>/file",
    summary="Download a kept image",
    media="image/*",
)
def capture_file(record_id: int) -> Response:
    record, opened = services().captures.open_file(record_id)
    name = PurePath(record.path).name
    kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return send_file(opened, mimetype=kind, as_attachment=True, download_name=name)
