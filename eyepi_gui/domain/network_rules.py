"""Rules for what a person may type on the Network tab: hostname, SSID, Wi-Fi password,
IPv4 addressing and priority. Each check raises ``InvalidInput`` naming the field.

A small stand-in with the names and signatures the network spec gives; the full rules
(with their tests) come from the runner/rules branch, which replaces this file at merge.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Sequence

from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.errors import InvalidInput

_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")
PRIORITY_MIN, PRIORITY_MAX = -999, 999


def check_hostname(name: str, field: str = "hostname") -> str:
    """One RFC 1123 label (1-63 letters, digits, hyphens; no hyphen at either end), lowercased."""
    label = name.lower()
    if not _LABEL.fullmatch(label) or label.isdigit():
        raise InvalidInput(field, "use 1-63 letters, digits and hyphens, not at either end")
    return label


def check_ssid(text: str, field: str = "ssid") -> bytes:
    """The SSID's bytes: 1-32 bytes of UTF-8, no NUL."""
    data = text.encode("utf-8", "surrogateescape")
    if not 1 <= len(data) <= 32 or b"\0" in data:
        raise InvalidInput(field, "an SSID is 1 to 32 bytes, without NUL")
    return data


def check_psk(text: str, field: str = "password") -> str:
    """A WPA passphrase: 8-63 printable ASCII characters, or exactly 64 hex digits."""
    printable = text.isascii() and text.isprintable()
    if (printable and 8 <= len(text) <= 63) or re.fullmatch(r"[0-9a-fA-F]{64}", text):
        return text
    raise InvalidInput(field, "use 8 to 63 printable ASCII characters, or 64 hex digits")


def check_priority(priority: int, field: str = "priority") -> int:
    if isinstance(priority, bool) or not isinstance(priority, int):
        raise InvalidInput(field, "a whole number")
    if not PRIORITY_MIN <= priority <= PRIORITY_MAX:
        raise InvalidInput(field, f"from {PRIORITY_MIN} to {PRIORITY_MAX}")
    return priority


def check_ipv4(
    method: str,
    address: str | None,
    prefix: int | None,
    gateway: str | None,
    dns: str | Sequence[str] | None,
    field_prefix: str = "ipv4",
) -> IPv4Config:
    """Addressing as a profile takes it; static needs a host address and prefix."""
    try:
        kind = AddressMethod(method)
    except ValueError:
        raise InvalidInput(f"{field_prefix}.method", 'use "auto" (DHCP) or "manual"') from None
    servers = tuple(_dns(dns, f"{field_prefix}.dns"))
    if kind is AddressMethod.DHCP:
        if address or gateway:
            raise InvalidInput(f"{field_prefix}.address", "leave empty with DHCP")
        return IPv4Config(kind, dns=servers)
    interface = _interface(address, prefix, field_prefix)
    via = _gateway(gateway, interface, f"{field_prefix}.gateway")
    return IPv4Config(kind, interface.with_prefixlen, via, servers)


def _interface(
    address: str | None, prefix: int | None, field_prefix: str
) -> ipaddress.IPv4Interface:
    if prefix is None or isinstance(prefix, bool) or not 1 <= prefix <= 32:
        raise InvalidInput(f"{field_prefix}.prefix", "a prefix length from 1 to 32")
    try:
        interface = ipaddress.IPv4Interface(f"{(address or '').strip()}/{prefix}")
    except ValueError:
        raise InvalidInput(
            f"{field_prefix}.address", "an IPv4 address such as 192.168.1.20"
        ) from None
    ip, net = interface.ip, interface.network
    bad = ip.is_multicast or ip.is_loopback or ip.is_unspecified or str(ip) == "255.255.255.255"
    if bad or (prefix < 31 and ip in (net.network_address, net.broadcast_address)):
        raise InvalidInput(f"{field_prefix}.address", "not a host address of its subnet")
    return interface


def _gateway(gateway: str | None, interface: ipaddress.IPv4Interface, field: str) -> str | None:
    if not gateway:
        return None
    try:
        ip = ipaddress.IPv4Address(gateway.strip())
    except ValueError:
        raise InvalidInput(field, "an IPv4 address such as 192.168.1.1") from None
    if ip not in interface.network or ip == interface.ip:
        raise InvalidInput(field, "must be another address inside the subnet")
    return str(ip)


def _dns(dns: str | Sequence[str] | None, field: str) -> list[str]:
    items = re.split(r"[,\s]+", dns.strip()) if isinstance(dns, str) else list(dns or ())
    items = [item for item in items if item]
    if len(items) > 3:
        raise InvalidInput(field, "at most 3 DNS servers")
    try:
        return [str(ipaddress.ip_address(item)) for item in items]
    except ValueError:
        raise InvalidInput(field, "IP addresses separated by commas or spaces") from None
