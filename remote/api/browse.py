"""The capture browser's API: a camera's days, a day's images, thumbnails, a day as a zip.

The zip is streamed: made while the client reads it, a few hundred KiB in memory at most;
a client that goes away closes the generator, which closes the file it held."""

from __future__ import annotations

from flask import Blueprint, Response, stream_with_context

from eyepi_gui.domain.browse import parse_day
from remote.api.registry import API, PREFIX
from remote.auth import services
from remote.browse_models import (
    BrowseImageOut,
    CameraDayQuery,
    CameraDaysQuery,
    DayOut,
    ThumbnailQuery,
)

blueprint = Blueprint("capture_browser", __name__, url_prefix=f"{PREFIX}/captures")
THUMBNAIL_MAX_AGE_S = 7 * 24 * 3600
"""A thumbnail URL names an image whose file never changes under its id."""


@API.route(
    blueprint,
    "/days",
    summary="The days with kept images of a camera, newest first (station zone)",
    query=CameraDaysQuery,
    response=list[DayOut],
)
def camera_days(query: CameraDaysQuery) -> list[DayOut]:
    return [DayOut.of(found) for found in services().browser.days(query.camera)]


@API.route(
    blueprint,
    "/day",
    summary="A camera's kept images of one day, oldest first, with focus score and drift",
    query=CameraDayQuery,
    response=list[BrowseImageOut],
)
def camera_day(query: CameraDayQuery) -> list[BrowseImageOut]:
    images = services().browser.day(query.camera, parse_day(query.day))
    return [BrowseImageOut.of(image) for image in images]


@API.route(
    blueprint,
    "/day.zip",
    summary="A camera's kept images of one day as a zip, streamed",
    query=CameraDayQuery,
    media="application/zip",
)
def camera_day_zip(query: CameraDayQuery) -> Response:
    day = parse_day(query.day)
    chunks = services().browser.day_zip(query.camera, day)
    response = Response(stream_with_context(chunks), mimetype="application/zip")
    name = f"{query.camera}-{day.isoformat()}.zip"  # a camera id is [a-z0-9-] only
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@API.route(
    blueprint,
    "/<int:record_id>/thumbnail",
    summary="A small JPEG of a kept image (made once, then cached)",
    query=ThumbnailQuery,
    media="image/jpeg",
)
def capture_thumbnail(record_id: int, query: ThumbnailQuery) -> Response:
    data = services().thumbnails.thumbnail(record_id, query.size)
    response = Response(data, mimetype="image/jpeg")
    response.headers["Cache-Control"] = f"private, max-age={THUMBNAIL_MAX_AGE_S}"
    return response
