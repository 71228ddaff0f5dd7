"""What the station accepts as a hostname, SSID, Wi-Fi password, IPv4 addressing and
profile priority. Each check raises ``InvalidInput`` naming the field ("hostname", "ssid",
"password", "ipv4.method", "ipv4.address", "ipv4.prefix", "ipv4.gateway", "ipv4.dns",
"priority") with a reason a field tech can act on; ``check_ipv4`` names every bad field at
once (``problems``). A reason never repeats a password.
"""

from __future__ import annotations

import ipaddress
import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.errors import InvalidInput

HOSTNAME_MAX = 63
SSID_MAX_BYTES = 32
PSK_MIN, PSK_MAX = 8, 63
PRIORITY_MIN, PRIORITY_MAX = -999, 999
DNS_MAX = 3
WHOLE_DIGITS_MAX = 6
"""The most digits a whole number typed into a field may have: every rule's bound is far
below, and ``int()`` refuses text of over 4300 digits with a message for programmers."""
RESERVED_HOSTNAMES = frozenset({"localhost"})
"""Names every machine already gives itself (RFC 6761): as the hostname, other machines
could no longer tell the station from themselves."""
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp"})
"""Unicode categories a typed name may not hold (as ``domain.accounts``): control and
format characters (zero-width, direction overrides), line and paragraph separators."""
IPV4_FIELDS = ("method", "address", "prefix", "gateway", "dns")
_HOSTNAME_CHARS = "use only letters a-z, digits 0-9 and hyphens (-)"
_HEX = re.compile(r"[0-9A-Fa-f]{64}")
_WHOLE = re.compile(rf"-?[0-9]{{1,{WHOLE_DIGITS_MAX}}}")
_DNS_SPLIT = re.compile(r"[,\s]+")
_METHODS = {"auto": AddressMethod.DHCP, "dhcp": AddressMethod.DHCP}
_METHODS |= {"manual": AddressMethod.STATIC, "static": AddressMethod.STATIC}
_RESERVED = ipaddress.IPv4Network("240.0.0.0/4")
_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
T = TypeVar("T")


def check_hostname(name: str, field: str = "hostname") -> str:
    """The station's hostname: one RFC 1123 label (1-63 letters, digits and inner hyphens,
    not all digits), in lower case. Not "localhost", and no "--" as its third and fourth
    characters: such labels are reserved (RFC 5891), and an "xn--" name is shown by
    browsers and resolvers as other letters, any look-alike of another machine's name."""
    reason = _hostname_problem(name)
    if reason:
        raise InvalidInput(field, reason)
    return name.lower()


def _hostname_problem(name: str) -> str | None:
    if not name:
        return "must not be empty"
    if len(name) > HOSTNAME_MAX:
        return f"must be at most {HOSTNAME_MAX} characters (it has {len(name)})"
    for char in name:
        if char.isspace():
            return "must not contain spaces or line breaks (also not at the start or end)"
        if not char.isprintable():
            return "must not contain control or invisible characters"
        if char == ".":
            return f"one name without dots, not a domain: {_HOSTNAME_CHARS}"
        if not char.isascii():
            return f'"{char}" is not a plain letter: {_HOSTNAME_CHARS}'
        if not (char.isalnum() or char == "-"):
            return f'"{char}" is not allowed: {_HOSTNAME_CHARS}'
    if name.startswith("-") or name.endswith("-"):
        return "must not start or end with a hyphen (-)"
    if name.isdigit():
        return "must contain a letter (a name of digits only reads as a number)"
    if name.lower() in RESERVED_HOSTNAMES:
        return f'"{name.lower()}" is every machine\'s name for itself: choose another'
    if name[2:4] == "--":
        return 'must not have "--" as its 3rd and 4th characters (reserved for other scripts)'
    return None


def check_ssid(text: str, field: str = "ssid") -> bytes:
    """A network name typed in: 1-32 bytes as UTF-8, without control or invisible
    characters (a NUL, a line break, a zero-width space, a direction override): nobody can
    see or type them, and a name holding them is a look-alike. Spaces count, also at the
    ends. Returns the bytes. (A network in range whose name holds such bytes is joined by
    the bytes its scan gives, not typed.)"""
    if not text:
        raise InvalidInput(field, "must not be empty")
    if "\0" in text:
        raise InvalidInput(field, "must not contain a NUL character")
    hidden = next((c for c in text if unicodedata.category(c) in INVISIBLE), None)
    if hidden is not None:
        code = f"U+{ord(hidden):04X}"
        raise InvalidInput(field, f"must not contain control or invisible characters ({code})")
    try:
        raw = text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(field, "is not valid text (it holds a broken character)") from None
    if len(raw) > SSID_MAX_BYTES:
        raise InvalidInput(
            field,
            f"must be at most {SSID_MAX_BYTES} bytes; this one has {len(raw)} (letters beyond "
            "A-Z, accents and emoji take 2 to 4 bytes each)",
        )
    return raw


def check_psk(text: str, field: str = "password") -> str:
    """A WPA2/WPA3-personal password: 8-63 characters of a plain keyboard (printable ASCII,
    spaces allowed), or a key of exactly 64 hexadecimal digits."""
    if len(text) == PSK_MAX + 1 and not _HEX.fullmatch(text):
        raise InvalidInput(
            field,
            f"a {PSK_MAX + 1}-character key must be hexadecimal digits only (0-9, a-f); a "
            f"password has {PSK_MIN} to {PSK_MAX} characters",
        )
    if not all(" " <= char <= "~" for char in text):
        raise InvalidInput(
            field,
            "use only characters of a plain keyboard: letters A-Z, digits, punctuation and "
            "spaces (no accents, emoji or control characters)",
        )
    if len(text) < PSK_MIN:
        raise InvalidInput(field, f"must be at least {PSK_MIN} characters")
    if len(text) > PSK_MAX + 1:
        raise InvalidInput(field, f"must be at most {PSK_MAX} characters (or a 64-digit hex key)")
    return text


def check_priority(value: int | str, field: str = "priority") -> int:
    """A profile's autoconnect priority, -999..999 (higher wins); digits as text are taken."""
    number = whole_number(value) if isinstance(value, str) else value
    if isinstance(number, bool) or not isinstance(number, int):
        raise InvalidInput(field, f"must be a whole number from {PRIORITY_MIN} to {PRIORITY_MAX}")
    if not PRIORITY_MIN <= number <= PRIORITY_MAX:
        raise InvalidInput(field, f"must be a whole number from {PRIORITY_MIN} to {PRIORITY_MAX}")
    return number


def whole_number(text: str) -> int | None:
    """The whole number typed as ``text`` (ASCII digits, an optional "-", spaces around),
    or None: never other scripts' digits, "_" between digits, "+" or more digits than
    ``WHOLE_DIGITS_MAX``, all of which ``int()`` would take or choke on."""
    bare = text.strip(" ")
    return int(bare) if _WHOLE.fullmatch(bare) else None


def check_ipv4(
    method: str,
    address: str | None,
    prefix: str | int | None,
    gateway: str | None,
    dns: str | Sequence[str] | None,
    field_prefix: str = "ipv4",
) -> IPv4Config:
    """IPv4 addressing as a profile takes it. ``method`` "auto"/"dhcp" or "manual"/"static";
    static needs ``address`` (a host address; "a.b.c.d/prefix" is taken when ``prefix`` is
    empty) and ``prefix`` (1-32), an optional ``gateway`` inside that network; DHCP takes no
    address, prefix or gateway. ``dns``: up to 3 IPv4 addresses (a list, or text
    separated by commas or spaces), with either method. Spaces around a value are ignored.
    Raises InvalidInput naming every bad field (``<field_prefix>.address``, ...)."""
    check = _Fields(field_prefix)
    kind = check("method", _method, method)
    given = _given(address, prefix, gateway)
    if kind is AddressMethod.DHCP:
        for name, text in given.items():
            check.refuse_if(bool(text), name, "leave empty with DHCP (the network gives it)")
        servers = check("dns", _dns, dns) or ()
        check.raise_any()
        return IPv4Config(AddressMethod.DHCP, dns=servers)
    ip = check("address", _host, given["address"]) if given["address"] else None
    bits = check("prefix", _prefix, given["prefix"]) if given["prefix"] else None
    router = check("gateway", _host, given["gateway"]) if given["gateway"] else None
    if kind is AddressMethod.STATIC:
        check.refuse_if(not given["address"], "address", "required for a static address")
        check.refuse_if(not given["prefix"], "prefix", "required for a static address")
    if ip is not None and bits is not None:
        network = ipaddress.IPv4Network(f"{ip}/{bits}", strict=False)
        check("address", _in_network, ip, network)
        if router is not None:
            check("gateway", _gateway, router, ip, network)
    servers = check("dns", _dns, dns) or ()
    check.raise_any()
    gateway_text = None if router is None else str(router)
    return IPv4Config(AddressMethod.STATIC, f"{ip}/{bits}", gateway_text, servers)


def _given(address: str | None, prefix: str | int | None, gateway: str | None) -> dict[str, str]:
    """The address, prefix and gateway as text without surrounding spaces ("" for none);
    an address written "a.b.c.d/prefix" gives the prefix when the prefix is empty."""
    address_text, prefix_text = _text(address), _text(prefix)
    if "/" in address_text and not prefix_text:
        address_text, _, prefix_text = address_text.partition("/")
    return {"address": address_text, "prefix": prefix_text, "gateway": _text(gateway)}


class _Fields:
    """Runs each field's check, keeping the first reason per field, in order."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.problems: dict[str, str] = {}

    def __call__(self, name: str, rule: Callable[..., T], *args: object) -> T | None:
        try:
            return rule(*args)
        except ValueError as err:
            self.refuse_if(True, name, str(err))
            return None

    def refuse_if(self, bad: bool, name: str, reason: str) -> None:
        if bad:
            self.problems.setdefault(f"{self.prefix}.{name}", reason)

    def raise_any(self) -> None:
        """Raise InvalidInput naming every problem, in the order the fields are shown."""
        if self.problems:
            order = [f"{self.prefix}.{name}" for name in IPV4_FIELDS]
            problems = dict(sorted(self.problems.items(), key=lambda item: order.index(item[0])))
            field, reason = next(iter(problems.items()))
            raise InvalidInput(field, reason, problems)


def _text(value: object) -> str:
    return "" if value is None else str(value).strip(" ")


def _method(text: str) -> AddressMethod:
    found = _METHODS.get(str(text).strip(" ").lower())
    if found is None:
        raise ValueError('use "auto" (DHCP: the network gives the address) or "manual" (static)')
    return found


def _prefix(text: str) -> int:
    bits = whole_number(text.removeprefix("/"))
    if bits is None or not 1 <= bits <= 32:
        raise ValueError("must be a whole number from 1 to 32 (24 for most small networks)")
    return bits


def _host(text: str) -> ipaddress.IPv4Address:
    """One machine's IPv4 address: not 0.0.0.0, loopback, multicast, broadcast or reserved."""
    if "/" in text:
        raise ValueError("give the prefix once, in the prefix field")
    try:
        ip = ipaddress.IPv4Address(text)
    except ValueError:
        raise ValueError("is not an IPv4 address (four numbers 0-255 with dots)") from None
    if ip in _THIS_NETWORK:
        raise ValueError(f"{ip} is not an address a machine can have (0.x.x.x)")
    if ip.is_loopback:
        raise ValueError(f"{ip} is the loopback (this machine only), not a network address")
    if ip.is_multicast:
        raise ValueError(f"{ip} is a multicast (group) address, not one machine's")
    if ip in _RESERVED:
        raise ValueError(f"{ip} is reserved or broadcast, not one machine's")
    return ip


def _in_network(ip: ipaddress.IPv4Address, network: ipaddress.IPv4Network) -> None:
    """``ip`` is a host address of ``network`` (not its own or broadcast address)."""
    hosts = f"use one from {_first(network)} to {_last(network)}"
    if ip not in network:
        raise ValueError(f"{ip} is outside the station's network {network}: {hosts}")
    if network.prefixlen < 31 and ip == network.network_address:
        raise ValueError(f"{ip} is the address of the network {network} itself: {hosts}")
    if network.prefixlen < 31 and ip == network.broadcast_address:
        raise ValueError(f"{ip} is the broadcast address of {network}: {hosts}")


def _gateway(
    router: ipaddress.IPv4Address, ip: ipaddress.IPv4Address, network: ipaddress.IPv4Network
) -> None:
    if router == ip:
        raise ValueError("must be the router's address, not the station's own")
    _in_network(router, network)


def _first(network: ipaddress.IPv4Network) -> ipaddress.IPv4Address:
    return network.network_address + (1 if network.prefixlen < 31 else 0)


def _last(network: ipaddress.IPv4Network) -> ipaddress.IPv4Address:
    return network.broadcast_address - (1 if network.prefixlen < 31 else 0)


def _dns(dns: str | Sequence[str] | None) -> tuple[str, ...]:
    if dns is None:
        return ()
    texts = _DNS_SPLIT.split(dns.strip()) if isinstance(dns, str) else [_text(d) for d in dns]
    entries = [text for text in texts if text]
    if len(entries) > DNS_MAX:
        raise ValueError(f"list at most {DNS_MAX} DNS servers (it lists {len(entries)})")
    servers = [_server(entry) for entry in entries]
    for index, server in enumerate(servers):
        if server in servers[:index]:
            raise ValueError(f"{server} is listed twice")
    return tuple(servers)


def _server(text: str) -> str:
    """An IPv4 DNS server: NetworkManager keeps IPv6 servers in a profile's IPv6 settings
    (its ``ipv4.dns`` refuses them), which the station leaves as they are."""
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        ip = None
    if ip is None or "%" in text:
        raise ValueError(f"{json.dumps(text)[:50]} is not an IP address")
    if ip.version != 4:
        raise ValueError(f"{ip} is an IPv6 address: list IPv4 DNS servers here")
    if ip.is_unspecified or ip.is_multicast or ip == ipaddress.IPv4Address("255.255.255.255"):
        raise ValueError(f"{ip} is not a DNS server's address")
    return str(ip)
