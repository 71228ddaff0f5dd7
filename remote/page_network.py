"""The network page: the addresses that reach the station (large), its devices, Wi-Fi in
range with a join form each, saved profiles (priority, forget; addressing for admins), the
hostname and the hotspot (passphrase and its QR code for operators), and the change waiting
for confirmation with its countdown and Confirm/Undo buttons.

Plain form posts that work without JavaScript (``network.js`` only counts down). Admins'
changes need the password typed within ``remote.reauth_s``. A change made here waits for
confirmation (the service decides): the answer to the form's POST is the page itself (no
redirect: after an address change the old address, where a redirect would go, is gone),
with the countdown and, for its maker only, the one-tap link that keeps it from the new
address (``remote.confirm_link``) and its QR code. A typed password is never put back into
a form, a page or a redirect.
"""

from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, url_for
from markupsafe import Markup
from werkzeug.wrappers import Response

from eyepi_gui.domain.access import Permission, Principal, allowed, refusal
from eyepi_gui.domain.network import (
    DeviceKind,
    HotspotInfo,
    PendingChange,
    SavedNetwork,
    WifiNetwork,
)
from eyepi_gui.domain.network_rules import whole_number
from eyepi_gui.domain.qr import qr_svg, wifi_qr_text
from eyepi_gui.errors import Busy, EyepiError, InvalidInput, NotFound, Unavailable
from remote.auth import needs_password, principal, services
from remote.confirm_link import UNKNOWN_ADDRESS, confirm_link, confirm_path
from remote.errors import NeedsPassword, status_of
from remote.network_models import new_address

blueprint = Blueprint("network", __name__, url_prefix="/network")
Answer = Response | tuple[str, int]
"""A change's answer: a redirect when it applied at once, else the page (see the module)."""

IPV4_FIELDS = ("ipv4.method", "ipv4.address", "ipv4.prefix", "ipv4.gateway", "ipv4.dns")
TYPED_MAX = 256
"""Longest text taken from a form field; every rule's limit is far below it."""
NOTICES = {
    "pending": "Applied: confirm it below before the countdown ends, or it is undone.",
    "kept": "Confirmed: the change stays.",
    "reverted": "Undone: the network is back as it was.",
    "rescanned": "The radio looked for networks again.",
    "hostname": "Hostname set.",
    "hotspot": "Hotspot settings saved.",
    "confirmed": "Password confirmed: make the change again.",
}


@blueprint.get("")
def show() -> tuple[str, int]:
    return _page()


@blueprint.post("/wifi/join")
def join() -> Answer:
    form = request.form  # cut far above the rules' limits: the service refuses, never a cut
    ssid_hex = form.get("ssid_hex", "")[:TYPED_MAX] or None
    change = services().network.join_wifi(
        principal(),
        form.get("ssid", "")[:TYPED_MAX],
        form.get("password", "")[:TYPED_MAX] or None,
        form.get("hidden") == "on",
        ssid_hex=ssid_hex,
    )
    return _done(change)


@blueprint.post("/wifi/rescan")
def rescan() -> Response:
    services().network.wifi_networks(principal(), rescan=True)
    return redirect(url_for(".show", notice="rescanned"), code=303)


@blueprint.post("/saved/<uuid>/forget")
def forget(uuid: str) -> Answer:
    return _done(services().network.forget(principal(), uuid))


@blueprint.post("/saved/<uuid>/priority")
def set_priority(uuid: str) -> Answer:
    priority = _whole(request.form.get("priority", ""), "priority")
    return _done(services().network.set_priority(principal(), uuid, priority))


@blueprint.post("/saved/<uuid>/ipv4")
@needs_password
def set_ipv4(uuid: str) -> Answer:
    typed = _ipv4_typed()
    static = typed["ipv4.method"] == "manual"
    change = services().network.set_addressing(
        principal(),
        uuid,
        typed["ipv4.method"],
        typed["ipv4.address"] if static else None,
        _whole(typed["ipv4.prefix"], "ipv4.prefix") if static and typed["ipv4.prefix"] else None,
        typed["ipv4.gateway"] if static else None,
        typed["ipv4.dns"],
    )
    return _done(change, new_address(typed["ipv4.method"], typed["ipv4.address"]), moves=True)


@blueprint.post("/hostname")
@needs_password
def set_hostname() -> Response:
    services().network.set_hostname(principal(), _text("hostname"))
    return redirect(url_for(".show", notice="hostname"), code=303)


@blueprint.post("/hotspot")
@needs_password
def set_hotspot() -> Response:
    typed = _hotspot_typed()
    after_s = _whole(str(typed["network.hotspot_after_s"]), "network.hotspot_after_s")
    services().network.set_hotspot(principal(), bool(typed["network.hotspot_fallback"]), after_s)
    return redirect(url_for(".show", notice="hotspot"), code=303)


@blueprint.post("/pending/<change_id>/confirm")
def confirm(change_id: str) -> Response:
    services().network.confirm(principal(), change_id)
    return redirect(url_for(".show", notice="kept"), code=303)


@blueprint.post("/pending/<change_id>/revert")
def revert(change_id: str) -> Response:
    services().network.revert(principal(), change_id)
    return redirect(url_for(".show", notice="reverted"), code=303)


@blueprint.errorhandler(NeedsPassword)
def _confirm_first(err: NeedsPassword) -> tuple[str, int]:
    return _page(401, confirm=True, **_typed_again())


@blueprint.errorhandler(InvalidInput)
def _refused(err: InvalidInput) -> tuple[str, int]:
    """Bad input: the form it came from is shown again (never with a password), the
    problem next to the field it names."""
    problems = dict(err.problems or {err.field: err.reason})
    return _page(400, problems=problems, **_typed_again())


@blueprint.errorhandler(Busy)
@blueprint.errorhandler(NotFound)
@blueprint.errorhandler(Unavailable)
def _not_done(err: EyepiError) -> tuple[str, int]:
    """NetworkManager refused (a wrong password, a network gone), another change waits, a
    change was undone already: said at the top of the page, the form shown again."""
    return _page(status_of(err), error=f"Not done: {err}", **_typed_again())


def _typed_again() -> dict[str, Any]:
    endpoint, args = request.endpoint or "", request.view_args or {}
    if endpoint == "pages.network.join":
        hidden = not request.form.get("ssid_hex")
        return {"join_for": "hidden" if hidden else _text("ssid_hex")}
    if endpoint == "pages.network.set_priority":
        return {"priority_for": args.get("uuid"), "typed": {"priority": _text("priority")}}
    if endpoint == "pages.network.set_ipv4":
        return {"ipv4_for": args.get("uuid"), "typed": _ipv4_typed()}
    if endpoint == "pages.network.set_hostname":
        return {"typed": {"hostname": _text("hostname")}}
    if endpoint == "pages.network.set_hotspot":
        return {"typed": _hotspot_typed()}
    return {}


def _text(name: str) -> str:
    return request.form.get(name, "")[:TYPED_MAX]


def _ipv4_typed() -> dict[str, str]:
    typed = {name: _text(name) for name in IPV4_FIELDS}
    typed["ipv4.method"] = typed["ipv4.method"] or "auto"
    return typed


def _hotspot_typed() -> dict[str, Any]:
    return {
        "network.hotspot_fallback": "network.hotspot_fallback" in request.form,
        "network.hotspot_after_s": _text("network.hotspot_after_s"),
    }


def _whole(text: str, field: str) -> int:
    """A whole number typed into ``field`` by the rules' one reading of typed numbers
    (``whole_number``); InvalidInput naming the field otherwise."""
    number = whole_number(text)
    if number is None:
        raise InvalidInput(field, "a whole number")
    return number


def _done(
    change: PendingChange | None, new_address: str | None = None, *, moves: bool = False
) -> Answer:
    """Applied at once: back to the page. Waiting: the page now, with the link that keeps
    the change (its key is in this answer only). ``moves``: an addressing change."""
    if change is None:
        return redirect(url_for(".show", notice="kept"), code=303)
    link = confirm_link(change, new_address, moves)
    keep = None
    if link is not None:
        qr = Markup(qr_svg(link, scale=3))  # noqa: S704 - geometry only (see qr_svg)
        where = UNKNOWN_ADDRESS if moves and new_address is None else ""
        keep = {
            "link": link,
            "qr": qr,
            "where": where,
            "key": change.confirm_key,
            "path": confirm_path(change.change_id),
            "absolute": "://" in link,
            "moves": moves,
        }
    moved = _ip(new_address)
    return _page(
        notice=NOTICES["pending"], keep=keep, moved=(moved, _url_of(moved)) if moved else None
    )


def _moved_to() -> str | None:
    """The address a static-address change moved the station to (only an IP address)."""
    return _ip(request.args.get("moved", "")[:TYPED_MAX])


def _ip(text: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def _url_of(address: str) -> str:
    """This page at ``address``, with the scheme and port this browser came by."""
    port = urlsplit(request.host_url).port
    host = f"[{address}]" if ":" in address else address
    return f"{request.scheme}://{host}{f':{port}' if port else ''}/network"


def _page(status: int = 200, **extra: Any) -> tuple[str, int]:
    station, who = services(), principal()
    network, role = station.network, station.access.role_of(who)
    state = network.status()
    wifi, saved, hotspot, problem = _read(who, state.available)
    shown_hotspot = hotspot or state.hotspot
    qr = None
    if shown_hotspot is not None and shown_hotspot.passphrase:
        join = wifi_qr_text(shown_hotspot.ssid, shown_hotspot.passphrase)
        qr = Markup(qr_svg(join, scale=4))  # noqa: S704 - geometry only (see qr_svg)
    context: dict[str, Any] = {
        "problems": {},
        "error": "",
        "join_for": None,
        "priority_for": None,
        "ipv4_for": None,
        "typed": {},
        "confirm": False,
        "keep": None,
        "notice": NOTICES.get(request.args.get("notice", "")),
        "moved": None,
    } | extra
    if context["moved"] is None and (moved := _moved_to()):
        context["moved"] = (moved, _url_of(moved))
    html = render_template(
        "network.html",
        status=state,
        urls=[(address, _url_of(address)) for address in state.reachable],
        wifi=wifi,
        has_wifi=any(device.kind is DeviceKind.WIFI for device in state.devices),
        saved=saved,
        read_problem=problem,
        hotspot=shown_hotspot,
        hotspot_settings=station.config.current().network,
        qr=qr,
        left_s=None if state.pending is None else round(state.pending.left_s(network.now())),
        can_join=allowed(role, Permission.WIFI_JOIN),
        can_set=allowed(role, Permission.NETWORK_SETTINGS),
        can_name=allowed(role, Permission.HOSTNAME),
        join_refusal=refusal(role, Permission.WIFI_JOIN),
        settings_refusal=refusal(role, Permission.NETWORK_SETTINGS),
        **context,
    )
    return html, status


def _read(
    who: Principal, available: bool
) -> tuple[list[WifiNetwork], list[SavedNetwork], HotspotInfo | None, str]:
    """Wi-Fi in range, saved profiles and the hotspot (with its passphrase for operators);
    what NetworkManager could not say is said once, the page is shown anyway."""
    if not available:
        return [], [], None, ""
    network = services().network
    try:
        return network.wifi_networks(who), network.saved(), network.hotspot_info(who), ""
    except EyepiError as err:
        return [], [], None, str(err)
