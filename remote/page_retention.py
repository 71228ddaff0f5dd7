"""The retention page (``/storage/retention``): its settings, the data disk, the last run,
the dry run ("Preview": what would go, and why it would not be enough) and the images it
deleted, newest first. Admins change the settings (the password typed within
``remote.reauth_s``) and run it now, as a job. Plain form posts that work without
JavaScript; a refused value is named under its field and everything typed stays."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, refusal
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import from_text
from eyepi_gui.settings.retention import RetentionSettings
from remote.auth import needs_password, principal, services
from remote.errors import NeedsPassword
from remote.retention_models import PREVIEW_MAX

blueprint = Blueprint("retention", __name__, url_prefix="/storage/retention")

FIELDS = ("enabled", "keep_free_mib", "min_age_days")
PAGE_ROWS = 50
NOTICES = {
    "saved": "Saved: in effect now.",
    "running": "Retention runs now as a job; this page shows the run once it ends.",
    "confirmed": "Password confirmed: make the change again.",
}


@blueprint.get("")
def show() -> tuple[str, int]:
    return _page(preview=request.args.get("preview") == "1")


@blueprint.post("")
@needs_password
def save() -> Response:
    retention = services().retention
    before = retention.status().settings.model_dump()
    changes = {k: v for k, v in _typed().items() if before.get(k) != v}
    if changes:
        retention.update(principal(), changes)
    else:
        services().access.authorize(principal(), Permission.STATION_SETTINGS)
    return redirect(url_for(".show", notice="saved"), code=303)


@blueprint.post("/run")
def run() -> Response:
    services().retention.run_now(principal())
    return redirect(url_for(".show", notice="running"), code=303)


@blueprint.errorhandler(NeedsPassword)
def _confirm_first(err: NeedsPassword) -> tuple[str, int]:
    return _page(401, confirm=True, values=_typed())


@blueprint.errorhandler(InvalidInput)
def _refused(err: InvalidInput) -> tuple[str, int]:
    problems = {
        key.removeprefix("retention."): why
        for key, why in (err.problems or {err.field: err.reason}).items()
    }
    fields = {key: why for key, why in problems.items() if key in FIELDS}
    others = [why for key, why in problems.items() if key not in FIELDS]
    typed = _typed() if request.endpoint == "pages.retention.save" else None
    return _page(400, values=typed, problems=fields, others=others)


def _typed() -> dict[str, Any]:
    """The form as ``RetentionService.update`` takes it: numbers from text by the settings'
    own rules (text that spells no number is kept, for them to name)."""
    form = request.form
    numbers = {key: form.get(key, "")[:32] for key in ("keep_free_mib", "min_age_days")}
    return {"enabled": form.get("enabled") == "on"} | from_text(RetentionSettings, numbers)


def _before() -> int | None:
    text = request.args.get("before", "")
    return int(text) if text.isdigit() and len(text) < 19 else None


def _page(status: int = 200, preview: bool = False, **extra: Any) -> tuple[str, int]:
    station, who = services(), principal()
    retention = station.retention
    current = retention.status()
    deleted = retention.deleted(PAGE_ROWS, _before())
    context: dict[str, Any] = {"problems": {}, "others": [], "confirm": False} | extra
    if context.get("values") is None:
        context["values"] = current.settings.model_dump()
    html = render_template(
        "retention.html",
        status=current,
        plan=retention.preview() if preview else None,
        preview_max=PREVIEW_MAX,
        deleted=deleted,
        older=deleted[-1].entry_id if len(deleted) == PAGE_ROWS else None,
        refusal=refusal(station.access.role_of(who), Permission.STATION_SETTINGS),
        notice=NOTICES.get(request.args.get("notice", "")),
        **context,
    )
    return html, status
