"""The machine's names, search domains, interface addresses and boot time
(``NetworkAddresses``), from the OS: the hostname, resolv.conf and psutil (imported on first
use: about 15 ms the kiosk need not spend before its first paint)."""

from __future__ import annotations

import socket
from pathlib import Path

from eyepi_gui.domain.hosts import is_host_name
from eyepi_gui.domain.reach import IPV4, IPV6, InterfaceAddress

RESOLV_CONF = Path("/etc/resolv.conf")
_FAMILIES = {socket.AF_INET: IPV4, socket.AF_INET6: IPV6}
_ROUTE_PROBES = (
    (socket.AF_INET, ("192.0.2.1", 9)),
    (socket.AF_INET6, ("2001:db8::1", 9)),
)
"""Documentation addresses (RFC 5737, RFC 3849): connecting a UDP socket to one picks the
default route's source address without sending a packet."""


class LocalAddresses:
    """Read on every call: addresses come and go with DHCP, Wi-Fi and cables."""

    def __init__(self, resolv_conf: Path = RESOLV_CONF) -> None:
        self._resolv_conf = resolv_conf

    def hostname(self) -> str:
        return socket.gethostname()

    def host_names(self) -> tuple[str, ...]:
        names = {socket.gethostname(), socket.getfqdn()}
        return tuple(sorted(name for name in names if name))

    def search_domains(self) -> tuple[str, ...]:
        try:
            lines = self._resolv_conf.read_text(errors="replace").splitlines()
        except OSError:
            return ()
        words = [line.split()[1:] for line in lines if line.split()[:1] in (["search"], ["domain"])]
        found = {word.rstrip(".").lower() for row in words for word in row}
        return tuple(sorted(domain for domain in found if is_host_name(domain)))

    def ip_addresses(self) -> tuple[str, ...]:
        return tuple(sorted({item.address for item in self.interface_addresses()}))

    def interface_addresses(self) -> tuple[InterfaceAddress, ...]:
        import psutil

        return tuple(
            # fe80::1%eth0: the zone repeats the interface and is not part of a URL
            InterfaceAddress(interface, address.address.split("%", 1)[0], _FAMILIES[address.family])
            for interface, addresses in psutil.net_if_addrs().items()
            for address in addresses
            if address.family in _FAMILIES
        )

    def default_route_address(self) -> str | None:
        for family, probe in _ROUTE_PROBES:
            try:
                with socket.socket(family, socket.SOCK_DGRAM) as udp:
                    udp.connect(probe)
                    return str(udp.getsockname()[0])
            except OSError:  # no route for this family
                continue
        return None

    def booted_at(self) -> float:
        import psutil

        return float(psutil.boot_time())
