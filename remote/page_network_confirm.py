"""The page that keeps (or undoes) a waiting network change from the station's new address,
without a login: ``/network/confirm/<change_id>`` (see ``remote.confirm_link``).

Its GET shows "Keep the change?" with the countdown and a form; the form's two POSTs (Keep,
Undo) carry the change's confirmation key in the field ``key``, and the key is the
authority: these three endpoints are in ``remote.auth.PUBLIC`` and so need no session and
check no CSRF token (a forged request would need the key, which is all a CSRF token would
prove). The other-site check (``Origin``, ``Sec-Fetch-Site``) still applies to them, as to
every change. A wrong key and an unknown change get the same refusal; the key has 192
random bits and the change a 60 s life, so guessing needs no rate limit.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template, request

from eyepi_gui.errors import EyepiError
from remote.auth import address, services
from remote.errors import status_of

blueprint = Blueprint("network_confirm", __name__, url_prefix="/network/confirm")
KEY_MAX = 128
"""Longest key taken from the form (a real one has 32 characters)."""


@blueprint.get("/<change_id>")
def show(change_id: str) -> tuple[str, int]:
    return _page(change_id)


@blueprint.post("/<change_id>")
def keep(change_id: str) -> tuple[str, int]:
    try:
        services().network.confirm_with_key(change_id, _key(), address())
    except EyepiError as err:
        return _page(change_id, status_of(err), error=f"Not kept: {err}")
    return _page(change_id, done="kept")


@blueprint.post("/<change_id>/undo")
def undo(change_id: str) -> tuple[str, int]:
    try:
        services().network.revert_with_key(change_id, _key(), address())
    except EyepiError as err:
        return _page(change_id, status_of(err), error=f"Not undone: {err}")
    return _page(change_id, done="undone")


def _key() -> str:
    return request.form.get("key", "")[:KEY_MAX].strip()


def _page(change_id: str, status: int = 200, **extra: Any) -> tuple[str, int]:
    """The change only when ``change_id`` is the one waiting: what it is and the seconds
    left (who made it is not said to a visitor without the key)."""
    network = services().network
    pending = network.pending()
    waiting = pending if pending is not None and pending.change_id == change_id else None
    context: dict[str, Any] = {"error": "", "done": ""} | extra
    html = render_template(
        "network_confirm.html",
        change_id=change_id,
        waiting=waiting,
        left_s=None if waiting is None else round(waiting.left_s(network.now())),
        **context,
    )
    return html, status
