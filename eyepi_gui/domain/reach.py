"""Where a browser can reach the station: its interface addresses in the order a tech should
try them, and the endpoint's URL on each. Pure: the addresses come from the OS via a port."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

IPV4, IPV6 = "IPv4", "IPv6"
WILDCARDS = {"0.0.0.0": IPV4, "::": IPV6}  # noqa: S104 - names the bind, binds nothing
"""A wildcard bind serves every address of its family (waitress binds IPv6 only on "::")."""


@dataclass(frozen=True)
class InterfaceAddress:
    """One IP address of one network interface: ``family`` is "IPv4" or "IPv6"; ``address``
    is bare (no zone, no brackets)."""

    interface: str
    address: str
    family: str

    @property
    def loopback(self) -> bool:
        return ipaddress.ip_address(self.address).is_loopback

    @property
    def link_local(self) -> bool:
        """169.254.x.x or fe80::: reachable only on the same cable or Wi-Fi, and an IPv6 one
        needs a zone (``%eth0``) that browsers do not take in a URL."""
        return ipaddress.ip_address(self.address).is_link_local


def reachable(
    found: Iterable[InterfaceAddress], preferred: str | None = None
) -> tuple[InterfaceAddress, ...]:
    """The addresses another machine could use, best first: ``preferred`` (the default
    route's source address), then IPv4, then IPv6, link-local ones last; loopback dropped."""

    def rank(item: InterfaceAddress) -> tuple[bool, bool, bool, str, str]:
        first = item.address != preferred
        return (first, item.link_local, item.family != IPV4, item.interface, item.address)

    return tuple(sorted({a for a in found if not a.loopback}, key=rank))


def browser_urls(bound_url: str, addresses: Iterable[InterfaceAddress]) -> tuple[str, ...]:
    """The URLs a browser can open for an endpoint bound at ``bound_url`` ("http://0.0.0.0:8080"):
    one per address of the bound family for a wildcard bind (link-local IPv6 left out), else
    the bound address itself. IPv6 hosts in brackets."""
    parts = urlsplit(bound_url)
    host, port = parts.hostname or "", parts.port
    family = WILDCARDS.get(host)
    if family is None:
        hosts = [host]
    else:
        hosts = [a.address for a in addresses if a.family == family and _in_url(a)]
    return tuple(f"{parts.scheme}://{_url_host(h)}:{port}" for h in dict.fromkeys(hosts))


def only_this_machine(url: str) -> bool:
    """True for a URL on a loopback address (127.0.0.1, ::1): no other machine can open it."""
    try:
        return ipaddress.ip_address(urlsplit(url).hostname or "").is_loopback
    except ValueError:
        return False


def _in_url(address: InterfaceAddress) -> bool:
    return not address.loopback and not (address.family == IPV6 and address.link_local)


def _url_host(address: str) -> str:
    return f"[{address}]" if ":" in address else address


def duration_text(seconds: float) -> str:
    """An uptime as people say it: "42 s", "12 min", "3 h 05 min", "2 d 4 h"."""
    whole = max(0, int(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min" if minutes else f"{whole} s"
