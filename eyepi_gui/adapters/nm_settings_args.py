"""An IPv4Config as ``nmcli connection modify`` arguments, every value re-written by
``ipaddress`` so that only well-formed addresses ever reach nmcli's argv (the service checks
the rules people see first; this is the adapter's own guard)."""

from __future__ import annotations

import ipaddress

from eyepi_gui.domain.network import AddressMethod, IPv4Config
from eyepi_gui.errors import InvalidInput


def ipv4_args(config: IPv4Config) -> list[str]:
    """``ipv4.method``, ``ipv4.addresses``, ``ipv4.gateway`` and ``ipv4.dns`` for nmcli. DHCP
    clears the static address and gateway; its DNS list (if any) overrides the network's."""
    dns = ",".join(_address(value, "ipv4.dns") for value in config.dns)
    if config.method == AddressMethod.DHCP:
        if config.address or config.gateway:
            raise InvalidInput("ipv4.address", "DHCP takes no static address or gateway")
        return ["ipv4.method", "auto", "ipv4.addresses", "", "ipv4.gateway", "", "ipv4.dns", dns]
    address = _interface(config.address)
    gateway = _address(config.gateway, "ipv4.gateway", version=4) if config.gateway else ""
    return [
        "ipv4.method",
        "manual",
        "ipv4.addresses",
        address,
        "ipv4.gateway",
        gateway,
        "ipv4.dns",
        dns,
    ]


def _interface(value: str | None) -> str:
    if not value:
        raise InvalidInput("ipv4.address", "a static address is needed")
    try:
        interface = ipaddress.IPv4Interface(value.strip())
    except ValueError as err:
        raise InvalidInput("ipv4.address", "not an IPv4 address with /prefix") from err
    if "/" not in value:
        raise InvalidInput("ipv4.prefix", "the prefix length is missing")
    return str(interface)


def _address(value: str | None, field: str, version: int | None = None) -> str:
    try:
        address = ipaddress.ip_address((value or "").strip())
    except ValueError as err:
        raise InvalidInput(field, f"{value!r} is not an IP address") from err
    if version is not None and address.version != version:
        raise InvalidInput(field, f"{value!r} is not an IPv{version} address")
    return str(address)
