"""The capture browser's pages: a camera's days, a day's thumbnails, one image in full.

Plain server-rendered pages (every name shown is escaped by the templates); thumbnails load
lazily (``loading="lazy"``) from the API, a day downloads as a streamed zip, and the full view
pages on to the day's previous and next image (links, and a swipe with captures.js)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from flask import Blueprint, render_template, request

from eyepi_gui.domain.browse import BrowseImage, DayCount, browse_image, parse_day
from eyepi_gui.errors import NotFound
from eyepi_gui.settings.values import CAMERA_ID
from remote.auth import services

blueprint = Blueprint("captures", __name__, url_prefix="/captures")


@blueprint.get("")
def browse() -> str:
    found = {info.camera_id for info in services().cameras.cameras()}
    unplugged = set(services().config.current().cameras) - found  # their images stay
    cameras = sorted(found) + sorted(unplugged)
    names = {cid: services().config.camera(cid).name for cid in cameras}
    camera = request.args.get("camera", "") or (cameras[0] if cameras else "")
    if camera and not CAMERA_ID.fullmatch(camera):
        raise NotFound("no such camera")
    days = services().browser.days(camera) if camera else []
    day = _chosen_day(days)
    images = services().browser.day(camera, day) if day else []
    return render_template(
        "captures.html",
        cameras=cameras,
        names=names,
        camera=camera,
        days=days,
        day=day,
        images=images,
        tz=services().config.tz(),
    )


def _chosen_day(days: list[DayCount]) -> date | None:
    """The day asked for (InvalidInput names ``day`` when it is no day), else the newest."""
    text = request.args.get("day", "")
    if text:
        return parse_day(text)
    return days[0].day if days else None


@blueprint.get("/<int:record_id>")
def full_view(record_id: int) -> str:
    record = services().captures.record(record_id)
    tz = services().config.tz()
    day = datetime.fromtimestamp(record.taken_at, tz).date()
    images = services().browser.day(record.camera_id, day)
    index = next((i for i, image in enumerate(images) if image.record_id == record_id), None)
    if index is None:  # past the most a day lists, or removed since: shown on its own
        images, index = [browse_image(record, None)], 0
    return render_template(
        "capture.html",
        image=images[index],
        before=_neighbour(images, index - 1),
        after=_neighbour(images, index + 1),
        position=index + 1,
        total=len(images),
        day=day,
        name=services().config.camera(record.camera_id).name,
        tz=tz,
    )


def _neighbour(images: list[BrowseImage], index: int) -> BrowseImage | None:
    return images[index] if 0 <= index < len(images) else None


@blueprint.app_template_filter("capture_time")
def capture_time(epoch_s: float, tz: tzinfo) -> str:
    """When an image was taken, as the station's clock read: "14:05:09"."""
    return datetime.fromtimestamp(epoch_s, tz).strftime("%H:%M:%S")
