"""A local MJPEG HTTP server for tests: a synthetic moving image at /stream.mjpg.

    with MjpegServer(credentials=("tech", "s3cret")) as server:
        capture = cv2.VideoCapture(server.url)

Frames are multipart/x-mixed-replace JPEGs (640x480 px by default) at ``fps`` frames per
second. ``pause()`` keeps connections open but stops sending (a hung camera); ``stop()`` ends
every connection (a camera switched off) and joins the server thread.
"""

from __future__ import annotations

import base64
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import cv2
import numpy as np

BOUNDARY = "eyepiframe"
PATH = "/stream.mjpg"
DISTINCT_FRAMES = 30


def render_frames(width: int, height: int, count: int = DISTINCT_FRAMES) -> list[bytes]:
    """``count`` JPEGs of a gradient with a white square moving left to right."""
    ramp = np.linspace(0, 255, width, dtype=np.uint8)
    base = np.dstack([np.tile(ramp, (height, 1))] * 3)
    side = max(8, height // 6)
    frames = []
    for n in range(count):
        image = base.copy()
        x = n * (width - side) // max(1, count - 1)
        image[height // 2 - side // 2 :][:side, x : x + side] = 255
        ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
        assert ok
        frames.append(buffer.tobytes())
    return frames


class MjpegServer:
    """The server on 127.0.0.1 at ``port`` (0: a free one); ``url`` holds the credentials."""

    def __init__(
        self,
        width: int = 640,
        height: int = 480,
        fps: float = 20.0,
        credentials: tuple[str, str] | None = None,
        port: int = 0,
    ) -> None:
        self.size = (width, height)
        self.frames = render_frames(width, height)
        self.interval_s = 1.0 / fps
        self.credentials = credentials
        self.stopping = threading.Event()
        self.sending = threading.Event()
        self.sending.set()
        self.requests = 0
        self._httpd = ThreadingHTTPServer(("127.0.0.1", port), _handler_for(self))
        self._httpd.daemon_threads = False  # server_close() joins every stream's thread
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="mjpeg-server"
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        userinfo = "{}:{}@".format(*self.credentials) if self.credentials else ""
        return f"http://{userinfo}127.0.0.1:{self.port}{PATH}"

    def start(self) -> MjpegServer:
        self._thread.start()
        return self

    def pause(self) -> None:
        """Keep connections open but send nothing more (a hung camera)."""
        self.sending.clear()

    def stop(self) -> None:
        """End every stream, stop serving and join the server thread; idempotent."""
        self.stopping.set()
        self.sending.set()
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def __enter__(self) -> MjpegServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _handler_for(server: MjpegServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        timeout = 5  # s: a client that stops reading cannot keep a stream thread alive

        def do_GET(self) -> None:
            server.requests += 1
            if self.path != PATH:
                self.send_error(404)
            elif not self._authorised():
                self.send_response(401)
                self.send_header("WWW-Authenticate", 'Basic realm="camera"')
                self.send_header("Content-Length", "0")
                self.end_headers()
            else:
                self._stream()

        def _authorised(self) -> bool:
            if server.credentials is None:
                return True
            token = base64.b64encode(":".join(server.credentials).encode()).decode()
            return self.headers.get("Authorization") == f"Basic {token}"

        def _stream(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", f"multipart/x-mixed-replace; boundary={BOUNDARY}")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()
            self.close_connection = True
            n = 0
            try:
                while not server.stopping.wait(server.interval_s):
                    if server.sending.wait(0.1):
                        self._send_part(server.frames[n % len(server.frames)])
                        n += 1
            except OSError:  # the client went away or stopped reading
                return

        def _send_part(self, jpeg: bytes) -> None:
            head = f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}\r\n"
            self.wfile.write(head.encode() + b"\r\n" + jpeg + b"\r\n")
            self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    return Handler
