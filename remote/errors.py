"""One mapping from the station's error tree (eyepi_gui.errors) to HTTP, for the whole app.

API requests get a JSON ``Error`` body; pages get the error page. Messages are the service's
own sentences, which never hold secrets; anything unexpected is logged and shown as 500
without details.
"""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from eyepi_gui import errors

_log = logging.getLogger("eyepi.remote")

STATUS: tuple[tuple[type[errors.EyepiError], int], ...] = (
    (errors.InvalidInput, 400),
    (errors.LoginFailed, 401),
    (errors.Forbidden, 403),
    (errors.NotFound, 404),
    (errors.Busy, 409),
    (errors.TooManyAttempts, 429),
    (errors.StorageError, 507),
    (errors.Unavailable, 503),
    (errors.AlreadyRunning, 503),
)
"""Status per error class; the first matching entry wins (CameraFault is Unavailable)."""


class NeedsPassword(errors.Forbidden):
    """The change needs the password typed again (``remote.reauth_s``): answered as 401."""


def status_of(err: errors.EyepiError) -> int:
    if isinstance(err, NeedsPassword):
        return 401
    return next((code for cls, code in STATUS if isinstance(err, cls)), 500)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def error_body(kind: str, message: str, err: errors.EyepiError | None = None) -> dict[str, object]:
    body: dict[str, object] = {"error": kind, "message": message}
    if isinstance(err, errors.InvalidInput):
        body |= {"field": err.field, "problems": err.problems}
    if isinstance(err, errors.TooManyAttempts):
        body["retry_after_s"] = err.retry_after_s
    return body


def respond(status: int, body: dict[str, object]) -> Response:
    if wants_json():
        response = jsonify(body)
    else:
        html = render_template("error.html", status=status, message=body["message"])
        response = Response(html, mimetype="text/html")
    response.status_code = status
    retry = body.get("retry_after_s")
    if retry is not None:
        response.headers["Retry-After"] = str(int(float(str(retry))))
    return response


def _station_error(err: errors.EyepiError) -> Response:
    kind = "reauth_required" if isinstance(err, NeedsPassword) else type(err).__name__
    return respond(status_of(err), error_body(kind, str(err), err))


def _http_error(err: HTTPException) -> Response:
    status = err.code or 500
    message = err.description or err.name
    if status == 413:
        message = "the request body is larger than this station accepts (remote.max_body_kib)"
    response = respond(status, error_body(err.name.replace(" ", ""), message))
    if status == 405 and err.response is None:
        allowed = getattr(err, "valid_methods", None)
        if allowed:
            response.headers["Allow"] = ", ".join(allowed)
    return response


def _unexpected(err: Exception) -> Response:
    _log.exception("remote request failed", extra={"event": "remote_error"})
    return respond(500, error_body("InternalError", "the station could not answer; see its log"))


def install(app: Flask) -> None:
    app.register_error_handler(errors.EyepiError, _station_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
