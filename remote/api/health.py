"""A camera's capture health: the last 24 h, expected vs taken per hour, and its last capture."""

from __future__ import annotations

from flask import Blueprint

from remote.api.registry import API, PREFIX
from remote.auth import services
from remote.models import CameraHealthOut

blueprint = Blueprint("capture_health", __name__, url_prefix=f"{PREFIX}/cameras")


@API.route(
    blueprint,
    "/<camera_id>/health",
    summary="The last 24 h of captures, hour by hour, and when the last one was",
    response=CameraHealthOut,
)
def camera_health(camera_id: str) -> CameraHealthOut:
    return CameraHealthOut.of(services().overview.capture_health(camera_id))
