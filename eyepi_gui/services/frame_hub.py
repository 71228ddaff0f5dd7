"""One camera's live view: the latest frame only, with its focus score, shared by every viewer.

The camera's worker thread grabs a frame only while someone watches and nothing else waits
(capture always wins), and computes the score, histogram and peaking once per frame. Viewers
ask for the next frame after the one they have; a slow viewer simply gets a later one. Nothing
here queues: memory is one frame, whatever the number or speed of viewers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING

from eyepi_gui.domain.roi import Roi
from eyepi_gui.domain.score_trail import ScorePoint, ScoreTrail

if TYPE_CHECKING:
    from eyepi_gui.domain.focus import Histogram
    from eyepi_gui.domain.frame import Frame


@dataclass(frozen=True)
class LiveFrame:
    """One processed live frame. ``seq`` counts up per camera; ``taken_at`` is epoch seconds
    and ``grabbed`` the monotonic time it was grabbed (for its age). ``image`` is read-only
    RGB; ``peaking`` a mask of the sharpest edges when a viewer asked for it."""

    camera_id: str
    seq: int
    taken_at: float
    grabbed: float
    image: Frame
    roi: Roi
    score: float
    histogram: Histogram
    peaking: Frame | None


class FrameHub:
    """The live view of one camera. ``wake`` tells the camera's worker a viewer arrived."""

    def __init__(self, camera_id: str, now: Callable[[], float], wake: Callable[[], None]):
        self.camera_id = camera_id
        self._now = now
        self._wake = wake
        self._cond = threading.Condition()
        self._watches: set[Watch] = set()
        self._latest: LiveFrame | None = None
        self._problem = ""
        self._roi = Roi()
        self._seq = 0
        self._trail = ScoreTrail()
        self._jpeg_lock = threading.Lock()
        self._jpeg: tuple[int, bytes] = (0, b"")

    @property
    def watched(self) -> bool:
        with self._cond:
            return bool(self._watches)

    @property
    def roi(self) -> Roi:
        with self._cond:
            return self._roi

    def set_roi(self, roi: Roi) -> None:
        """Score frames over ``roi`` from the next one on; the trail starts afresh (scores of
        two regions are not comparable)."""
        with self._cond:
            if roi != self._roi:
                self._trail.clear()
            self._roi = roi

    def trail(self, after: float | None = None) -> list[ScorePoint]:
        """The live score's last minute, newer than ``after`` (see ``ScoreTrail``)."""
        with self._cond:
            return self._trail.since(after)

    @property
    def latest(self) -> LiveFrame | None:
        with self._cond:
            return self._latest

    @property
    def problem(self) -> str:
        """Why no frames come (the camera has no live view, or it failed); "" when they do."""
        with self._cond:
            return self._problem

    def watch(self, *, peaking: bool = False) -> Watch:
        """Start watching; frames flow until every watch is closed."""
        watch = Watch(self, peaking)
        with self._cond:
            first = not self._watches
            self._watches.add(watch)
        if first:
            self._wake()
        return watch

    def publish(self, image: Frame) -> LiveFrame:
        """Worker side: score a fresh frame, keep it as the latest and wake the viewers."""
        from eyepi_gui.domain import focus  # numpy and cv2 stay out of start-up

        with self._cond:
            roi = self._roi
            peaking = any(watch.peaking for watch in self._watches)
        grabbed, taken_at = time.monotonic(), self._now()
        image.flags.writeable = False
        mask = focus.peaking_mask(image) if peaking else None
        if mask is not None:
            mask.flags.writeable = False
        score, hist = focus.focus_score(image, roi), focus.histogram(image)
        with self._cond:
            self._seq += 1
            frame = LiveFrame(
                self.camera_id, self._seq, taken_at, grabbed, image, roi, score, hist, mask
            )
            self._latest, self._problem = frame, ""
            if roi == self._roi:  # a frame scored over a region just replaced stays out
                self._trail.add(taken_at, score)
            self._cond.notify_all()
        return frame

    def jpeg(self, frame: LiveFrame) -> bytes:
        """``frame`` as JPEG, encoded once however many viewers ask (the latest frame's
        bytes are kept; an older frame is encoded for the one viewer still holding it)."""
        from eyepi_gui.domain import jpeg  # cv2 stays out of start-up

        with self._jpeg_lock:
            seq, data = self._jpeg
            if seq != frame.seq:
                data = jpeg.encode_rgb(frame.image)
                if frame.seq > seq:
                    self._jpeg = (frame.seq, data)
            return data

    def fail(self, problem: str) -> None:
        """Worker side: no frame could be had; viewers see ``problem``."""
        with self._cond:
            self._problem = problem
            self._cond.notify_all()

    def _next(self, after: int, timeout: float) -> LiveFrame | None:
        def ready() -> bool:
            return self._latest is not None and self._latest.seq > after

        with self._cond:
            self._cond.wait_for(ready, timeout)
            return self._latest if ready() else None

    def _drop(self, watch: Watch) -> None:
        with self._cond:
            self._watches.discard(watch)
            self._cond.notify_all()


class Watch:
    """One viewer's hold on a live view. Close it (or use ``with``) when the viewer goes."""

    def __init__(self, hub: FrameHub, peaking: bool) -> None:
        self._hub = hub
        self.peaking = peaking
        self.closed = False

    @property
    def problem(self) -> str:
        return self._hub.problem

    def next(self, after: int, timeout: float) -> LiveFrame | None:
        """The latest frame newer than ``after`` (a ``seq``), waiting up to ``timeout`` s;
        None when none came or the watch was closed."""
        if self.closed:
            return None
        return self._hub._next(after, timeout)

    def close(self) -> None:
        self.closed = True
        self._hub._drop(self)

    def __enter__(self) -> Watch:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, err: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()
