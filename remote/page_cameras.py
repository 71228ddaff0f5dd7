"""Camera pages: the live view (MJPEG, the polled focus score and, for operators, the
kiosk's focus controls over the JSON API) and the capture settings form, a plain form post
that works without JavaScript."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, refusal
from eyepi_gui.domain.camera import NO_FOCUS, CameraSetting, FocusSupport
from eyepi_gui.errors import EyepiError, InvalidInput
from eyepi_gui.services.overview import CameraOverview
from eyepi_gui.settings import CameraSettings, from_text
from remote.auth import principal, services

blueprint = Blueprint("cameras", __name__, url_prefix="/cameras")

TEXT_FIELDS = ("name", "interval_s", "window", "resolution", "jpeg_quality", "keep", "filename")
FIELDS = (*TEXT_FIELDS, "enabled", "formats")
FORMATS = ("jpg", "png")
KEEP = {"all": "Keep every image", "latest": "Keep only the latest image"}
Problems = tuple[dict[str, str], list[str]]


def _api(camera_id: str, what: str) -> str:
    return f"/api/v1/cameras/{quote(camera_id, safe='')}/{what}"


@blueprint.get("/<camera_id>/live")
def live(camera_id: str) -> str:
    camera = services().overview.camera(camera_id)
    support, support_problem = (
        _focus_support(camera_id) if camera.info.live_view else (NO_FOCUS, "")
    )
    return render_template(
        "live.html",
        camera=camera,
        stream_url=_api(camera_id, "stream"),
        focus_url=_api(camera_id, "focus"),
        focus_refusal=refusal(principal().role, Permission.FOCUS),
        support=support,
        support_notes=_support_notes(support, support_problem),
        lock=camera.settings.focus_lock,
    )


def _focus_support(camera_id: str) -> tuple[FocusSupport, str]:
    """What the camera offers for focusing, or why that could not be asked."""
    try:
        return services().focus.support(camera_id), ""
    except EyepiError as err:
        return NO_FOCUS, str(err)


def _support_notes(support: FocusSupport, problem: str) -> list[str]:
    """Why lens controls are off for this camera (nothing when it offers them all)."""
    if problem:
        return [f"The lens controls are off: {problem}"]
    if not (support.drive or support.autofocus):
        return ["This camera's lens cannot be driven from the station."]
    if not support.drive:
        return ["This camera offers no Near/Far steps, only its autofocus."]
    if not support.autofocus:
        return ["This camera has no autofocus; use the Near/Far steps."]
    return []


@blueprint.get("/<camera_id>/settings")
def settings(camera_id: str) -> str:
    camera = services().overview.camera(camera_id)
    return _form(camera, _shown(camera.settings), ({}, []), saved=request.args.get("saved") == "1")


@blueprint.post("/<camera_id>/settings")
def save_settings(camera_id: str) -> Response | tuple[str, int]:
    camera, typed = services().overview.camera(camera_id), _typed()
    changes = _changes(camera.settings, typed)
    try:
        if changes:
            services().config.update_camera(principal(), camera_id, changes)
        else:
            services().access.authorize(principal(), Permission.CAMERA_SETTINGS)
    except InvalidInput as err:
        return _form(camera, typed, _by_field(err.problems)), 400
    return redirect(url_for(".settings", camera_id=camera_id, saved=1), code=303)


def _form(
    camera: CameraOverview, values: Mapping[str, Any], problems: Problems, saved: bool = False
) -> str:
    device, device_problem = _device_settings(camera.info.camera_id)
    return render_template(
        "settings.html",
        camera=camera,
        values=values,
        problems=problems[0],
        other_problems=problems[1],
        saved=saved,
        refusal=refusal(principal().role, Permission.CAMERA_SETTINGS),
        formats=FORMATS,
        keep_choices=KEEP,
        device=device,
        device_problem=device_problem,
    )


def _device_settings(camera_id: str) -> tuple[list[CameraSetting], str]:
    """The camera's own settings (shown read-only), or why they could not be read."""
    try:
        return services().cameras.device_settings(camera_id), ""
    except EyepiError as err:
        return [], str(err)


def _shown(current: CameraSettings) -> dict[str, Any]:
    """The form's values for ``current`` settings, as the user would type them."""
    values: dict[str, Any] = {key: str(getattr(current, key)) for key in TEXT_FIELDS}
    values["interval_s"] = repr(current.interval_s).removesuffix(".0")
    return values | {"enabled": current.enabled, "formats": list(current.formats)}


def _typed() -> dict[str, Any]:
    """What the form sent (unchecked boxes are absent from a form post)."""
    form = request.form
    typed: dict[str, Any] = {key: form.get(key, "") for key in TEXT_FIELDS}
    return typed | {"enabled": "enabled" in form, "formats": form.getlist("formats")}


def _changes(current: CameraSettings, typed: Mapping[str, Any]) -> dict[str, Any]:
    """The typed values that differ from ``current``, numbers read from their text as the
    kiosk's form reads them (text that is no number is named by the settings' own check)."""
    wanted = from_text(CameraSettings, typed)
    return {key: value for key, value in wanted.items() if _differs(getattr(current, key), value)}


def _differs(current: object, typed: object) -> bool:
    return current != (tuple(typed) if isinstance(typed, list) else typed)


def _by_field(problems: Mapping[str, str]) -> Problems:
    """Problems keyed by form field ("cameras.sim-1.interval_s" -> "interval_s"), and the
    ones that belong to no single field."""
    fields: dict[str, str] = {}
    others: list[str] = []
    for key, reason in problems.items():
        name = key.rsplit(".", 1)[-1]
        if name in FIELDS:
            fields.setdefault(name, reason)
        else:
            others.append(f"{key}: {reason}")
    return fields, others
