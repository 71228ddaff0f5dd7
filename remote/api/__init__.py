"""The JSON API under ``/api/v1``: one blueprint per resource, all declared on ``API``."""

from __future__ import annotations

from flask import Flask

from remote.openapi import Api

API = Api()
PREFIX = "/api/v1"


def register(app: Flask) -> None:
    from remote.api import (
        cameras,
        captures,
        session,
        station,
        station_settings,
        stream,
        tokens,
        users,
    )

    for module in (station, station_settings, session, cameras, stream, captures, users, tokens):
        app.register_blueprint(module.blueprint)
