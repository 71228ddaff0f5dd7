"""MJPEG stream clients for the stream benchmark: threads on raw sockets, in the test process.

``StreamClient`` sends one GET and reads the ``multipart/x-mixed-replace`` reply part by part,
recording for each part the client's ``time.time()`` once its last byte is read, its
``X-Frame-Seq`` and its ``X-Frame-Taken``. ``rate_bps`` throttles the reads (a slow link);
``stall`` reads the reply's head and then nothing more (a client that stopped reading).
``stats`` sums up the parts that arrived inside a time window.
"""

from __future__ import annotations

import contextlib
import io
import itertools
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

CHUNK = 64 * 1024
SLOW_CHUNK = 4 * 1024
TIMEOUT_S = 10.0


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


class ThrottledSocket(io.RawIOBase):
    """Reads from ``sock`` at ``rate_bps`` bits per second at most, ``SLOW_CHUNK`` at a time."""

    def __init__(self, sock: socket.socket, rate_bps: float) -> None:
        self._sock, self._byte_s = sock, 8.0 / rate_bps
        self._due = time.monotonic()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        time.sleep(max(0.0, self._due - time.monotonic()))
        count = self._sock.recv_into(memoryview(buffer)[:SLOW_CHUNK])
        self._due = max(self._due, time.monotonic() - 0.1) + count * self._byte_s
        return count


class Dechunked(io.RawIOBase):
    """The body of a ``Transfer-Encoding: chunked`` reply read from ``source``."""

    def __init__(self, source: io.BufferedReader) -> None:
        self._source, self._left, self._first = source, 0, True

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._left == 0:
            if not self._first:
                self._source.readline()  # the CRLF closing the last chunk
            self._first = False
            self._left = int(self._source.readline().split(b";")[0], 16)
            if self._left == 0:
                return 0
        count = self._source.readinto(memoryview(buffer)[: min(len(buffer), self._left)])
        if count == 0:
            raise ValueError("the reply ended inside a chunk")
        self._left -= count
        return count


@dataclass(frozen=True)
class Part:
    arrived: float
    seq: int
    taken: float


@dataclass(frozen=True)
class Stats:
    """One client's parts inside a window: fps between the first and the last arrival,
    ages (arrival - X-Frame-Taken, s) and hub frames skipped between parts."""

    parts: int
    fps: float
    ages: list[float]
    skipped: int


class StreamClient(threading.Thread):
    def __init__(self, url: str, token: str, *, rate_bps: float = 0, stall: bool = False):
        super().__init__(daemon=True, name="stream-client")
        self.url, self.token, self.rate_bps, self.stall = url, token, rate_bps, stall
        self.parts: list[Part] = []
        self.error: BaseException | None = None
        self.status = 0
        where = urlsplit(url)
        self.sock = socket.create_connection((where.hostname, where.port), TIMEOUT_S)
        if rate_bps or stall:  # a small window, as a slow link's client would have
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 64 * 1024)
        self._stopping = threading.Event()

    def run(self) -> None:
        try:
            self._request()
            reader = self._reader()
            if self._head(reader):
                reader = io.BufferedReader(Dechunked(reader), CHUNK)
            if self.stall:
                self._stopping.wait()
                return
            while not self._stopping.is_set():
                self._part(reader)
        except (OSError, ValueError) as err:
            if not self._stopping.is_set():
                self.error = err

    def stop(self) -> None:
        self._stopping.set()
        with contextlib.suppress(OSError):
            self.sock.shutdown(socket.SHUT_RDWR)
        self.join(TIMEOUT_S)
        self.sock.close()

    def _request(self) -> None:
        parts = urlsplit(self.url)
        request = (
            f"GET {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\n"
            f"Authorization: Bearer {self.token}\r\nAccept: multipart/x-mixed-replace\r\n\r\n"
        )
        self.sock.sendall(request.encode("ascii"))

    def _reader(self) -> io.BufferedReader:
        if self.rate_bps:
            return io.BufferedReader(ThrottledSocket(self.sock, self.rate_bps), SLOW_CHUNK)
        return self.sock.makefile("rb", buffering=CHUNK)

    def _head(self, reader: io.BufferedReader) -> bool:
        """Reads the reply's status and headers; True when the body comes chunked."""
        status = reader.readline().split()
        self.status = int(status[1])
        if self.status != 200:
            raise ValueError(f"stream answered {self.status}")
        chunked = False
        while (line := reader.readline()) not in (b"\r\n", b""):
            chunked |= line.lower().replace(b" ", b"") == b"transfer-encoding:chunked\r\n"
        return chunked

    def _part(self, reader: io.BufferedReader) -> None:
        line = reader.readline()
        while line == b"\r\n":
            line = reader.readline()
        if not line.startswith(b"--"):
            raise ValueError(f"expected a boundary, got {line[:40]!r}")
        headers = {}
        while (line := reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        body = reader.read(int(headers["content-length"]))
        arrived = time.time()
        if not body.startswith(b"\xff\xd8"):
            raise ValueError("a part is not a JPEG")
        self.parts.append(
            Part(arrived, int(headers["x-frame-seq"]), float(headers["x-frame-taken"]))
        )

    def stats(self, start: float, end: float) -> Stats:
        inside = [part for part in list(self.parts) if start <= part.arrived <= end]
        if len(inside) < 2:
            return Stats(len(inside), 0.0, [p.arrived - p.taken for p in inside], 0)
        span = inside[-1].arrived - inside[0].arrived
        skipped = sum(b.seq - a.seq - 1 for a, b in itertools.pairwise(inside))
        return Stats(
            len(inside), (len(inside) - 1) / span, [p.arrived - p.taken for p in inside], skipped
        )


def hub_fps(clients: list[StreamClient], start: float, end: float) -> float:
    """The camera's frame rate seen in the parts: seq per second of X-Frame-Taken."""
    rates = []
    for client in clients:
        inside = [p for p in list(client.parts) if start <= p.arrived <= end]
        if len(inside) >= 2 and inside[-1].taken > inside[0].taken:
            rates.append((inside[-1].seq - inside[0].seq) / (inside[-1].taken - inside[0].taken))
    return max(rates, default=0.0)
