"""The remote endpoint's HTTP server, run in a daemon thread of the station process.

One server for HTTP and HTTPS: waitress, with the connection rules of ``remote.connections``
(a per-address cap, a deadline for every request, stalled clients dropped) and, when
``remote.tls`` is on, TLS 1.2+ done in memory in each connection (``remote.tls_channel``).

Each MJPEG client holds a worker thread for the length of its stream, so the server gets
``max_stream_clients`` + ``SPARE_THREADS`` threads. A client that stops reading blocks only its
own thread, and only for ``connections.STALL_S``: waitress pauses that response once
``OUTBUF_HIGH_WATERMARK`` bytes wait unsent (held in memory, below ``OUTBUF_OVERFLOW``, rather
than in a temp file on the SD card), and the connection ends when the client reads nothing
for that long.
"""

from __future__ import annotations

import logging
import socket
import ssl
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from waitress import wasyncore  # type: ignore[import-untyped]

from eyepi_gui.errors import Unavailable
from eyepi_gui.settings import RemoteSettings
from remote import tls
from remote.connections import GuardedChannel, GuardedServer
from remote.tls_channel import GuardedTLSServer, server_context

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

_log = logging.getLogger("eyepi.remote.server")

THREAD_NAME = "remote-server"
SERVER_IDENT = "eyepi"  # the Server: header; no version for scanners to match
SPARE_THREADS = 8  # for API calls and pages beside the streams
OUTBUF_HIGH_WATERMARK = 256 * 1024  # bytes unsent to one client before its response pauses
SEND_BUFFER = 128 * 1024  # kernel send buffer per client: a slow viewer's frames stay fresh
OUTBUF_OVERFLOW = 2 * OUTBUF_HIGH_WATERMARK  # bytes of output kept in memory before a temp file
LOOP_TIMEOUT_S = 0.25  # waitress: how often its socket loop looks for a stop request


class RemoteServer:
    """Serves a WSGI app on ``settings.bind``:``settings.port`` in a daemon thread named
    ``THREAD_NAME``; HTTPS when ``settings.tls``. ``home`` holds the self-signed certificate.
    May be started again after ``stop``."""

    def __init__(self, app: WSGIApplication, settings: RemoteSettings, home: Path) -> None:
        self._app = app
        self._settings = settings
        self._home = home
        self._backend: _WaitressBackend | None = None
        self._thread: threading.Thread | None = None
        self._fingerprint: str | None = None

    def start(self) -> None:
        """Bind now (raises Unavailable naming the address and port when that fails), then
        serve in the background."""
        if self._backend is not None:
            raise RuntimeError("the remote server is already running")
        backend = self._backend_for(self._settings)
        thread = threading.Thread(target=backend.serve, name=THREAD_NAME, daemon=True)
        thread.start()
        self._backend, self._thread = backend, thread

    def stop(self, timeout: float = 5.0) -> None:
        """Release the port and end the server's threads, waiting up to ``timeout`` seconds for
        responses in progress. Does nothing when not running."""
        backend, thread = self._backend, self._thread
        if backend is None or thread is None:
            return
        deadline = time.monotonic() + timeout
        backend.stop(timeout)
        thread.join(max(0.0, deadline - time.monotonic()))
        self._backend = self._thread = None

    @property
    def url(self) -> str:
        """Where the server listens, with the real port: "http://127.0.0.1:54321" (https with
        TLS; a wildcard bind shows as 0.0.0.0)."""
        if self._backend is None:
            raise RuntimeError("the remote server is not running")
        host, port = self._backend.address
        scheme = "https" if self._settings.tls else "http"
        return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"

    @property
    def fingerprint(self) -> str | None:
        """SHA-256 of the served certificate, colon hex; None without TLS or before start."""
        return self._fingerprint if self._settings.tls else None

    def _backend_for(self, settings: RemoteSettings) -> _WaitressBackend:
        context = self._tls_context() if settings.tls else None
        try:
            return _WaitressBackend(self._app, settings, context)
        except OSError as err:
            raise _bind_failed(settings, err) from err

    def _tls_context(self) -> ssl.SSLContext:
        cert, key = tls.certificate_files(self._settings, self._home)
        self._fingerprint = tls.fingerprint(cert)
        try:
            return server_context(cert, key)
        except OSError as err:  # ssl.SSLError included
            raise Unavailable(f"cannot serve TLS with {cert} and {key}: {err}") from err


def _threads(settings: RemoteSettings) -> int:
    return settings.max_stream_clients + SPARE_THREADS


def _bind_failed(settings: RemoteSettings, err: OSError) -> Unavailable:
    return Unavailable(
        f"the remote endpoint cannot listen on {settings.bind} port {settings.port}: "
        f"{err.strerror or err}. Another program may be using that port, or the address is "
        "not one of this station's: change remote.port or remote.bind"
    )


def _bound_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host`` (an IP address) and ``port``, not listening yet."""
    sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # bind over a stop's TIME_WAIT
        # Accepted sockets inherit it; the kernel's own grows to MiBs, i.e. seconds of old frames.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


class _WaitressBackend:
    """HTTP, or HTTPS with ``context``. Its socket loop runs in the server thread, which alone
    closes the sockets."""

    def __init__(
        self, app: WSGIApplication, settings: RemoteSettings, context: ssl.SSLContext | None
    ) -> None:
        self._map: dict[int, object] = {}  # waitress's socket map, private to this server
        self._stopping = threading.Event()
        # Bound here, not by waitress: it starts its worker threads before it binds, and a
        # failed bind would leave them running.
        sock = _bound_socket(settings.bind, settings.port)
        try:
            self._server = self._create(app, settings, sock, context)
        except BaseException:
            sock.close()
            raise

    def _create(
        self,
        app: WSGIApplication,
        settings: RemoteSettings,
        sock: socket.socket,
        context: ssl.SSLContext | None,
    ) -> GuardedServer:
        options: dict[str, Any] = {
            "map": self._map,
            "threads": _threads(settings),
            # waitress refuses a body of exactly max_request_body_size bytes; allow it
            "max_request_body_size": settings.max_body_kib * 1024 + 1,
            "clear_untrusted_proxy_headers": True,
            "ident": SERVER_IDENT,
            "outbuf_high_watermark": OUTBUF_HIGH_WATERMARK,
            "outbuf_overflow": OUTBUF_OVERFLOW,
        }
        if context is None:
            return GuardedServer(app, sock, **options)
        return GuardedTLSServer(app, sock, context, **options)

    @property
    def address(self) -> tuple[str, int]:
        return str(self._server.effective_host), int(self._server.effective_port)

    def serve(self) -> None:
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=LOOP_TIMEOUT_S, map=self._map, use_poll=True, count=1)
        finally:
            self._close_all()

    def stop(self, timeout: float) -> None:
        self._stopping.set()
        self._server.task_dispatcher.shutdown(cancel_pending=True, timeout=timeout)

    def _close_all(self) -> None:
        for dispatcher in list(self._map.values()):
            if isinstance(dispatcher, GuardedChannel):
                dispatcher.force_close()  # also wakes a worker waiting to write to this client
        wasyncore.close_all(self._map)
