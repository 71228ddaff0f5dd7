"""The users page: every account and the audit trail; an admin adds, changes and removes
accounts there. Changes need the password typed within ``remote.reauth_s``."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, Role, allowed, refusal
from eyepi_gui.errors import InvalidInput
from remote.auth import needs_password, principal, services
from remote.errors import NeedsPassword

blueprint = Blueprint("users", __name__, url_prefix="/users")

AUDIT_SHOWN = 50
ROLES = tuple(role.value for role in Role)
NOTICES = {
    "added": "Account added.",
    "role": "Role changed.",
    "disabled": "Account disabled: its sessions and tokens stopped working.",
    "enabled": "Account enabled.",
    "password": "Password reset: the user's sessions have ended.",
    "removed": "Account removed.",
    "confirmed": "Password confirmed: make the change again.",
}


@blueprint.get("")
def show() -> tuple[str, int]:
    return _page()


@blueprint.post("")
@needs_password
def add() -> Response:
    form = request.form
    username, password = form.get("username", "")[:64], form.get("password", "")[:256]
    services().users.add_user(principal(), username, password, form.get("role", "")[:16])
    return _done("added")


@blueprint.post("/<username>/role")
@needs_password
def set_role(username: str) -> Response:
    services().users.set_role(principal(), username, request.form.get("role", "")[:16])
    return _done("role")


@blueprint.post("/<username>/disabled")
@needs_password
def set_disabled(username: str) -> Response:
    disabled = request.form.get("disabled") == "1"
    services().users.set_disabled(principal(), username, disabled)
    return _done("disabled" if disabled else "enabled")


@blueprint.post("/<username>/password")
@needs_password
def reset_password(username: str) -> Response:
    services().users.reset_password(principal(), username, request.form.get("password", "")[:256])
    return _done("password")


@blueprint.post("/<username>/remove")
@needs_password
def remove(username: str) -> Response:
    services().users.remove_user(principal(), username)
    return _done("removed")


@blueprint.errorhandler(NeedsPassword)
def _confirm_first(err: NeedsPassword) -> tuple[str, int]:
    return _page(401, confirm=True, typed=_typed())


@blueprint.errorhandler(InvalidInput)
def _refused(err: InvalidInput) -> tuple[str, int]:
    if request.endpoint == "pages.users.add":
        return _page(400, problems=err.problems, typed=_typed())
    return _page(400, error=f"Not changed: {err}")


def _typed() -> dict[str, str]:
    """What the add form held (never the password), to show it again."""
    return {"username": request.form.get("username", "")[:64], "role": request.form.get("role", "")}


def _done(notice: str) -> Response:
    return redirect(url_for(".show", notice=notice), code=303)


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    station, who = services(), principal()
    context: dict[str, Any] = {"problems": {}, "typed": {}, "confirm": False} | extra
    html = render_template(
        "users.html",
        users=station.users.users(who),
        audit=station.audit.recent(who, AUDIT_SHOWN),
        admin=allowed(who.role, Permission.MANAGE_USERS),
        refusal=refusal(who.role, Permission.MANAGE_USERS),
        roles=ROLES,
        notice=NOTICES.get(request.args.get("notice", "")),
        **context,
    )
    return html, status
