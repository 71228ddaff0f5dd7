"""The station's own addresses: the only hosts that absolute URLs and same-site checks trust.

A request's Host header is whatever the client typed or forged; the station knows its own
names (hostname, its ``.local`` mDNS name, the FQDN, ``localhost``) and the IP addresses of
its interfaces, and only those count as "this station".
"""

from __future__ import annotations

import ipaddress
import threading
import time

from eyepi_gui.ports import NetworkAddresses
from eyepi_gui.services.access import reads

REFRESH_S = 5.0
"""How long (s) one reading of the interfaces is trusted before it is read again."""


def normalized_host(host: str) -> str:
    """A host as compared: lower case, no brackets, no trailing dot; IPs in canonical form."""
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


class StationAddresses:
    """Answers "is this host one of the station's own?" for the frontends."""

    def __init__(self, source: NetworkAddresses) -> None:
        self._source = source
        self._lock = threading.Lock()
        self._known: frozenset[str] = frozenset()
        self._read_at = -REFRESH_S

    @reads
    def known(self) -> frozenset[str]:
        """Every name and address of this station, normalised (see ``normalized_host``)."""
        with self._lock:
            if time.monotonic() - self._read_at >= REFRESH_S:
                self._known = self._read()
                self._read_at = time.monotonic()
            return self._known

    @reads
    def is_own(self, host: str) -> bool:
        return normalized_host(host) in self.known()

    def _read(self) -> frozenset[str]:
        names = {"localhost", *self._source.host_names()}
        names |= {f"{name.split('.')[0]}.local" for name in names if name != "localhost"}
        return frozenset(normalized_host(h) for h in (*names, *self._source.ip_addresses()))
