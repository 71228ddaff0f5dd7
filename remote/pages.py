"""Server-rendered pages: login, dashboard, live view, camera settings, users, account,
storage, jobs and logs.

Templates autoescape everything; the few scripts are static files (CSP ``default-src
'self'``) that call the JSON API with the CSRF token the page carries in a meta tag.
"""

from __future__ import annotations

import secrets
from datetime import datetime
from urllib.parse import urlsplit

from flask import Blueprint, g, make_response, redirect, render_template, request
from werkzeug.wrappers import Response

from eyepi_gui.domain.ago import ago_text
from eyepi_gui.domain.health import summary_text
from eyepi_gui.domain.schedule import interval_text
from eyepi_gui.domain.sizes import size_text
from eyepi_gui.errors import Forbidden, LoginFailed, TooManyAttempts
from remote import (
    page_about,
    page_account,
    page_cameras,
    page_captures,
    page_jobs,
    page_logs,
    page_network,
    page_network_confirm,
    page_retention,
    page_station,
    page_storage,
    page_users,
)
from remote.auth import (
    LOGIN_COOKIE,
    caller,
    check_login_csrf,
    clear_session_cookie,
    services,
    set_session_cookie,
)
from remote.health_chart import chart_shapes

blueprint = Blueprint("pages", __name__)
for _child in (
    page_cameras,
    page_captures,
    page_users,
    page_account,
    page_station,
    page_about,
    page_network,
    page_network_confirm,
    page_storage,
    page_jobs,
    page_retention,
    page_logs,
):
    blueprint.register_blueprint(_child.blueprint)


@blueprint.context_processor
def _who() -> dict[str, object]:
    """Every page's header (error pages too) shows who is logged in, if anyone."""
    return {"who": g.get("caller")}


blueprint.add_app_template_filter(interval_text, "interval")
blueprint.add_app_template_filter(size_text, "size")
blueprint.add_app_template_global(ago_text, "ago_text")
blueprint.add_app_template_global(summary_text, "health_summary")
blueprint.add_app_template_global(chart_shapes, "health_shapes")


@blueprint.app_template_filter("local_time")
def local_time(epoch_s: float | None) -> str:
    """Epoch seconds as the station's wall-clock time ("" for None)."""
    if epoch_s is None:
        return ""
    return datetime.fromtimestamp(epoch_s, services().config.tz()).strftime("%Y-%m-%d %H:%M:%S")


def safe_next(target: str | None) -> str:
    """Where to go after login: only a path on this station (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    parts = urlsplit(target)
    return "/" if parts.scheme or parts.netloc or "\\" in target else target


def _login_page(error: str = "", status: int = 200, username: str = "") -> Response:
    token = secrets.token_urlsafe(24)
    first_run = services().users.needs_first_admin()
    html = render_template(
        "login.html",
        csrf_token=token,
        error=error,
        username=username,
        next=safe_next(request.values.get("next")),
        first_run=first_run,
    )
    response = make_response(html, status)
    response.set_cookie(
        LOGIN_COOKIE, token, httponly=True, samesite="Strict", secure=request.is_secure
    )
    return response


@blueprint.get("/login")
def login() -> Response:
    return _login_page()


@blueprint.post("/login")
def login_post() -> Response:
    check_login_csrf()
    username = request.form.get("username", "")[:64]
    password = request.form.get("password", "")[:256]
    old = request.cookies.get("eyepi_session")
    if old:
        services().web_sessions.log_out(old)
    try:
        session_id, _ = services().web_sessions.log_in(
            username, password, request.remote_addr or ""
        )
    except LoginFailed as err:
        return _login_page(str(err), 401, username)
    except TooManyAttempts as err:
        refused = _login_page(str(err), 429, username)
        refused.headers["Retry-After"] = str(int(err.retry_after_s))
        return refused
    response = redirect(safe_next(request.form.get("next")), code=303)
    set_session_cookie(response, session_id)
    return response


@blueprint.post("/logout")
def logout() -> Response:
    who = caller()
    if who.session_id:
        services().web_sessions.log_out(who.session_id)
    response = redirect("/login", code=303)
    clear_session_cookie(response)
    return response


@blueprint.post("/confirm")
def confirm() -> Response | tuple[str, int]:
    """Type the password again (``remote.reauth_s``), then go back to the page that asked."""
    who, target = caller(), safe_next(request.form.get("next"))
    if who.session_id is None:
        raise Forbidden("only a browser session can confirm a password; API tokens cannot")
    password = request.form.get("password", "")[:256]
    try:
        services().web_sessions.confirm(who.session_id, who.principal, password)
    except LoginFailed as err:
        return render_template("confirm.html", confirm_error=str(err), confirm_next=target), 401
    separator = "&" if "?" in target else "?"
    return redirect(f"{target}{separator}notice=confirmed", code=303)


@blueprint.get("/")
def dashboard() -> str:
    station = services()
    return render_template(
        "dashboard.html",
        health=station.overview.health(),
        cameras=station.overview.cameras(),
    )
