"""The browser's own session: who is logged in, re-authentication, password, logout.
(Logging in is the login page's form; scripts use API tokens.)"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from eyepi_gui.errors import Forbidden
from remote.api.registry import API, PREFIX
from remote.auth import Caller, caller, clear_session_cookie, services, set_session_cookie
from remote.models import PasswordChange, PasswordConfirm, SessionOut

blueprint = Blueprint("session", __name__, url_prefix=f"{PREFIX}/session")


def _out(who: Caller) -> SessionOut:
    session = who.session
    confirmed = session is not None and services().web_sessions.recently_confirmed(session)
    return SessionOut(
        username=who.principal.username or "",
        role=str(who.principal.role or ""),
        csrf_token=who.csrf,
        via_token=session is None,
        password_confirmed=confirmed,
    )


def _browser() -> Caller:
    who = caller()
    if who.session_id is None:
        raise Forbidden("only a browser session can do this; API tokens cannot")
    return who


@API.route(blueprint, "", summary="Who is logged in", response=SessionOut)
def me() -> SessionOut:
    return _out(caller())


@API.route(
    blueprint,
    "/confirm",
    "POST",
    summary="Type the password again before user, token or station changes",
    body=PasswordConfirm,
    response=SessionOut,
)
def confirm(body: PasswordConfirm) -> SessionOut:
    who = _browser()
    assert who.session_id is not None
    session = services().web_sessions.confirm(who.session_id, who.principal, body.password)
    return _out(Caller(who.principal, session, who.session_id))


@API.route(
    blueprint,
    "/password",
    "PUT",
    summary="Change your own password (ends your other sessions)",
    body=PasswordChange,
    response=SessionOut,
)
def change_password(body: PasswordChange) -> Response:
    who, station = _browser(), services()
    assert who.session_id is not None
    station.users.change_password(who.principal, body.current, body.new)
    renewed = station.web_sessions.renew(who.session_id)
    if renewed is None:
        raise Forbidden("this session has ended; log in again")
    response = jsonify(_out(Caller(who.principal, renewed[1], renewed[0])).model_dump())
    set_session_cookie(response, renewed[0])
    return response


@API.route(blueprint, "", "DELETE", summary="Log out", status=204)
def log_out() -> Response:
    who = _browser()
    assert who.session_id is not None
    services().web_sessions.log_out(who.session_id)
    response = Response(status=204)
    clear_session_cookie(response)
    return response
