"""Connection rules for the plain-HTTP server (waitress), so that no client, logged in or not,
can starve the endpoint:

- at most ``PER_SOURCE`` open connections per client address; more are answered 503 and closed
  at once. When ``CONNECTION_LIMIT`` connections are open (many addresses, each under its
  cap), a newcomer still gets in: the longest-idle connection of the address holding the most
  is closed to make room, so idle connections from many addresses cannot lock others out;
- a whole request (head and body) must arrive within ``REQUEST_DEADLINE_S`` of the connection
  opening or its previous response ending. It is a deadline, not an idle timer: a client that
  sends one header byte every few seconds is closed as surely as a silent one;
- a response that the client has not read from for ``STALL_S`` ends, and so does whatever the
  request held (a live-view slot, a worker thread);
- errors waitress answers itself (body too large, malformed request) are the API's JSON error.

Waitress has the hooks for all of this (its channel and server classes, the error task and the
periodic ``maintenance``), pinned to its major version in pyproject.toml.
"""

from __future__ import annotations

import json
import logging
import socket
import time
from collections import Counter
from typing import TYPE_CHECKING, Any

from waitress.channel import HTTPChannel  # type: ignore[import-untyped]
from waitress.server import TcpWSGIServer  # type: ignore[import-untyped]
from waitress.task import ErrorTask  # type: ignore[import-untyped]

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

_log = logging.getLogger("eyepi.remote.server")

PER_SOURCE = 32
"""Open connections one client address may hold (a browser opens about six per site)."""
CONNECTION_LIMIT = 512
"""Open connections in all; a newcomer beyond it takes the place of an idle one."""
REQUEST_DEADLINE_S = 10.0
"""Seconds a connection has to deliver a complete request once it is open or idle."""
STALL_S = 20.0
"""Seconds a response may wait on a client that reads nothing before the connection ends."""
CHECK_INTERVAL_S = 1
"""How often (s) the server looks for connections past a deadline."""
WARN_EVERY_S = 60.0
"""At most one warning per client address per this many seconds."""
WARNED_MAX = 1024
"""Addresses remembered for that; beyond it the ones not warned recently are forgotten."""

TOO_LARGE = "the request body is larger than this station accepts (remote.max_body_kib)"
ERROR_HEADERS = (
    ("Content-Type", "application/json"),
    ("Cache-Control", "no-store"),
    ("X-Content-Type-Options", "nosniff"),
    ("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'"),
)
"""Headers of every answer the server gives itself, as the app's own answers carry."""


def error_json(reason: str, detail: str) -> bytes:
    """The API's error body for an error waitress answers before the app sees the request."""
    kind = "".join(word.capitalize() for word in reason.split())
    return json.dumps({"error": kind, "message": f"{reason.lower()}: {detail}"}).encode()


def raw_answer(status: str, body: bytes, *extra: tuple[str, str]) -> bytes:
    """A whole HTTP/1.1 answer that closes the connection, for sending before any app runs."""
    headers = (*ERROR_HEADERS, *extra, ("Connection", "close"), ("Content-Length", len(body)))
    head = "".join(f"{name}: {value}\r\n" for name, value in headers)
    return f"HTTP/1.1 {status}\r\n{head}\r\n".encode() + body


TOO_MANY = raw_answer(
    "503 Service Unavailable",
    error_json("Too Many Connections", f"your address holds {PER_SOURCE} already; try again soon"),
    ("Retry-After", "5"),
)


class JsonErrorTask(ErrorTask):  # type: ignore[misc]
    """Waitress's own error answers (413, 431, 400) as the API's JSON ``Error``."""

    def execute(self) -> None:
        error = self.request.error
        detail = TOO_LARGE if error.code == 413 else str(error.body)
        body = error_json(error.reason, detail)
        self.status = f"{error.code} {error.reason}"
        self.response_headers.extend(ERROR_HEADERS)
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class GuardedChannel(HTTPChannel):  # type: ignore[misc]
    """One client connection; ``idle_since`` is when it last had no request in progress."""

    error_task_class = JsonErrorTask

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.idle_since = time.monotonic()

    def service(self) -> None:
        super().service()
        if not self.requests:
            self.idle_since = time.monotonic()

    def unsent(self) -> int:
        """Bytes of response waiting for the client to read them."""
        return int(self.total_outbufs_len)

    def overdue(self, now: float, wall_now: float) -> str | None:
        """Why this connection must end now, or None."""
        if not self.requests:
            if now - self.idle_since > REQUEST_DEADLINE_S:
                return "no complete request in time"
        elif self.unsent() and wall_now - self.last_activity > STALL_S:
            return "the client stopped reading"
        return None

    def force_close(self) -> None:
        """End the connection now, whatever is unsent; wakes a worker waiting to write."""
        self.handle_close()


class GuardedServer(TcpWSGIServer):  # type: ignore[misc]
    """Waitress's TCP server with the per-address cap and the deadlines above."""

    channel_class = GuardedChannel
    refusal = TOO_MANY
    """What a connection over the per-address cap is told before it is closed."""

    def __init__(self, app: WSGIApplication, sock: socket.socket, **kw: Any) -> None:
        self._warned: dict[str, float] = {}
        sockinfo = (sock.family, sock.type, sock.proto, sock.getsockname())
        super().__init__(
            app,
            kw.pop("map"),
            True,
            sock,
            bind_socket=False,
            sockinfo=sockinfo,
            # waitress would stop accepting at its limit, leaving newcomers in the backlog;
            # this server keeps accepting and makes room itself (handle_accept)
            connection_limit=10 * CONNECTION_LIMIT,
            cleanup_interval=CHECK_INTERVAL_S,
            channel_timeout=int(REQUEST_DEADLINE_S),
            **kw,
        )

    def handle_accept(self) -> None:
        try:
            accepted = self.accept()
        except OSError:
            return
        if accepted is None:
            return
        conn, addr = accepted
        if self._open_from(addr[0]) >= PER_SOURCE:
            self._refuse(conn, addr[0])
            return
        if len(self.active_channels) >= CONNECTION_LIMIT and not self._make_room():
            self._refuse(conn, addr[0])
            return
        try:
            self.set_socket_options(conn)
        except OSError:
            conn.close()
            return
        self.channel_class(self, conn, self.fix_addr(addr), self.adj, map=self._map)

    def _make_room(self) -> bool:
        """Close the longest-idle connection of the address holding the most connections.
        False when every connection is serving a request (those end by their own rules)."""
        idle = [c for c in self.active_channels.values() if not c.requests]
        if not idle:
            return False
        held = Counter(channel.addr[0] for channel in self.active_channels.values())
        victim = max(idle, key=lambda c: (held[c.addr[0]], -getattr(c, "idle_since", 0.0)))
        victim.force_close()
        return True

    def _open_from(self, host: str) -> int:
        return sum(1 for channel in self.active_channels.values() if channel.addr[0] == host)

    def _refuse(self, conn: socket.socket, host: str) -> None:
        try:
            conn.setblocking(False)
            if self.refusal:
                conn.send(self.refusal)
        except OSError:
            pass
        finally:
            conn.close()
        now = time.monotonic()
        if now - self._warned.get(host, -WARN_EVERY_S) >= WARN_EVERY_S:
            if len(self._warned) > WARNED_MAX:  # many addresses (an IPv6 /64): forget old ones
                self._warned = {h: t for h, t in self._warned.items() if now - t < WARN_EVERY_S}
            self._warned[host] = now
            _log.warning(
                "%s holds %d connections: refusing more",
                host,
                PER_SOURCE,
                extra={"event": "remote_connections_refused", "fields": {"address": host}},
            )

    def maintenance(self, now: float) -> None:
        mono = time.monotonic()
        for channel in list(self.active_channels.values()):
            reason = channel.overdue(mono, now) if isinstance(channel, GuardedChannel) else None
            if reason is not None:
                _log.debug("closing %s: %s", channel.addr[0], reason)
                # at once: a stalled client's socket never turns writable, so waiting for
                # handle_write (will_close) would wait for ever
                channel.force_close()
