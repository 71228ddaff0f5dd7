"""The station's own settings and its network cameras. Changes are admin-only (the service
decides), need the password typed recently and a browser session (``needs_password``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint

from remote.api.registry import API, PREFIX
from remote.auth import needs_password, principal, services
from remote.station_models import (
    NetworkCameraIn,
    NetworkCameraOut,
    StationSettingsChange,
    StationSettingsOut,
    StreamTestIn,
    StreamTestOut,
)

blueprint = Blueprint("station_settings", __name__, url_prefix=PREFIX)


@API.route(
    blueprint,
    "/station/settings",
    summary="The station's settings and where its endpoint runs",
    response=StationSettingsOut,
)
def get_station_settings() -> StationSettingsOut:
    station = services()
    return StationSettingsOut.of(station.config.current(), station.endpoint.current())


@API.route(
    blueprint,
    "/station/settings",
    "PATCH",
    summary="Change station settings, all or nothing (admin; a new [remote] restarts the "
    "endpoint where it says)",
    body=StationSettingsChange,
    response=StationSettingsOut,
)
@needs_password
def patch_station_settings(body: Any) -> StationSettingsOut:
    station = services()
    settings = station.config.update_station(principal(), body.changes())
    return StationSettingsOut.of(settings, station.endpoint.current())


@API.route(
    blueprint,
    "/network-cameras",
    summary="Every network camera (URLs without secrets)",
    response=list[NetworkCameraOut],
)
def list_network_cameras() -> list[NetworkCameraOut]:
    return [NetworkCameraOut.of(view) for view in services().network_cameras.list()]


@API.route(
    blueprint,
    "/network-cameras",
    "POST",
    summary="Add a network camera; it captures at once (admin)",
    body=NetworkCameraIn,
    response=NetworkCameraOut,
    status=201,
)
@needs_password
def add_network_camera(body: NetworkCameraIn) -> NetworkCameraOut:
    view = services().network_cameras.add(principal(), body.camera_id, body.url, body.password)
    return NetworkCameraOut.of(view)


@API.route(
    blueprint,
    "/network-cameras/test",
    "POST",
    summary="Open a stream once and read a frame, before adding it (admin; up to 10 s)",
    body=StreamTestIn,
    response=StreamTestOut,
)
@needs_password
def test_network_camera(body: StreamTestIn) -> StreamTestOut:
    return StreamTestOut.of(services().network_cameras.test(principal(), body.url, body.password))


@API.route(
    blueprint,
    "/network-cameras/<camera_id>",
    "DELETE",
    summary="Remove a network camera and stop it (admin)",
    status=204,
)
@needs_password
def remove_network_camera(camera_id: str) -> None:
    services().network_cameras.remove(principal(), camera_id)
