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
        focus,
        session,
        station,
        station_settings,
        stream,
        tokens,
        users,
    )

    modules = (station, station_settings, session, cameras, focus, stream, captures, users, tokens)
    for module in modules:
        app.register_blueprint(module.blueprint)
