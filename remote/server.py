"""The remote endpoint's HTTP server, run in a daemon thread of the station process.

Plain HTTP is served by waitress. Waitress has no TLS (its maintainers: put a reverse proxy in
front, Pylons/waitress#459) and a station has no proxy, so with ``remote.tls`` on the same WSGI
app is served by cheroot with Python's ssl module, TLS 1.2 at least. Both sit behind
``RemoteServer``.

Each MJPEG client holds a worker thread for the length of its stream, so both servers get
``max_stream_clients`` + ``SPARE_THREADS`` threads. A client that stops reading blocks only its
own thread: waitress pauses that response once ``OUTBUF_HIGH_WATERMARK`` bytes wait unsent
(and holds them in memory, below ``OUTBUF_OVERFLOW``, rather than in a temp file on the SD card);
cheroot writes straight to the socket and drops the client after ``SOCKET_TIMEOUT_S``.
Waitress never times out a response in progress (``IDLE_TIMEOUT_S`` only closes idle
connections): a stalled stream keeps its thread until the client goes away or ``stop``.
"""

from __future__ import annotations

import logging
import math
import socket
import ssl
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import waitress  # type: ignore[import-untyped]
from cheroot import wsgi
from cheroot.ssl.builtin import BuiltinSSLAdapter
from waitress import wasyncore
from waitress.channel import HTTPChannel  # type: ignore[import-untyped]

from eyepi_gui.errors import Unavailable
from eyepi_gui.settings import RemoteSettings
from remote import tls

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

_log = logging.getLogger("eyepi.remote.server")

THREAD_NAME = "remote-server"
SERVER_IDENT = "eyepi"  # the Server: header; no version for scanners to match
SPARE_THREADS = 8  # for API calls and pages beside the streams
OUTBUF_HIGH_WATERMARK = 256 * 1024  # bytes unsent to one client before its response pauses
SEND_BUFFER = 128 * 1024  # kernel send buffer per client: a slow viewer's frames stay fresh
OUTBUF_OVERFLOW = 2 * OUTBUF_HIGH_WATERMARK  # bytes of output kept in memory before a temp file
IDLE_TIMEOUT_S = 30  # waitress: close a connection that sent and received nothing this long
SOCKET_TIMEOUT_S = 10  # cheroot: drop a client whose read or write stalls this long
LOOP_TIMEOUT_S = 0.25  # waitress: how often its socket loop looks for a stop request


class _Backend(Protocol):
    """One bound HTTP server: ``serve`` runs in the server thread until ``stop`` is called."""

    @property
    def address(self) -> tuple[str, int]: ...

    def serve(self) -> None: ...

    def stop(self, timeout: float) -> None: ...


class RemoteServer:
    """Serves a WSGI app on ``settings.bind``:``settings.port`` in a daemon thread named
    ``THREAD_NAME``; HTTPS when ``settings.tls``. ``home`` holds the self-signed certificate.
    May be started again after ``stop``."""

    def __init__(self, app: WSGIApplication, settings: RemoteSettings, home: Path) -> None:
        self._app = app
        self._settings = settings
        self._home = home
        self._backend: _Backend | None = None
        self._thread: threading.Thread | None = None
        self._fingerprint: str | None = None

    def start(self) -> None:
        """Bind now (raises Unavailable naming the address and port when that fails), then
        serve in the background."""
        if self._backend is not None:
            raise RuntimeError("the remote server is already running")
        backend = self._cheroot() if self._settings.tls else self._waitress()
        thread = threading.Thread(target=backend.serve, name=THREAD_NAME, daemon=True)
        thread.start()
        self._backend, self._thread = backend, thread

    def stop(self, timeout: float = 5.0) -> None:
        """Release the port and end the server's threads, waiting up to ``timeout`` seconds for
        responses in progress. With TLS a client that stopped reading can hold this up to
        ``SOCKET_TIMEOUT_S`` longer (cheroot waits for its write to time out). Does nothing
        when not running."""
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

    def _waitress(self) -> _Backend:
        try:
            return _WaitressBackend(self._app, self._settings)
        except OSError as err:
            raise _bind_failed(self._settings, err) from err

    def _cheroot(self) -> _Backend:
        cert, key = tls.certificate_files(self._settings, self._home)
        self._fingerprint = tls.fingerprint(cert)
        adapter = _tls_adapter(cert, key)
        try:
            return _CherootBackend(self._app, self._settings, adapter)
        except OSError as err:
            raise _bind_failed(self._settings, err) from err


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


def _tls_adapter(cert: Path, key: Path) -> BuiltinSSLAdapter:
    try:
        adapter = BuiltinSSLAdapter(str(cert), str(key))
    except OSError as err:  # ssl.SSLError included
        raise Unavailable(f"cannot serve TLS with {cert} and {key}: {err}") from err
    adapter.context.minimum_version = ssl.TLSVersion.TLSv1_2
    return adapter


class _WaitressBackend:
    """Plain HTTP. Its socket loop runs in the server thread, which alone closes the sockets."""

    def __init__(self, app: WSGIApplication, settings: RemoteSettings) -> None:
        self._map: dict[int, object] = {}  # waitress's socket map, private to this server
        self._stopping = threading.Event()
        # Bound here, not by waitress: it starts its worker threads before it binds, and a
        # failed bind would leave them running.
        sock = _bound_socket(settings.bind, settings.port)
        try:
            self._server = self._create(app, settings, sock)
        except BaseException:
            sock.close()
            raise

    def _create(self, app: WSGIApplication, settings: RemoteSettings, sock: socket.socket) -> Any:
        return waitress.create_server(
            app,
            map=self._map,
            sockets=[sock],
            threads=_threads(settings),
            # waitress refuses a body of exactly max_request_body_size bytes; allow it
            max_request_body_size=settings.max_body_kib * 1024 + 1,
            clear_untrusted_proxy_headers=True,
            ident=SERVER_IDENT,
            channel_timeout=IDLE_TIMEOUT_S,
            outbuf_high_watermark=OUTBUF_HIGH_WATERMARK,
            outbuf_overflow=OUTBUF_OVERFLOW,
        )

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
            if isinstance(dispatcher, HTTPChannel):
                dispatcher.handle_close()  # also wakes a worker waiting to write to this client
        wasyncore.close_all(self._map)


class _CherootServer(wsgi.Server):
    """cheroot's WSGI server, logging through ``logging`` rather than writing to stderr."""

    def error_log(self, msg: str = "", level: int = logging.INFO, traceback: bool = False) -> None:
        _log.log(level, "%s", msg, exc_info=traceback)


class _CherootBackend:
    """HTTPS with Python's ssl module; cheroot's own threads accept and serve."""

    def __init__(
        self, app: WSGIApplication, settings: RemoteSettings, adapter: BuiltinSSLAdapter
    ) -> None:
        self._server = _CherootServer(
            (settings.bind, settings.port),
            app,
            numthreads=_threads(settings),
            timeout=SOCKET_TIMEOUT_S,
        )
        self._server.ssl_adapter = adapter
        self._server.software = SERVER_IDENT
        self._server.max_request_body_size = settings.max_body_kib * 1024
        self._server.prepare()

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.bind_addr[:2]
        return str(host), int(port)

    def serve(self) -> None:
        self._server.serve()

    def stop(self, timeout: float) -> None:
        self._server.shutdown_timeout = max(1, math.ceil(timeout))
        self._server.stop()
