"""Your account: change your own password (which ends your other sessions) and your API
tokens; a new token's text is shown once, on the page that made it."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, allowed
from eyepi_gui.errors import EyepiError, Forbidden, InvalidInput, LoginFailed
from remote.auth import caller, needs_password, principal, services, set_session_cookie
from remote.errors import NeedsPassword, status_of

blueprint = Blueprint("account", __name__, url_prefix="/account")

NOTICES = {
    "password": "Password changed. Your other sessions have ended.",
    "revoked": "Token revoked: scripts using it are refused from now on.",
    "confirmed": "Password confirmed: make the change again.",
}


@blueprint.get("")
def show() -> tuple[str, int]:
    return _page()


@blueprint.post("/password")
def change_password() -> Response:
    session_id, station = _session_id(), services()
    current, new = request.form.get("current", "")[:256], request.form.get("new", "")[:256]
    station.users.change_password(principal(), current, new)
    renewed = station.web_sessions.renew(session_id)
    if renewed is None:
        raise Forbidden("this session has ended; log in again")
    response = redirect(url_for(".show", notice="password"), code=303)
    set_session_cookie(response, renewed[0])
    return response


@blueprint.post("/tokens")
@needs_password
def create_token() -> tuple[str, int]:
    info, secret = services().tokens.create(principal(), request.form.get("name", "")[:100])
    return _page(201, created=(info, secret))


@blueprint.post("/tokens/<token_id>/revoke")
def revoke_token(token_id: str) -> Response:
    services().tokens.revoke(principal(), token_id)
    return redirect(url_for(".show", notice="revoked"), code=303)


@blueprint.errorhandler(NeedsPassword)
def _confirm_first(err: NeedsPassword) -> tuple[str, int]:
    return _page(401, confirm=True, name=request.form.get("name", "")[:100])


@blueprint.errorhandler(InvalidInput)
@blueprint.errorhandler(LoginFailed)
def _refused(err: EyepiError) -> tuple[str, int]:
    """A weak new password, a wrong current one, a bad token name: said on the page."""
    return _page(status_of(err), error=str(err), name=request.form.get("name", "")[:100])


def _session_id() -> str:
    found = caller().session_id
    if found is None:
        raise Forbidden("only a browser session can change its password; API tokens cannot")
    return found


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    station, who = services(), principal()
    context: dict[str, Any] = {"name": "", "confirm": False, "created": None} | extra
    html = render_template(
        "account.html",
        tokens=station.tokens.visible(who),
        everyone=allowed(who.role, Permission.MANAGE_USERS),
        notice=NOTICES.get(request.args.get("notice", "")),
        **context,
    )
    return html, status
