"""The one-tap link that keeps a waiting network change: ``/network/confirm/<id>#<key>``
on the address the station has after the change.

A remote admin who moves the station to a new address loses the page at the old one, and
their session cookie belongs to the old host; the link needs no login there. Its key (the
service's ``PendingChange.confirm_key``, in the maker's answer only) rides in the URL's
fragment: a browser never sends a fragment, so it stays out of the server's and any proxy's
logs, and the confirmation page's script moves it into its form and drops it from the
address bar (and so from the browser's history). The form's POST carries it; without
JavaScript, the key is typed or pasted into that form.

Which address: a static address gives its IP; DHCP gives none the station knows yet (only
the path then, to open on the address its screen or the router shows); a Wi-Fi change
keeps the address this request came in on (``request.host``). The scheme is this request's
and the port the endpoint's own (``SERVER_PORT``).
"""

from __future__ import annotations

import ipaddress

from flask import request

from eyepi_gui.domain.network import PendingChange

PATH = "/network/confirm/"
DEFAULT_PORTS = {"http": 80, "https": 443}
UNKNOWN_ADDRESS = (
    "the station gets its new address by DHCP: find it on the station's screen or your "
    "router, then open this there"
)


def confirm_path(change_id: str) -> str:
    """The confirmation page of a change (no key: its GET shows the form)."""
    return f"{PATH}{change_id}"


def confirm_link(change: PendingChange, new_address: str | None, moves: bool) -> str | None:
    """The link that keeps ``change``: absolute on ``new_address`` (an IP address), on this
    request's host when the change ``moves`` nothing, else only the path (DHCP). None
    without a key (a change only its maker's answer carries one for)."""
    if not change.confirm_key:
        return None
    path = f"{confirm_path(change.change_id)}#{change.confirm_key}"
    if not moves:
        return f"{request.scheme}://{request.host}{path}"
    host = _host(new_address)
    if host is None:
        return path
    return f"{request.scheme}://{host}{_port()}{path}"


def _host(address: str | None) -> str | None:
    """``address`` as a URL's host; None for no address (or no IP address, which the
    service refused already)."""
    try:
        ip = ipaddress.ip_address((address or "").strip())
    except ValueError:
        return None
    return f"[{ip}]" if ip.version == 6 else str(ip)


def _port() -> str:
    served = request.environ.get("SERVER_PORT", "")
    if not served.isdigit() or int(served) == DEFAULT_PORTS.get(request.scheme):
        return ""
    return f":{int(served)}"
