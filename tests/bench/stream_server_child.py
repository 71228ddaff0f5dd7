"""The server side of the stream benchmark, run in its own process by test_stream.py.

    python -m tests.bench.stream_server_child eyepi|naive   (from the repository root)

Both modes open the same station: one camera ("pic-1", ``PictureBackend``) whose 1280x720
picture moves every frame, ``preview.max_fps`` and ``remote.stream_fps`` 10, and a
``RemoteServer`` (waitress) on 127.0.0.1, port 0, with the same ``RemoteSettings``.

``eyepi``: the remote endpoint's Flask app (``create_app``), streams at
``/api/v1/cameras/pic-1/stream``. ``naive``: a tiny WSGI app in place of it, with per-client
encoding (spc-eyepi's ``gen(camera)``; mjpg-streamer encodes once instead): each client takes
every new frame of the camera's hub and encodes its own JPEG with ``cv2.imencode`` (same
quality, same part headers), on any path. No Flask and no login in the way, so the reference
is, if anything, cheap.

Once serving, the process prints one JSON line: {"mode", "url" (of the stream), "token" (an
API token of ada's, for ``Authorization: Bearer``), "pid"}. SIGTERM stops it cleanly.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from eyepi_gui.adapters.cameras import scene
from eyepi_gui.adapters.cameras.sim import _demo_scene
from eyepi_gui.domain.access import Origin
from eyepi_gui.settings import RemoteSettings
from eyepi_gui.station import Station
from remote.app import create_app
from remote.server import RemoteServer
from tests.fakes import FakeHasher, PictureBackend
from tests.principals import ADMIN

SIZE = (1280, 720)
FPS = 10.0
MAX_CLIENTS = 40
CAMERA = "pic-1"
PATH = f"/api/v1/cameras/{CAMERA}/stream"
BOUNDARY = "eyepi-frame"
QUALITY = 80  # eyepi_gui.domain.jpeg.LIVE_QUALITY


def open_station(home: Path):
    picture = scene.render_scene(_demo_scene(), *SIZE)
    station = Station(
        home,
        fallback=PictureBackend(picture, moving=True),
        log_to_console=False,
        hasher=FakeHasher(),
    )
    services = station.open()
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", "admin long secret")
    remote = {"stream_fps": FPS, "max_stream_clients": MAX_CLIENTS}
    services.config.update_station(ADMIN, {"preview": {"max_fps": FPS}, "remote": remote})
    services.config.update_camera(ADMIN, CAMERA, {"interval_s": 86400.0, "window": "always"})
    station.start()
    _info, token = services.tokens.create(admin, "bench")
    return station, services, token


def naive_app(hub):
    """A WSGI app: per client, every new hub frame encoded for that client alone."""
    import cv2

    def parts(watch) -> Iterator[bytes]:
        seq = 0
        try:
            while True:
                frame = watch.next(seq, 2.0)
                if frame is None:
                    continue
                seq = frame.seq
                bgr = cv2.cvtColor(frame.image, cv2.COLOR_RGB2BGR)
                _ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
                head = (
                    f"--{BOUNDARY}\r\nContent-Type: image/jpeg\r\nContent-Length: {len(jpeg)}"
                    f"\r\nX-Frame-Seq: {seq}\r\nX-Frame-Taken: {frame.taken_at:.6f}\r\n"
                    f"X-Focus-Score: {frame.score:.3f}\r\n\r\n"
                )
                yield b"".join((head.encode("ascii"), jpeg.tobytes(), b"\r\n"))
        finally:
            watch.close()

    def app(environ, start_response):
        kind = f"multipart/x-mixed-replace; boundary={BOUNDARY}"
        start_response("200 OK", [("Content-Type", kind), ("Cache-Control", "no-store")])
        return parts(hub.watch())

    return app


def main(mode: str) -> int:
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    with tempfile.TemporaryDirectory(prefix="eyepi-bench-stream-") as home:
        station, services, token = open_station(Path(home) / "station")
        try:
            settings = RemoteSettings(
                bind="127.0.0.1", port=0, stream_fps=FPS, max_stream_clients=MAX_CLIENTS
            )
            hub = services.cameras.hub(CAMERA)
            app = create_app(services, settings) if mode == "eyepi" else naive_app(hub)
            server = RemoteServer(app, settings, Path(home))
            server.start()
            try:
                ready = {"mode": mode, "url": server.url + PATH, "token": token}
                print(json.dumps(ready | {"pid": os.getpid()}), flush=True)
                while not stopping.wait(0.5):
                    pass
            finally:
                server.stop(2.0)
        finally:
            station.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
