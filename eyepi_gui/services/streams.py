"""Live streams for remote viewers: JPEG frames from a camera's frame hub, paced per viewer.

Every viewer gets the hub's latest frame and the same JPEG bytes (encoded once per frame in
the hub). A viewer that reads slowly gets a later frame next time, never a queue of old ones;
the number of viewers is capped by ``remote.max_stream_clients``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import TracebackType

from eyepi_gui.errors import Unavailable
from eyepi_gui.services.access import reads
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.frame_hub import FrameHub, Watch

WAIT_S = 2.0
"""How long a viewer waits for a new frame before the last one is sent again (seconds)."""
GIVE_UP_S = 30.0
"""A stream that got no frame at all for this long ends (a dead camera frees its viewers)."""


@dataclass(frozen=True)
class StreamFrame:
    """One frame for a viewer: ``seq`` counts per camera, ``taken_at`` is epoch seconds."""

    seq: int
    taken_at: float
    score: float
    jpeg: bytes


class LiveStreams:
    def __init__(self, cameras: CameraService, config: SettingsService) -> None:
        self._cameras, self._config = cameras, config
        self._viewers = 0
        self._lock = threading.Lock()

    @property
    def viewers(self) -> int:
        with self._lock:
            return self._viewers

    @reads
    def check(self, camera_id: str) -> None:
        """Raise what ``open`` would raise now, taking nothing: ``NotFound`` for an unknown
        camera, ``Unavailable`` when every viewer slot is taken."""
        self._cameras.hub(camera_id)
        with self._lock:
            self._refuse_if_full()

    @reads
    def open(self, camera_id: str) -> Stream:
        """A stream of the camera's live view; it holds a viewer slot and the camera's live
        view until closed. Raises ``NotFound`` for an unknown camera and ``Unavailable`` when
        ``remote.max_stream_clients`` viewers are watching already."""
        hub = self._cameras.hub(camera_id)
        with self._lock:
            self._refuse_if_full()
            self._viewers += 1
        return Stream(hub, self._interval(), self._left)

    def _refuse_if_full(self) -> None:
        most = self._config.current().remote.max_stream_clients
        if self._viewers >= most:
            raise Unavailable(f"{most} live viewers already (remote.max_stream_clients)")

    def _interval(self) -> float:
        """Seconds between a viewer's frames: the stream cap, never faster than the camera."""
        station = self._config.current()
        return 1.0 / min(station.remote.stream_fps, station.preview.max_fps)

    def _left(self) -> None:
        with self._lock:
            self._viewers -= 1


class Stream:
    """One viewer's stream. Iterate ``frames()``; close it (or use ``with``) when done."""

    def __init__(self, hub: FrameHub, interval_s: float, on_close: Callable[[], None]) -> None:
        self._hub, self.interval_s = hub, interval_s
        self._on_close = on_close
        self._watch: Watch = hub.watch()
        self._closed = False

    @property
    def problem(self) -> str:
        """Why no frames come ("" while they do)."""
        return self._hub.problem

    def frames(self) -> Iterator[StreamFrame]:
        """Frames at most every ``interval_s`` seconds, each newer than the last, until
        closed. While the camera gives no new frame the last one is sent again every
        ``WAIT_S`` seconds (so a viewer that left is noticed); with no frame at all for
        ``GIVE_UP_S`` seconds the stream ends (see ``problem``)."""
        seq, last_frame_at = 0, time.monotonic()
        while not self._closed:
            frame = self._watch.next(seq, WAIT_S) or self._hub.latest
            if frame is None:
                if time.monotonic() - last_frame_at > GIVE_UP_S:
                    return
                continue
            if frame.seq != seq:
                last_frame_at = time.monotonic()
            seq, got = frame.seq, time.monotonic()
            yield StreamFrame(frame.seq, frame.taken_at, frame.score, self._hub.jpeg(frame))
            # from when this frame was had (encoding included): a wait is no credit to burst
            time.sleep(max(0.0, got + self.interval_s - time.monotonic()))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._watch.close()
            self._on_close()

    def __enter__(self) -> Stream:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
