"""The JSON API under ``/api/v1``: one blueprint per resource, all declared on
``registry.API``."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from remote.api import (
        browse,
        cameras,
        captures,
        focus,
        health,
        jobs,
        logs,
        network,
        retention,
        session,
        station,
        station_settings,
        storage,
        stream,
        support,
        tokens,
        users,
    )

    modules = (
        station,
        station_settings,
        network,
        session,
        cameras,
        focus,
        health,
        stream,
        captures,
        browse,
        users,
        tokens,
        jobs,
        storage,
        retention,
        support,
        logs,
    )
    for module in modules:
        app.register_blueprint(module.blueprint)
