"""Station status, the public health probe and the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from eyepi_gui import __version__
from remote.api.registry import API, PREFIX
from remote.auth import services
from remote.models import Health, StationStatus
from remote.openapi import document
from remote.station_models import StationAbout

blueprint = Blueprint("station", __name__, url_prefix=PREFIX)


@API.route(
    blueprint, "/health", summary="Whether the endpoint answers", response=Health, public=True
)
def health() -> Health:
    return Health(ok=True)


@API.route(
    blueprint, "/status", summary="Station name, space and camera health", response=StationStatus
)
def status() -> StationStatus:
    return StationStatus.of(services().overview.health(), __version__)


@API.route(
    blueprint,
    "/station/about",
    summary="Hostname, addresses, the endpoint's URLs and TLS fingerprint, version, uptimes",
    response=StationAbout,
)
def about() -> StationAbout:
    """Any logged-in user, viewers included; not public: it maps the station's networks
    (interface names, every address) for whoever can reach the port."""
    return StationAbout.of(services().station_info.about())


@API.route(blueprint, "/openapi.json", summary="This OpenAPI document", response=dict[str, Any])
def openapi() -> Response:
    return jsonify(document(API))
