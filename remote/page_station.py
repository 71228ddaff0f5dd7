"""The station page: station-wide settings, the remote endpoint and the network cameras, for
admins (others see the settings and why they may not change them). Plain form posts that work
without JavaScript; ``station.js`` tests a stream in place. Changes need the password typed
within ``remote.reauth_s``. A change that restarts or stops the endpoint this page comes
through is said first and needs a confirm; afterwards the page gives the new address."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, refusal
from eyepi_gui.errors import InvalidInput
from remote import station_form as form
from remote.auth import needs_password, principal, services
from remote.errors import NeedsPassword

blueprint = Blueprint("station", __name__, url_prefix="/station")

CAMERA_FIELDS = ("camera_id", "url")
NOTICES = {
    "saved": "Saved: in effect now.",
    "camera-added": "Network camera added: it captures from now on.",
    "camera-removed": "Network camera removed and stopped.",
    "confirmed": "Password confirmed: make the change again.",
}


@blueprint.get("")
def show() -> tuple[str, int]:
    return _page()


@blueprint.post("")
@needs_password
def save() -> Response | tuple[str, int]:
    station, values = services(), form.typed(request.form)
    current = station.config.current()
    changes = form.changes(current, values)
    effect = form.cutoff(current, changes, _host())
    if effect.any and request.form.get("confirm_cutoff") != "1":
        return _page(values=values, cutoff=effect)
    if changes:
        station.config.update_station(principal(), changes)
    else:
        station.access.authorize(principal(), Permission.STATION_SETTINGS)
    if effect.any:
        return render_template("station_moved.html", cutoff=effect), 200
    return redirect(url_for(".show", notice="saved"), code=303)


@blueprint.post("/cameras")
@needs_password
def add_camera() -> Response:
    camera = _camera_typed()
    password = request.form.get("password", "")[:256] or None
    services().network_cameras.add(principal(), camera["camera_id"], camera["url"], password)
    return redirect(url_for(".show", notice="camera-added"), code=303)


@blueprint.post("/cameras/test")
@needs_password
def test_camera() -> tuple[str, int]:
    camera = _camera_typed()
    password = request.form.get("password", "")[:256] or None
    found = services().network_cameras.test(principal(), camera["url"], password)
    return _page(camera=camera, stream_test=found)


@blueprint.post("/cameras/<camera_id>/remove")
@needs_password
def remove_camera(camera_id: str) -> Response:
    services().network_cameras.remove(principal(), camera_id)
    return redirect(url_for(".show", notice="camera-removed"), code=303)


@blueprint.errorhandler(NeedsPassword)
def _confirm_first(err: NeedsPassword) -> tuple[str, int]:
    return _page(401, confirm=True, **_typed_again())


@blueprint.errorhandler(InvalidInput)
def _refused(err: InvalidInput) -> tuple[str, int]:
    problems = err.problems or {err.field: err.reason}
    if request.endpoint == "pages.station.save":
        fields, others = form.by_field(problems)
        return _page(400, values=form.typed(request.form), problems=fields, others=others)
    return _page(400, camera=_camera_typed(), camera_problems=dict(problems))


def _typed_again() -> dict[str, Any]:
    """What the form that needed the password held (never a password), to show it again."""
    if request.endpoint == "pages.station.save":
        return {"values": form.typed(request.form)}
    if request.endpoint in ("pages.station.add_camera", "pages.station.test_camera"):
        return {"camera": _camera_typed()}
    return {}


def _camera_typed() -> dict[str, str]:
    return {key: request.form.get(key, "")[:2048] for key in CAMERA_FIELDS}


def _host() -> str:
    """The host this browser reached the station by (for the new address after a move)."""
    return urlsplit(request.host_url).hostname or request.host


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    station, who = services(), principal()
    settings = station.config.current()
    context: dict[str, Any] = {
        "values": form.shown(settings),
        "problems": {},
        "others": [],
        "camera": {"camera_id": "", "url": ""},
        "camera_problems": {},
        "stream_test": None,
        "cutoff": None,
        "confirm": False,
    } | extra
    html = render_template(
        "station.html",
        zones=form.time_zones(),
        network_cameras=station.network_cameras.list(),
        endpoint=station.endpoint.current(),
        refusal=refusal(station.access.role_of(who), Permission.STATION_SETTINGS),
        notice=NOTICES.get(request.args.get("notice", "")),
        **context,
    )
    return html, status
