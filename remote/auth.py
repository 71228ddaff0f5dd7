"""Who is asking: a browser session (cookie) or an API token (``Authorization: Bearer``).

Every request is authenticated before its view runs, except the endpoints in ``PUBLIC``
(among them ``KEY_PAGES``, whose POSTs carry a key instead of a session and a CSRF token).
Every state change is refused when it comes from another site (``Origin`` or
``Sec-Fetch-Site``) and, for cookie sessions, without the session's CSRF token (header
``X-CSRF-Token`` or form field ``csrf_token``). GET, HEAD and OPTIONS never change anything.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar
from urllib.parse import quote, urlsplit

from flask import Flask, current_app, g, redirect, request
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Principal
from eyepi_gui.errors import Forbidden, LoginFailed
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.services.web_sessions import WebSession
from remote.errors import NeedsPassword, wants_json

SESSION_COOKIE = "eyepi_session"
LOGIN_COOKIE = "eyepi_login"
"""Holds the login form's CSRF token until there is a session (login CSRF)."""
KEY_PAGES = frozenset(
    {"pages.network_confirm.show", "pages.network_confirm.keep", "pages.network_confirm.undo"}
)
"""The page that keeps a waiting network change from the station's new address: its POSTs
carry the change's confirmation key, which is their authority instead of a session and a
CSRF token (see remote.page_network_confirm); the other-site check still applies."""
PUBLIC = frozenset({"pages.login", "pages.login_post", "static", "station.health"}) | KEY_PAGES
"""Endpoints that need no login: the login page, static assets, a health probe, and the
key-confirmed network page."""
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Caller:
    """The authenticated caller of this request. ``session_id`` is None for API tokens."""

    principal: Principal
    session: WebSession | None
    session_id: str | None

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""


def services() -> StationServices:
    found: StationServices = current_app.extensions["eyepi"]
    return found


def caller() -> Caller:
    """The caller of this request (every non-public view has one)."""
    found: Caller | None = g.get("caller")
    if found is None:
        raise LoginFailed("log in first")
    return found


def principal() -> Principal:
    return caller().principal


def address() -> str:
    return request.remote_addr or ""


def _authenticate() -> Response | None:
    if request.method not in SAFE_METHODS:
        _refuse_other_sites()
    public = request.endpoint is None or request.endpoint in PUBLIC
    g.caller = found = _identify(public)
    if public:
        return None
    if found is None:
        if wants_json():
            raise LoginFailed("log in first: a session cookie or an API token is needed")
        return redirect(f"/login?next={quote(request.full_path.rstrip('?'), safe='/?=&')}")
    if request.method not in SAFE_METHODS and found.session is not None:
        check_csrf(found.session.csrf)
    return None


def _identify(public: bool) -> Caller | None:
    """The caller, if any. Credentials sent to a public endpoint (a browser's saved Basic
    login, an expired token) are not its business: they are ignored there, not refused."""
    try:
        return _from_token() or _from_cookie()
    except LoginFailed:
        if public:
            return None
        raise


def _refuse_other_sites() -> None:
    origin = request.headers.get("Origin")
    if origin is not None and not is_this_station(origin):
        raise Forbidden(
            "requests from other sites may not change this station (if this address is the "
            "station's own, add its name to remote.names)"
        )
    if request.headers.get("Sec-Fetch-Site", "same-origin") not in ("same-origin", "none"):
        raise Forbidden("requests from other sites may not change this station")


def is_this_station(origin: str) -> bool:
    """True when ``origin`` is this endpoint: the scheme it is served with, and a host and
    port that reach this station (see ``StationAddresses.is_own``). The Host header is not
    consulted: a client may send any."""
    if not origin.isascii() or not origin.isprintable():
        return False
    try:
        parts = urlsplit(origin)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:  # "http://[::1", "http://x:99999": no origin of this station
        return False
    served = request.environ.get("SERVER_PORT", "")
    bare = f"{parts.scheme}://{parts.netloc}" == origin and "@" not in parts.netloc
    bare = bare and (parts.port is None or parts.netloc.endswith(f":{parts.port}"))
    if not bare or parts.scheme != request.scheme or not served.isdigit() or not parts.hostname:
        return False  # an origin is scheme://host[:port], nothing more
    return services().addresses.is_own(parts.hostname, port, int(served))


def check_csrf(expected: str) -> None:
    """Refuse a change whose CSRF token is missing or is not ``expected``."""
    sent = request.headers.get("X-CSRF-Token") or request.form.get("csrf_token", "")
    if not expected or not secrets.compare_digest(sent.encode(), expected.encode()):
        raise Forbidden("missing or wrong CSRF token: reload the page and try again")


def bearer_token() -> str | None:
    """The API token this request carries, if it carries one (``Authorization: Bearer``)."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _from_token() -> Caller | None:
    if not request.headers.get("Authorization"):
        return None
    token = bearer_token()
    if token is None:
        raise LoginFailed("use 'Authorization: Bearer <API token>'")
    return Caller(services().tokens.authenticate(token, address()), None, None)


def _from_cookie() -> Caller | None:
    session_id = request.cookies.get(SESSION_COOKIE)
    if not session_id:
        return None
    resumed = services().web_sessions.resume(session_id, address())
    if resumed is None:
        return None
    return Caller(resumed[0], resumed[1], session_id)


def needs_password(view: Callable[P, R]) -> Callable[P, R]:
    """For user, token and station changes: a browser whose user typed the password within
    ``remote.reauth_s``; API tokens may not make these changes at all."""

    @functools.wraps(view)
    def checked(*args: P.args, **kwargs: P.kwargs) -> R:
        found = caller()
        if found.session is None:
            raise Forbidden("API tokens may not change users, tokens or the station; use a login")
        if not services().web_sessions.recently_confirmed(found.session):
            raise NeedsPassword("confirm your password to make this change")
        return view(*args, **kwargs)

    return checked


def set_session_cookie(response: Response, session_id: str) -> None:
    response.set_cookie(
        SESSION_COOKIE, session_id, httponly=True, samesite="Strict", secure=request.is_secure
    )
    response.delete_cookie(LOGIN_COOKIE)


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="Strict")


def check_login_csrf() -> None:
    check_csrf(request.cookies.get(LOGIN_COOKIE, ""))


def install(app: Flask) -> None:
    app.before_request(_authenticate)
