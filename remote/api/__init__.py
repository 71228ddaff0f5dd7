"""The JSON API under ``/api/v1``: one blueprint per resource, all declared on
``registry.API``."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from remote.api import cameras, captures, session, station, stream, tokens, users

    for module in (station, session, cameras, stream, captures, users, tokens):
        app.register_blueprint(module.blueprint)
