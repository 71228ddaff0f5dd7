"""Host names and addresses as browsers write them in a URL, compared in one canonical form."""

from __future__ import annotations

import ipaddress
import re

_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
HOST_RULE = (
    'use a host name ("station.example.org", letters, digits and "-" between dots) or an IP '
    'address, optionally with ":port" ("[fd00::7]:8443" for IPv6 with a port)'
)


def normalized_host(host: str) -> str:
    """A host as compared: lower case, no brackets, no trailing dot; IPs in canonical form."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def is_host_name(text: str) -> bool:
    """True for a DNS name of letters, digits and inner hyphens (at most 253 characters)."""
    labels = text.rstrip(".").lower().split(".")
    return len(text) <= 253 and all(_LABEL.fullmatch(label) for label in labels)


def parse_host_port(text: str) -> tuple[str, int | None]:
    """``"name"``, ``"name:8443"``, ``"192.0.2.7"``, ``"[fd00::7]:8443"`` or a bare IPv6
    address as (normalized host, port or None). Raises ``ValueError`` with ``HOST_RULE``."""
    host, port = text, None
    if text.startswith("["):
        host, closed, rest = text[1:].partition("]")
        if not closed or not _is_ip(host) or (rest and not rest.startswith(":")):
            raise ValueError(HOST_RULE)
        port = _port(rest[1:]) if rest else None
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = _port(port_text)
    if not (is_host_name(host) or _is_ip(host)):
        raise ValueError(HOST_RULE)
    return normalized_host(host), port


def _port(text: str) -> int:
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ValueError(HOST_RULE)
    return int(text)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True
