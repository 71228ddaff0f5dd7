"""The station's own addresses: the only hosts that same-site checks trust.

A request's Host header is whatever the client typed or forged; the station knows its own
names (hostname, ``<hostname>.local``, ``<hostname>.<DHCP search domain>``, the FQDN,
``localhost``), the IP addresses of its interfaces, and the other names a tech gave it in
``remote.names``; only those count as "this station".
"""

from __future__ import annotations

import threading
import time

from eyepi_gui.domain.hosts import normalized_host, parse_host_port
from eyepi_gui.ports import NetworkAddresses
from eyepi_gui.services.access import reads
from eyepi_gui.services.config import SettingsService

REFRESH_S = 5.0
"""How long (s) one reading of the interfaces is trusted before it is read again."""
RECHECK_S = 0.5
"""A host not in the reading is looked for again in one at most this old (s): an address
the station got a moment ago (a network change, confirmed from that address) counts at
once, and a stream of foreign hosts reads the interfaces at most twice a second."""


class StationAddresses:
    """Answers "is this host (and port) one of the station's own?" for the frontends."""

    def __init__(self, source: NetworkAddresses, config: SettingsService) -> None:
        self._source, self._config = source, config
        self._lock = threading.Lock()
        self._known: frozenset[str] = frozenset()
        self._read_at = -REFRESH_S

    @reads
    def known(self) -> frozenset[str]:
        """Every name and address of this machine, normalised (see ``normalized_host``)."""
        return self._reading(REFRESH_S)

    def _reading(self, max_age_s: float) -> frozenset[str]:
        with self._lock:
            if time.monotonic() - self._read_at >= max_age_s:
                self._known = self._read()
                self._read_at = time.monotonic()
            return self._known

    @reads
    def is_own(self, host: str, port: int, served_port: int) -> bool:
        """True when ``host``:``port`` reaches this station, which serves on ``served_port``:
        one of its own names or addresses on that port, or an entry of ``remote.names``
        (on the port the entry names, else on ``served_port``)."""
        host = normalized_host(host)
        if port == served_port and (host in self.known() or host in self._reading(RECHECK_S)):
            return True
        for entry in self._config.current().remote.names:
            name, entry_port = parse_host_port(entry)
            if name == host and port == (entry_port or served_port):
                return True
        return False

    def _read(self) -> frozenset[str]:
        names = {"localhost", *self._source.host_names()}
        short = {name.split(".")[0] for name in names if name != "localhost"}
        domains = ("local", *self._source.search_domains())
        names |= {f"{name}.{domain}" for name in short for domain in domains}
        return frozenset(normalized_host(h) for h in (*names, *self._source.ip_addresses()))
