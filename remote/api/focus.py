"""Focusing a camera from afar, as the kiosk's Focus tab does: the live score and its last
minute, the region it is measured over, Near/Far steps, autofocus, and focus lock. Every
change goes through the same service and permission (``focus``) as the kiosk's."""

from __future__ import annotations

from flask import Blueprint

from eyepi_gui.domain.camera import FocusDirection
from eyepi_gui.domain.roi import Roi
from remote.api.registry import API, PREFIX
from remote.auth import principal, services
from remote.models import (
    FocusDriveIn,
    FocusOut,
    FocusQuery,
    FocusSupportOut,
    RoiIn,
    ScorePointOut,
)

blueprint = Blueprint("focus", __name__, url_prefix=f"{PREFIX}/cameras")


def _focus_state(camera_id: str, since: float | None = None) -> FocusOut:
    """The camera's live score, region, recent scores (after ``since``) and lock."""
    station = services()
    frame, roi = station.focus.latest(camera_id), station.focus.roi(camera_id)
    recent = station.focus.recent_scores(camera_id, since)
    return FocusOut(
        camera_id=camera_id,
        seq=frame.seq if frame else 0,
        taken_at=frame.taken_at if frame else None,
        score=frame.score if frame else None,
        roi=list(roi.as_tuple()),
        problem=station.focus.problem(camera_id),
        recent=[ScorePointOut(at=point.at, score=point.score) for point in recent],
        lock=station.config.camera(camera_id).focus_lock,
    )


@API.route(
    blueprint,
    "/<camera_id>/focus",
    summary="Live focus score, its last minute, the region and the focus lock",
    query=FocusQuery,
    response=FocusOut,
)
def focus(camera_id: str, query: FocusQuery) -> FocusOut:
    return _focus_state(camera_id, query.since)


@API.route(
    blueprint,
    "/<camera_id>/focus/support",
    summary="What the camera offers for focusing",
    response=FocusSupportOut,
)
def focus_support(camera_id: str) -> FocusSupportOut:
    found = services().focus.support(camera_id)
    return FocusSupportOut(
        drive=found.drive, autofocus=found.autofocus, live_zoom=list(found.live_zoom)
    )


@API.route(
    blueprint,
    "/<camera_id>/focus/roi",
    "PUT",
    summary="Measure the focus score over this region",
    body=RoiIn,
    response=FocusOut,
)
def put_roi(camera_id: str, body: RoiIn) -> FocusOut:
    services().focus.set_roi(
        principal(), camera_id, Roi(body.left, body.top, body.width, body.height)
    )
    return _focus_state(camera_id)


@API.route(
    blueprint,
    "/<camera_id>/focus/drive",
    "POST",
    summary="Move the lens one Near/Far step (answers once it moved; frames newer than "
    "the answer's seq show the new focus)",
    body=FocusDriveIn,
    response=FocusOut,
)
def drive(camera_id: str, body: FocusDriveIn) -> FocusOut:
    direction = FocusDirection[body.direction.upper()]
    services().focus.drive(principal(), camera_id, direction, body.step)
    return _focus_state(camera_id)


@API.route(
    blueprint,
    "/<camera_id>/focus/autofocus",
    "POST",
    summary="Run the camera's autofocus once (answers when it settled)",
    response=FocusOut,
)
def autofocus(camera_id: str) -> FocusOut:
    services().focus.autofocus(principal(), camera_id)
    return _focus_state(camera_id)


@API.route(
    blueprint,
    "/<camera_id>/focus/lock",
    "POST",
    summary="Lock focus: take a reference still now; later captures that score well below "
    "it warn of focus drift",
    response=FocusOut,
)
def lock(camera_id: str) -> FocusOut:
    services().focus.lock(principal(), camera_id)
    return _focus_state(camera_id)


@API.route(
    blueprint,
    "/<camera_id>/focus/unlock",
    "POST",
    summary="Unlock focus: no more drift warnings for this camera",
    response=FocusOut,
)
def unlock(camera_id: str) -> FocusOut:
    services().focus.unlock(principal(), camera_id)
    return _focus_state(camera_id)
