"""The remote endpoint of a running station, started at start and restarted in process when
the ``[remote]`` keys it listens with change (enabled, bind, port, TLS and its files, the
thread and body limits): no station restart, capture never pauses.

The restart runs on the runner's own thread, ``RESTART_DELAY_S`` after the change: the change
usually arrives through the endpoint itself, whose answer (saying where the endpoint went)
must reach the browser before the old server closes. Every start and stop is reported to
``services.endpoint`` for the frontends to show. ``remote`` is imported only here and in
``cli``: the service layer never imports a frontend.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from eyepi_gui.domain.events import Event, SettingsChanged, SettingsRecovered
from eyepi_gui.errors import EyepiError
from eyepi_gui.settings import RemoteSettings

if TYPE_CHECKING:
    from eyepi_gui.services.station_services import StationServices
    from remote.server import RemoteServer

_log = logging.getLogger("eyepi.cli")
RESTART_DELAY_S = 0.5
"""Seconds between a change and the restart, for the answer to the change to go out."""
LISTEN_KEYS = (
    "enabled",
    "bind",
    "port",
    "tls",
    "certificate",
    "private_key",
    "max_stream_clients",
    "max_body_kib",
)
"""``[remote]`` keys the server is started with: a change to one restarts it."""


def listening(settings: RemoteSettings) -> tuple[object, ...]:
    return tuple(getattr(settings, key) for key in LISTEN_KEYS)


class RemoteRunner:
    """Starts, restarts and stops the station's remote endpoint (see the module)."""

    def __init__(
        self, services: StationServices, home: Path, *, delay_s: float = RESTART_DELAY_S
    ) -> None:
        self._services, self._home, self._delay_s = services, home, delay_s
        self._server: RemoteServer | None = None
        self._running_with: tuple[object, ...] | None = None
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @property
    def server(self) -> RemoteServer | None:
        """The server running now, if any."""
        return self._server

    def start(self) -> None:
        """Serve as the settings say now, then follow their changes until ``stop`` (nothing
        once stopped: the kiosk may close before its start-up work ran)."""
        if self._stopping.is_set():
            return
        self.apply()
        self._unsubscribe = self._services.bus.subscribe(self._on_event)
        self._thread = threading.Thread(target=self._loop, name="remote-runner", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """No more requests: the server stops and no change restarts it."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join()
        with self._lock:
            self._stop_server()

    def apply(self) -> None:
        """Bring the server in line with the settings in force (a restart when the keys it
        listens with changed; nothing otherwise)."""
        settings = self._services.config.current().remote
        with self._lock:
            if listening(settings) == self._running_with or self._stopping.is_set():
                return
            self._stop_server()
            self._running_with = listening(settings)
            self._server = self._start_server(settings)

    def _on_event(self, event: Event) -> None:
        if isinstance(event, SettingsChanged | SettingsRecovered):
            self._wake.set()

    def _loop(self) -> None:
        while self._wake.wait() and not self._stopping.is_set():
            self._wake.clear()
            if self._stopping.wait(self._delay_s):
                return
            try:
                self.apply()
            except Exception:  # the endpoint must never stop the station
                _log.exception("remote endpoint restart failed", extra={"event": "remote_failed"})

    def _stop_server(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            url = server.url
            server.stop()
            _log.info("remote endpoint on %s stopped", url, extra={"event": "remote_stopped"})
            self._services.endpoint.stopped()

    def _start_server(self, settings: RemoteSettings) -> RemoteServer | None:
        endpoint = self._services.endpoint
        if not settings.enabled:
            _log.info("remote endpoint disabled", extra={"event": "remote_disabled"})
            endpoint.stopped()
            return None
        try:
            server = _serve(self._services, settings, self._home)
        except EyepiError as err:
            _log.error("remote endpoint not started: %s", err, extra={"event": "remote_failed"})
            endpoint.stopped(str(err))
            return None
        except Exception:  # a broken endpoint must never stop capture
            _log.exception("remote endpoint not started", extra={"event": "remote_failed"})
            endpoint.stopped("the remote endpoint failed to start (see the log)")
            return None
        endpoint.started(server.url, server.fingerprint)
        _said_started(server)
        return server


def _serve(services: StationServices, settings: RemoteSettings, home: Path) -> RemoteServer:
    from remote.app import create_app
    from remote.server import RemoteServer

    server = RemoteServer(create_app(services, settings), settings, home)
    server.start()
    return server


def _said_started(server: RemoteServer) -> None:
    fields = {"url": server.url, "fingerprint": server.fingerprint}
    extra = f" (certificate SHA-256 {server.fingerprint})" if server.fingerprint else ""
    _log.info(
        "remote endpoint on %s%s",
        server.url,
        extra,
        extra={"event": "remote_started", "fields": fields},
    )
