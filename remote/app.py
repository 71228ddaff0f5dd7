"""The Flask app of the remote endpoint, on the station's service layer.

``create_app(services, settings)`` builds it; ``remote.server`` serves it. Debug mode cannot
be switched on (neither ``FLASK_DEBUG`` nor a config value): a debugger on a field station
would run any code a visitor types.
"""

from __future__ import annotations

from flask import Flask, Response, request

from eyepi_gui.services.station_services import StationServices
from eyepi_gui.settings import RemoteSettings
from remote import api, auth, errors, pages

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)


def create_app(
    services: StationServices, settings: RemoteSettings, *, testing: bool = False
) -> Flask:
    """The app serving ``services``. ``testing`` only lets exceptions reach the test client."""
    app = Flask(__name__)
    app.config.update(
        DEBUG=False,
        TESTING=testing,
        PROPAGATE_EXCEPTIONS=False,
        MAX_CONTENT_LENGTH=settings.max_body_kib * 1024,
        MAX_FORM_MEMORY_SIZE=settings.max_body_kib * 1024,
        JSON_SORT_KEYS=False,
        TEMPLATES_AUTO_RELOAD=False,
    )
    app.debug = False
    app.extensions["eyepi"] = services
    app.jinja_env.globals["eyepi_version"] = services.station_info.version()
    app.url_map.strict_slashes = False
    errors.install(app)
    auth.install(app)
    api.register(app)
    app.register_blueprint(pages.blueprint)
    app.after_request(_security_headers)
    return app


def _security_headers(response: Response) -> Response:
    headers = response.headers
    if "Location" in headers:
        headers["Location"] = _relative(headers["Location"])
    headers["Content-Security-Policy"] = CSP
    headers["X-Content-Type-Options"] = "nosniff"
    headers["X-Frame-Options"] = "DENY"
    headers["Referrer-Policy"] = "same-origin"
    headers["Cross-Origin-Opener-Policy"] = "same-origin"
    headers.setdefault("Cache-Control", "no-store")
    if request.is_secure:
        headers["Strict-Transport-Security"] = "max-age=31536000"
    return response


def _relative(location: str) -> str:
    """Every redirect stays on this station, so its Location needs no host: an absolute one
    (werkzeug builds them from the Host header, e.g. when merging slashes) loses it. Split by
    hand: a forged Host such as "[x" is no URL that urlsplit would take."""
    scheme, sep, rest = location.partition("://")
    if sep and scheme.isalpha():
        location = "/" + rest.partition("/")[2]
    return "/" + location.lstrip("/")  # "//evil.example" must not become a host again
