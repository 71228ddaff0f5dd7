"""The MJPEG live view: ``multipart/x-mixed-replace`` of the camera's frame hub.

Each part carries ``X-Frame-Seq``, ``X-Frame-Taken`` (epoch s) and ``X-Focus-Score`` headers.
The JPEG is the hub's, encoded once per frame for every viewer; the stream stops when its
login ends (logout, password change, a disabled account, a revoked API token), checked every few
seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator

from flask import Blueprint, Response

from eyepi_gui.domain.access import Permission
from eyepi_gui.errors import EyepiError
from eyepi_gui.services.streams import LiveStreams
from remote.api.registry import API, PREFIX
from remote.auth import Caller, address, bearer_token, caller, services

blueprint = Blueprint("stream", __name__, url_prefix=f"{PREFIX}/cameras")
BOUNDARY = "eyepi-frame"
RECHECK_S = 5.0
"""How often a running stream checks that its login is still valid (seconds)."""


def _part(seq: int, taken_at: float, score: float, jpeg: bytes) -> bytes:
    head = (
        f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n"
        f"X-Frame-Seq: {seq}\r\nX-Frame-Taken: {taken_at:.6f}\r\nX-Focus-Score: {score:.3f}"
        "\r\n\r\n"
    )
    return b"".join((head.encode("ascii"), jpeg, b"\r\n"))


def _still_valid(who: Caller, peer: str) -> Callable[[], bool]:
    """Whether the login that opened the stream still stands: its session, or its API token
    (a revoked token, a disabled or demoted account end the stream)."""
    station, token = services(), bearer_token()

    def check() -> bool:
        if who.session_id is not None:
            return station.web_sessions.resume(who.session_id, peer) is not None
        try:
            principal = station.tokens.authenticate(token or "", peer)
            station.access.authorize(principal, Permission.VIEW)
        except EyepiError:
            return False
        return True

    return check


def _parts(streams: LiveStreams, camera_id: str, valid: Callable[[], bool]) -> Iterator[bytes]:
    """The body. The stream (a viewer slot, the camera's live view) is opened when the body
    is first read and closed however it ends: a body that is never read (HEAD, a client gone
    before it, an error after the view) holds nothing."""
    try:
        stream = streams.open(camera_id)
    except EyepiError:
        return  # the last slot went between the view's check and now: an empty body
    with stream:
        checked = time.monotonic()
        for frame in stream.frames():
            yield _part(frame.seq, frame.taken_at, frame.score, frame.jpeg)
            if time.monotonic() - checked > RECHECK_S:
                if not valid():
                    return
                checked = time.monotonic()


@API.route(
    blueprint,
    "/<camera_id>/stream",
    summary="MJPEG live view (one JPEG per part)",
    media=f"multipart/x-mixed-replace; boundary={BOUNDARY}",
)
def stream(camera_id: str) -> Response:
    streams = services().streams
    streams.check(camera_id)
    parts = _parts(streams, camera_id, _still_valid(caller(), address()))
    response = Response(parts, mimetype=f"multipart/x-mixed-replace; boundary={BOUNDARY}")
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Accel-Buffering"] = "no"
    return response
