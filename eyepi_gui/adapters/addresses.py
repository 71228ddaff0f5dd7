"""The machine's names and interface addresses (``NetworkAddresses``), from the OS via psutil."""

from __future__ import annotations

import socket

import psutil


class LocalAddresses:
    """Read on every call: addresses come and go with DHCP, Wi-Fi and cables."""

    def host_names(self) -> tuple[str, ...]:
        names = {socket.gethostname(), socket.getfqdn()}
        return tuple(sorted(name for name in names if name))

    def ip_addresses(self) -> tuple[str, ...]:
        found = {
            address.address.split("%", 1)[0]  # fe80::1%eth0: the zone is not part of a URL
            for addresses in psutil.net_if_addrs().values()
            for address in addresses
            if address.family in (socket.AF_INET, socket.AF_INET6)
        }
        return tuple(sorted(found))
