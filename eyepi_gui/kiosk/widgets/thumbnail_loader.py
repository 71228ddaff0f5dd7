"""Thumbnails fetched and decoded off the GUI thread, newest request first.

The loader has its own small TaskRunner (two threads) so that a day of thumbnails never
queues ahead of the rest of the kiosk's work; at most ``IN_FLIGHT`` fetches run at once and
the rest wait in a stack: what was asked for last (the rows on screen now, after a fast
scroll) is fetched first."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QImage

from eyepi_gui.kiosk.tasks import TaskRunner

THREADS = 2
IN_FLIGHT = 4


def decoded(fetch: Callable[[], bytes]) -> QImage:
    """Runs on a loader thread: the bytes ``fetch`` returns as an image (OSError if none)."""
    image = QImage.fromData(fetch())
    if image.isNull():
        raise OSError("the thumbnail cannot be decoded")
    return image


class ThumbnailLoader(QObject):
    """Signals:
    loaded(record_id: int, image: QImage): a thumbnail is ready (on the GUI thread).
    failed(record_id: int, reason: str): it could not be made.
    """

    loaded = Signal(int, QImage)
    failed = Signal(int, str)

    def __init__(self, fetch: Callable[[int], bytes], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._runner = TaskRunner(self, max_threads=THREADS)
        self._wanted: dict[int, None] = {}  # insertion-ordered: the newest request is last
        self._running: set[int] = set()

    def request(self, record_id: int) -> None:
        """Ask for a thumbnail (again: moves it to the front of the queue)."""
        if record_id in self._running:
            return
        self._wanted.pop(record_id, None)
        self._wanted[record_id] = None
        self._start_more()

    def forget(self) -> None:
        """Drop every request not started yet (another day is on show)."""
        self._wanted.clear()

    def busy(self) -> bool:
        return bool(self._wanted or self._running)

    def stop(self) -> None:
        self._wanted.clear()
        self._runner.close(timeout_ms=2000)

    def _start_more(self) -> None:
        while self._wanted and len(self._running) < IN_FLIGHT:
            record_id = next(reversed(self._wanted))
            del self._wanted[record_id]
            self._running.add(record_id)
            self._runner.run(
                f"thumb:{record_id}",
                partial(decoded, partial(self._fetch, record_id)),
                partial(self._done, record_id),
                partial(self._failed, record_id),
            )

    def _done(self, record_id: int, image: QImage) -> None:
        self._running.discard(record_id)
        self.loaded.emit(record_id, image)
        self._start_more()

    def _failed(self, record_id: int, error: Exception) -> None:
        self._running.discard(record_id)
        self.failed.emit(record_id, str(error))
        self._start_more()
