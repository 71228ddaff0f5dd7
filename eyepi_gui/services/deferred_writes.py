"""Writes to state.db that may wait (audit entries, capture-index rows): never dropped because
another process holds the database, and never holding up the login or capture that made them.

A write is tried at once; while the database is busy (or refuses it) it waits in a queue, in
order, and one thread retries the oldest every ``RETRY_S``. At most ``MAX_QUEUED`` wait
(bounded memory); ``close`` gives the queue ``FLUSH_S`` to empty. A write that is given up (on
overflow or at close) is logged in full as lost: the log keeps an audit entry, and a capture's
row comes back from its files at the next start (``services.index_repair``).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from eyepi_gui.errors import StorageError, Unavailable

_log = logging.getLogger("eyepi.state")
T = TypeVar("T")
RETRY_S = 0.25
MAX_QUEUED = 10_000
FLUSH_S = 5.0
"""How long stopping the station waits for queued writes (seconds)."""
WAITING = (Unavailable, StorageError)
"""What makes a write wait: the database is busy, or the disk refused it (full, I/O)."""


@dataclass(frozen=True)
class _Write:
    label: str
    write: Callable[[], object]


class DeferredWrites:
    """Thread-safe; its retry thread starts with the first write that has to wait."""

    def __init__(self, retry_s: float = RETRY_S, capacity: int = MAX_QUEUED) -> None:
        self._retry_s, self._capacity = retry_s, capacity
        self._queue: deque[_Write] = deque()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._closed = False
        self.lost = 0
        """Writes given up since the station started."""

    def submit(self, label: str, write: Callable[[], T]) -> T | None:
        """``write()``'s result when it was stored at once; None when it waits in the queue
        (behind earlier ones, which keep their order). ``label`` says what it is for the log."""
        with self._changed:
            behind_others, closed = bool(self._queue), self._closed
        if not behind_others or closed:
            try:
                return write()
            except WAITING as err:
                if closed:  # the station is stopping: nobody would retry it
                    self._give_up([_Write(label, write)], str(err))
                    return None
                _log.warning(
                    "state.db refused a write, queued to retry: %s", err, extra={"event": "db_busy"}
                )
        self._enqueue(_Write(label, write))
        return None

    @property
    def pending(self) -> int:
        with self._changed:
            return len(self._queue)

    def problem(self) -> str | None:
        """For the status banner: writes waiting or lost, else None."""
        waiting, lost = self.pending, self.lost
        if lost:
            return f"{lost} record(s) could not be stored in the station's database; see the log."
        if waiting:
            return f"The station's database is busy: {waiting} record(s) wait to be stored."
        return None

    def close(self, timeout: float = FLUSH_S) -> int:
        """Wait up to ``timeout`` s for the queue to empty, then give up what is left (logged
        in full). Returns how many were given up; later writes are tried once, never queued."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        with self._changed:
            left = list(self._queue)
            self._queue.clear()
        self._give_up(left, f"still waiting after {timeout:.0f} s at stop")
        return len(left)

    def _enqueue(self, item: _Write) -> None:
        dropped: _Write | None = item
        with self._changed:
            if self._closed:  # closed while this write was tried: nobody would retry it
                why = "the station stopped"
            else:
                self._queue.append(item)
                dropped = self._queue.popleft() if len(self._queue) > self._capacity else None
                why = f"more than {self._capacity} writes waiting"
                self._wake()
        if dropped is not None:
            self._give_up([dropped], why)

    def _wake(self) -> None:
        """Start the retry thread, or wake it when it was idle (retries keep their pace)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._drain, name="db-writes", daemon=True)
            self._thread.start()
        elif len(self._queue) == 1:
            self._changed.notify_all()

    def _drain(self) -> None:
        while True:
            with self._changed:
                while not self._queue and not self._closed:
                    self._changed.wait()
                if not self._queue:
                    return
                head = self._queue[0]
            stored = self._try(head)
            with self._changed:
                if stored and self._queue and self._queue[0] is head:
                    self._queue.popleft()
                    if not self._queue:
                        _log.info(
                            "state.db: every queued write is stored", extra={"event": "db_free"}
                        )
                elif not stored:
                    self._changed.wait(self._retry_s)

    def _try(self, item: _Write) -> bool:
        """True when the write is done with (stored, or failed in a way a retry cannot fix)."""
        try:
            item.write()
        except WAITING:
            return False
        except Exception as err:
            _log.exception("a queued write failed", extra={"event": "db_write_failed"})
            self._give_up([item], f"{type(err).__name__}: {err}")
        return True

    def _give_up(self, items: list[_Write], why: str) -> None:
        with self._changed:
            self.lost += len(items)
        for item in items:
            _log.error(
                "not stored in state.db (%s): %s", why, item.label, extra={"event": "db_write_lost"}
            )
