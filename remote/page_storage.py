"""The storage page: the data disk and how many days it lasts (overall and per camera), the
removable drives with Export and Eject, the jobs going on, the exports made and the support
bundle's download (where whatever leaves the station is found); and the export form (a
drive, cameras, days or everything not yet exported).

Plain form posts that work without JavaScript. A started export goes on as a job: the
answer is a redirect to its page (``remote.page_jobs``), which follows it to "safe to
remove". A refused export shows the form again with the problem at the field it names and
everything typed kept; Eject answers with this page, saying what was done. Labels of drives
and camera names come from outside: the templates escape them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, allowed, refusal
from eyepi_gui.domain.volumes import StorageForecast, days_until_full
from eyepi_gui.errors import EyepiError, InvalidInput, StorageError
from remote.auth import principal, services
from remote.errors import status_of

blueprint = Blueprint("storage", __name__, url_prefix="/storage")

DEVICE_MAX = 64
DAY_MAX = 32
CAMERAS_MAX = 64
HISTORY_SHOWN = 20
WHAT = ("days", "not_exported")
"""The export form's choice: a range of days, or everything not yet exported."""


@dataclass(frozen=True)
class ExportTyped:
    """The export form as typed (cut far above every rule's limit: the service refuses)."""

    device: str = ""
    cameras: tuple[str, ...] = ()
    what: str = "days"
    first_day: str = ""
    last_day: str = ""

    @classmethod
    def from_form(cls) -> ExportTyped:
        form = request.form
        cameras = tuple(c[:DEVICE_MAX] for c in form.getlist("cameras")[:CAMERAS_MAX])
        return cls(
            device=form.get("device", "")[:DEVICE_MAX],
            cameras=cameras,
            what=form.get("what", "")[:DEVICE_MAX],
            first_day=form.get("first_day", "")[:DAY_MAX],
            last_day=form.get("last_day", "")[:DAY_MAX],
        )


@blueprint.get("")
def show() -> tuple[str, int]:
    return _page()


@blueprint.post("/volumes/<device>/eject")
def eject(device: str) -> tuple[str, int] | Response:
    """Eject runs as a short job: its page says when the drive is safe to remove."""
    try:
        view = services().export.eject(principal(), f"/dev/{device[:DEVICE_MAX]}")
    except EyepiError as err:
        return _page(status_of(err), error=f"Not ejected: {err}")
    return redirect(url_for("pages.jobs.show", job_id=view.job_id), code=303)


@blueprint.get("/export")
def export_form() -> tuple[str, int]:
    newest = _newest_day()
    device = request.args.get("device", "")[:DEVICE_MAX]
    return _form(ExportTyped(device=device, first_day=newest, last_day=newest))


@blueprint.post("/export")
def export() -> Response | tuple[str, int]:
    typed = ExportTyped.from_form()
    try:
        if typed.what not in WHAT:
            raise InvalidInput("what", "choose days, or everything not yet exported")
        days = typed.what == "days"
        view = services().export.export(
            principal(),
            typed.device,
            typed.cameras,
            typed.first_day if days else None,
            typed.last_day if days else None,
            not days,
        )
    except InvalidInput as err:
        return _form(typed, 400, problems=dict(err.problems or {err.field: err.reason}))
    except EyepiError as err:
        return _form(typed, status_of(err), error=f"Not started: {err}")
    return redirect(url_for("pages.jobs.show", job_id=view.job_id), code=303)


def _form(typed: ExportTyped, status: int = 200, **extra: Any) -> tuple[str, int]:
    station = services()
    role = station.access.role_of(principal())
    found = station.volumes.volumes()
    context: dict[str, Any] = {"problems": {}, "error": ""} | extra
    html = render_template(
        "storage_export.html",
        typed=typed,
        drives=found.removable,
        drives_problem=found.problem,
        cameras=_cameras(),
        can_export=allowed(role, Permission.EXPORT),
        export_refusal=refusal(role, Permission.EXPORT),
        can_bundle=allowed(role, Permission.SUPPORT_BUNDLE),
        bundle_refusal=refusal(role, Permission.SUPPORT_BUNDLE),
        **context,
    )
    return html, status


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    station = services()
    role = station.access.role_of(principal())
    found = station.volumes.volumes()
    forecast, disk_problem = _forecast()
    context: dict[str, Any] = {"notice": "", "error": ""} | extra
    html = render_template(
        "storage.html",
        disk=found.data_disk,
        drives=found.removable,
        drives_problem=found.problem,
        forecast=forecast,
        disk_problem=disk_problem,
        alone=_alone(forecast) if forecast else {},
        names=dict(_cameras()),
        jobs=[job for job in station.jobs.jobs() if not job.state.finished],
        history=station.export.history(HISTORY_SHOWN),
        can_export=allowed(role, Permission.EXPORT),
        export_refusal=refusal(role, Permission.EXPORT),
        can_bundle=allowed(role, Permission.SUPPORT_BUNDLE),
        bundle_refusal=refusal(role, Permission.SUPPORT_BUNDLE),
        **context,
    )
    return html, status


def _forecast() -> tuple[StorageForecast | None, str]:
    """The data disk's forecast, or why the disk could not be measured (the rest of the
    page is shown anyway: the drives may be what is needed to free it)."""
    try:
        return services().volumes.forecast(), ""
    except StorageError as err:
        return None, str(err)


def _cameras() -> list[tuple[str, str]]:
    """(camera id, name) of every camera found or configured (an unplugged camera's images
    stay and may be exported)."""
    station = services()
    found = {info.camera_id for info in station.cameras.cameras()}
    ids = sorted(found | set(station.config.current().cameras))
    return [(cid, station.config.camera(cid).name) for cid in ids]


def _newest_day() -> str:
    """The newest day any camera kept images on ("YYYY-MM-DD"; "" before the first)."""
    browser = services().browser
    days = [found[0].day for cid, _ in _cameras() if (found := browser.days(cid))]
    return max(days).isoformat() if days else ""


def _alone(forecast: StorageForecast) -> dict[str, float | None]:
    """Days until the floor at each camera's own rate, as if it were the only one."""
    return {
        c.camera_id: days_until_full(forecast.free, forecast.floor, {c.camera_id: c.bytes_per_day})
        if c.bytes_per_day
        else None
        for c in forecast.cameras
    }


@blueprint.app_template_filter("days_left")
def days_left(days: float | None) -> str:
    """Days until the floor for people: "about 12 days", "less than a day", "none: at the
    floor now"; "unknown" when nothing measured captures."""
    if days is None:
        return "unknown"
    if days <= 0:
        return "none: at the floor now"
    if days < 1:
        return "less than a day"
    return f"about {days:,.0f} day{'s' if round(days) != 1 else ''}"
