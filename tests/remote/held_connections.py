"""A client that holds many connections to a server, run as its own process (its sockets are
not the server's file descriptors), for the starvation tests.

    python -m tests.remote.held_connections HOST PORT SOURCE COUNT MODE SECONDS

opens COUNT connections from each address in SOURCE (e.g. 127.0.0.2, or a comma-separated
list) and holds them for SECONDS; with HELD_RECONNECT=1 in the environment a connection the
server closes is opened again at once, as an attacker would.
MODE ``idle`` sends nothing; ``drip`` sends a request line, then one header line per
connection every 0.5 s; ``tls-drip`` sends a TLS ClientHello one byte every 0.5 s; ``stream``
asks each for a live stream (HELD_PATH and HELD_TOKEN in the environment) and reads no more
than its status line. Prints ``ready`` once connected, then one JSON line: how many
connections it opened, how many the server answered 503 at once, and how many the server had
closed by the end, with the seconds after ``ready`` at which the last of them was closed.
"""

from __future__ import annotations

import contextlib
import json
import os
import selectors
import socket
import ssl
import sys
import time


def _connect(host: str, port: int, source: str) -> socket.socket | None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.bind((source, 0))
    sock.settimeout(2.0)
    try:
        sock.connect((host, port))
    except OSError:
        sock.close()
        return None
    sock.setblocking(False)
    return sock


def _client_hello() -> bytes:
    """The first bytes a TLS client sends."""
    tls = ssl.create_default_context().wrap_bio(ssl.MemoryBIO(), out := ssl.MemoryBIO())
    with contextlib.suppress(ssl.SSLWantReadError):
        tls.do_handshake()
    return out.read()


def _closed_by_server(sock: socket.socket, seen: bytearray) -> bool:
    """Reads what is there; True once the server has closed the connection."""
    while True:
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return False
        except OSError:
            return True
        if not data:
            return True
        if len(seen) < 64:
            seen.extend(data[:64])


def main(host: str, port: int, sources: str, count: int, mode: str, seconds: float) -> None:
    origin = {}
    for source in sources.split(","):
        for sock in filter(None, (_connect(host, port, source) for _ in range(count))):
            origin[sock] = source
    socks = list(origin)
    first = {s: bytearray() for s in socks}
    if mode == "drip":
        for sock in socks:
            sock.send(b"GET /api/v1/health HTTP/1.1\r\n")
    hello = _client_hello()
    if mode == "stream":
        request = (
            f"GET {os.environ['HELD_PATH']} HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {os.environ['HELD_TOKEN']}\r\n\r\n"
        ).encode()
        for sock in socks:
            sock.send(request)
        time.sleep(1.0)
        for sock in socks:  # the status line only: the stream itself is never read
            with contextlib.suppress(OSError):
                first[sock].extend(sock.recv(16))
    print("ready", flush=True)
    reconnect = os.environ.get("HELD_RECONNECT") == "1"
    watch = selectors.DefaultSelector()
    for sock in socks:
        watch.register(sock, selectors.EVENT_READ)
    started, closed_at, last_drip, drips = time.monotonic(), 0.0, time.monotonic(), -1
    closed = reopened = 0
    while time.monotonic() - started < seconds and watch.get_map():
        for key, _ in watch.select(0.1):
            sock = key.fileobj
            if mode == "stream" or not _closed_by_server(sock, first.setdefault(sock, bytearray())):
                continue
            watch.unregister(sock)
            closed, closed_at = closed + 1, time.monotonic() - started
            again = _connect(host, port, origin[sock]) if reconnect else None
            sock.close()
            if again is not None:  # as an attacker does: take the place back at once
                origin[again], reopened = origin[sock], reopened + 1
                watch.register(again, selectors.EVENT_READ)
        if mode in ("drip", "tls-drip") and time.monotonic() - last_drip > 0.5:
            last_drip, drips = time.monotonic(), drips + 1
            for key in list(watch.get_map().values()):
                with contextlib.suppress(OSError):
                    key.fileobj.send(
                        b"X-Slow: 1\r\n" if mode == "drip" else hello[drips : drips + 1]
                    )
    refused = sum(1 for seen in first.values() if seen.startswith(b"HTTP/1.1 503"))
    report = {
        "opened": len(socks),
        "refused_at_once": refused,
        "closed": closed,
        "reopened": reopened,
        "last_closed_s": round(closed_at, 2),
    }
    print(json.dumps(report), flush=True)
    for key in list(watch.get_map().values()):
        key.fileobj.close()


if __name__ == "__main__":
    h, p, src, n, m, secs = sys.argv[1:7]
    main(h, int(p), src, int(n), m, float(secs))
