"""Live frames into the kiosk: one feed thread per shown preview, the newest frame only.

The feed thread waits on the camera's frame hub, renders the frame for the preview's size and
viewport (crop, scale, peaking: all off the GUI thread) and hands it over. It renders the next
one only once the GUI has painted the last, so a busy GUI skips frames instead of queueing them.
"""

from __future__ import annotations

import contextlib
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, SignalInstance

from eyepi_gui.domain import viewport as vp
from eyepi_gui.services.frame_hub import LiveFrame

if TYPE_CHECKING:
    from eyepi_gui.domain.focus import Image
    from eyepi_gui.services.focus import FocusService

WAIT_S = 0.25  # how often the feed thread looks up from waiting (to stop or re-render)


@dataclass(frozen=True)
class Shown:
    """A live frame rendered for a preview of ``screen`` (w, h) px through ``viewport``."""

    frame: LiveFrame
    picture: Image
    viewport: vp.Viewport
    screen: tuple[int, int]


@dataclass(frozen=True)
class _View:
    viewport: vp.Viewport
    screen: tuple[int, int]
    peaking: bool


class FrameFeed(QObject):
    """Feeds one camera's live view to the GUI.

    Signals:
        shown(Shown): the newest frame, rendered; call ``painted()`` when it is on screen.
        problem(str): why no frames come ("" once they do again).
    """

    shown = Signal(object)
    problem = Signal(str)

    def __init__(self, focus: FocusService, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._focus = focus
        self._lock = threading.Lock()
        self._view = _View(vp.Viewport(), (640, 360), False)
        self._painted = threading.Event()
        self._dirty = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.camera_id = ""

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, camera_id: str) -> None:
        """Watch ``camera_id`` (stopping any other camera first)."""
        self.stop()
        self.camera_id = camera_id
        self._stop = threading.Event()
        self._painted.set()
        self._thread = threading.Thread(
            target=self._run, args=(camera_id, self._stop), name="kiosk-preview", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        """Stop watching; returns at once (the thread ends within ``WAIT_S``)."""
        self._stop.set()
        self._painted.set()
        self._thread = None

    def set_view(self, viewport: vp.Viewport, screen: tuple[int, int], peaking: bool) -> None:
        """GUI side: render coming frames (and the last one again) for this view."""
        with self._lock:
            self._view = _View(viewport, (max(1, screen[0]), max(1, screen[1])), peaking)
        self._dirty.set()

    def painted(self) -> None:
        """GUI side: the last frame is on screen; the next may come."""
        self._painted.set()

    def _run(self, camera_id: str, stop: threading.Event) -> None:
        problem = None
        with self._focus.watch(camera_id) as watch:
            last: LiveFrame | None = None
            while not stop.is_set():
                if not self._painted.wait(WAIT_S):
                    continue
                with self._lock:
                    view = self._view
                watch.peaking = view.peaking
                frame = watch.next(last.seq if last else 0, WAIT_S)
                if frame is None and self._dirty.is_set():
                    frame = last
                if frame is None:
                    if watch.problem != problem:
                        problem = watch.problem
                        self._emit(self.problem, problem, stop)
                    continue
                if problem:
                    problem = ""
                    self._emit(self.problem, "", stop)
                self._dirty.clear()
                last = frame
                self._painted.clear()
                self._emit(self.shown, _render(frame, view), stop)

    def _emit(self, signal: SignalInstance, value: object, stop: threading.Event) -> None:
        # RuntimeError: the feed was deleted while its thread was rendering.
        if not stop.is_set():
            with contextlib.suppress(RuntimeError):
                signal.emit(value)


def _render(frame: LiveFrame, view: _View) -> Shown:
    peaking = frame.peaking if view.peaking else None
    picture = vp.render(frame.image, view.viewport, view.screen, peaking)
    return Shown(frame, picture, view.viewport, view.screen)
