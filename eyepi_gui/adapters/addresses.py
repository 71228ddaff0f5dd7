"""The machine's names, search domains and interface addresses (``NetworkAddresses``), from
the OS: the hostname, resolv.conf and psutil."""

from __future__ import annotations

import socket
from pathlib import Path

import psutil

from eyepi_gui.domain.hosts import is_host_name

RESOLV_CONF = Path("/etc/resolv.conf")


class LocalAddresses:
    """Read on every call: addresses come and go with DHCP, Wi-Fi and cables."""

    def __init__(self, resolv_conf: Path = RESOLV_CONF) -> None:
        self._resolv_conf = resolv_conf

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
        found = {
            address.address.split("%", 1)[0]  # fe80::1%eth0: the zone is not part of a URL
            for addresses in psutil.net_if_addrs().values()
            for address in addresses
            if address.family in (socket.AF_INET, socket.AF_INET6)
        }
        return tuple(sorted(found))
