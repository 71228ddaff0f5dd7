"""HTTPS on the same guarded waitress server as plain HTTP: TLS is done in memory
(``ssl.SSLObject`` over two ``MemoryBIO``) inside the connection, so the handshake runs in the
server's socket loop without blocking it, and the per-address cap and the deadlines of
``remote.connections`` hold for HTTPS too. (cheroot, used before, did each handshake in its
accept loop: three silent connections held every HTTPS client up for 30 s.)

Waitress sees plain text both ways: what arrives is decrypted before ``received``; what it
sends is encrypted in ``send``, and ciphertext the socket cannot take yet waits in ``_pending``
until the socket is writable. A connection ends only once that ciphertext is out, unless it
must end now (``force_close``: an error, a deadline, the server stopping).
"""

from __future__ import annotations

import ssl
import threading
import time
from pathlib import Path
from typing import Any

from remote.connections import GuardedChannel, GuardedServer, error_json, raw_answer

READ_CHUNK = 64 * 1024
NOT_TLS = raw_answer(
    "400 Bad Request",
    error_json("Bad Request", "this station speaks HTTPS only on this port"),
)
"""The answer to plain HTTP on the HTTPS port, in plain HTTP, as the API's JSON error."""


def server_context(cert: Path, key: Path) -> ssl.SSLContext:
    """TLS 1.2 or newer with the given certificate chain and key (``ssl.SSLError``,
    an ``OSError``, when they cannot be used)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.options |= ssl.OP_NO_RENEGOTIATION
    context.set_alpn_protocols(["http/1.1"])
    context.load_cert_chain(str(cert), str(key))
    return context


class TLSChannel(GuardedChannel):
    """One HTTPS connection."""

    def __init__(self, server: GuardedTLSServer, *args: Any, **kwargs: Any) -> None:
        self._incoming, self._outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self._tls = server.tls_context.wrap_bio(self._incoming, self._outgoing, server_side=True)
        self._handshaken = False
        self._pending = b""
        self._forced = self._broken = False
        # the loop thread reads and flushes, a worker writes: one TLS state, one at a time
        self._tls_lock = threading.RLock()
        super().__init__(server, *args, **kwargs)

    def unsent(self) -> int:
        return int(self.total_outbufs_len) + len(self._pending)

    def handle_read(self) -> None:
        try:
            raw = self.socket.recv(self.adj.recv_bytes)
        except BlockingIOError:
            return
        except OSError:
            self.force_close()
            return
        if not raw:
            self.force_close()
            return
        with self._tls_lock:
            self._incoming.write(raw)
            plain = self._decrypt()
            self._flush(do_close=True)
        if plain and not self._forced:
            self.last_activity = time.time()
            self.received(plain)

    def _decrypt(self) -> bytes:
        if not self._handshaken and not self._handshake():
            return b""
        chunks = []
        while True:
            try:
                data = self._tls.read(READ_CHUNK)
            except ssl.SSLWantReadError:
                break
            except ssl.SSLError:  # close_notify included: the client is done
                self.force_close()
                break
            if not data:
                break
            chunks.append(data)
        return b"".join(chunks)

    def _handshake(self) -> bool:
        try:
            self._tls.do_handshake()
        except ssl.SSLWantReadError:
            return False
        except ssl.SSLError as err:
            if err.reason == "HTTP_REQUEST":  # plain HTTP to this port: say so, in plain HTTP
                self._outgoing.write(NOT_TLS)
                self._flush(do_close=False)
            self.force_close()
            return False
        self._handshaken = True
        return True

    def send(self, data: bytes, do_close: bool = True) -> int:
        with self._tls_lock:
            if not self._handshaken or not self._flush(do_close):
                return 0
            try:
                written = self._tls.write(data)
            except ssl.SSLError:
                self._gone(do_close)
                return 0
            self._flush(do_close)
            return 0 if self._broken else int(written)

    def _flush(self, do_close: bool) -> bool:
        """Send what ciphertext the socket takes now; True when none is left waiting."""
        with self._tls_lock:
            return self._flush_locked(do_close)

    def _flush_locked(self, do_close: bool) -> bool:
        self._pending += self._outgoing.read()
        while self._pending and self.socket is not None:
            try:
                sent = self.socket.send(self._pending)
            except BlockingIOError:
                break
            except OSError:
                self._gone(do_close)
                return False
            self._pending = self._pending[sent:]
        return not self._pending

    def _gone(self, in_loop: bool) -> None:
        """The client is gone. A worker writing a response stops at its next write
        (``connected`` False); the socket itself is closed in the server's loop."""
        self._pending, self._broken, self.connected = b"", True, False
        if in_loop:
            self.force_close()
        else:
            self.server.pull_trigger()

    def writable(self) -> bool:
        return bool(super().writable() or self._pending or self._broken)

    def handle_write(self) -> None:
        if self._broken:
            self.force_close()
        elif self._flush(do_close=True):
            super().handle_write()

    def handle_close(self) -> None:
        if self._pending and self.connected and not self._forced:
            self.will_close = True  # the response's last bytes first (see handle_write)
            return
        super().handle_close()

    def force_close(self) -> None:
        self._forced = True
        self.handle_close()


class GuardedTLSServer(GuardedServer):
    """The guarded server speaking HTTPS with ``tls_context``."""

    channel_class = TLSChannel
    refusal = b""  # plain text would only garble a TLS handshake: just close

    def __init__(self, app: Any, sock: Any, tls_context: ssl.SSLContext, **kw: Any) -> None:
        self.tls_context = tls_context
        super().__init__(app, sock, url_scheme="https", **kw)
