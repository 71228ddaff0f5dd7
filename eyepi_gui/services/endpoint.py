"""What the remote endpoint is doing now, for every frontend to show.

The endpoint runs in the same process but is started (and restarted) by whoever composes the
frontends (``cli``); it reports here, and services read it without importing ``remote``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from eyepi_gui.services.access import internal, reads


@dataclass(frozen=True)
class EndpointView:
    """The endpoint as it runs: ``url`` as bound ("https://0.0.0.0:8443"), the certificate's
    SHA-256 fingerprint with TLS, or why it is not running (``problem``; None when it is off
    by choice)."""

    running: bool
    url: str | None = None
    fingerprint: str | None = None
    problem: str | None = None


class RemoteEndpoint:
    """Thread-safe holder of the endpoint's state; starts as not running."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._view = EndpointView(running=False)

    @internal
    def started(self, url: str, fingerprint: str | None) -> None:
        with self._lock:
            self._view = EndpointView(running=True, url=url, fingerprint=fingerprint)

    @internal
    def stopped(self, problem: str | None = None) -> None:
        with self._lock:
            self._view = EndpointView(running=False, problem=problem)

    @reads
    def current(self) -> EndpointView:
        with self._lock:
            return self._view
