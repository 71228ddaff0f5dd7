"""Blocking work off the GUI thread: every service call of the kiosk goes through a TaskRunner."""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

from eyepi_gui.kiosk.messages import expected, log_unexpected

_log = logging.getLogger("eyepi.kiosk")

T = TypeVar("T")
Done = Callable[[Any], object]
"""Internal: a result callback whose argument type was checked where the task was started."""
Failed = Callable[[Exception], object]
MAX_THREADS = 6
"""Enough for a test shot per camera plus refreshes; a hung camera never starves the others."""


@dataclass(frozen=True)
class _Pending:
    key: str
    on_done: Done | None
    on_error: Failed | None


@dataclass(frozen=True)
class _Waiting:
    work: Callable[[], object]
    on_done: Done | None
    on_error: Failed | None


class _Job(QRunnable):
    """Runs one callable on a pool thread and hands its outcome to the runner's queued signal."""

    def __init__(self, runner: TaskRunner, ticket: int, work: Callable[[], object]) -> None:
        super().__init__()
        self._runner, self._ticket, self._work = runner, ticket, work

    def run(self) -> None:
        result: object = None
        error: Exception | None = None
        try:
            result = self._work()
        except Exception as err:  # every failure goes back to the GUI thread, none is lost
            error = err
        # RuntimeError: the runner was deleted while this task ran; nobody is waiting any more.
        with contextlib.suppress(RuntimeError):
            self._runner.settled.emit(self._ticket, result, error)


class TaskRunner(QObject):
    """Runs blocking callables on a thread pool; outcomes return on the GUI thread.

    Each task has a key. ``run`` with the key of a task still running makes the older one
    stale: its result or error is dropped, never delivered. ``refresh`` instead lets the running
    task finish and starts the newest request after it, so frequent refreshes of slow work still
    deliver. Callbacks bound to a deleted QObject are skipped.

    ``on_done`` gets what ``work`` returned, typed: ``run(key, work: () -> T, on_done: (T) ->
    ...)``. An error outside the station's error tree (a bug) is always logged with its
    traceback here, also when ``on_error`` handles it; ``on_error`` shows the tech
    ``messages.sentence(error)``.

    Signals:
        finished(key: str, result: object): a current task returned ``result``.
        failed(key: str, error: object): a current task raised ``error`` (an Exception).
        settled(ticket: int, result: object, error: object): internal, emitted on pool threads
            and received queued on the runner's thread.
    """

    finished = Signal(str, object)
    failed = Signal(str, object)
    settled = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None, max_threads: int = MAX_THREADS) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._tickets = itertools.count(1)
        self._latest: dict[str, int] = {}
        self._pending: dict[int, _Pending] = {}
        self._waiting: dict[str, _Waiting] = {}
        self._closed = False
        self.settled.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    def run(
        self,
        key: str,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Failed | None = None,
    ) -> int:
        """Start ``work`` on the pool; returns its ticket. ``on_done(result)`` or
        ``on_error(exception)`` runs later on the GUI thread unless a newer ``key`` task came."""
        if self._closed:
            raise RuntimeError("the task runner is closed")
        ticket = next(self._tickets)
        self._latest[key] = ticket
        self._pending[ticket] = _Pending(key, on_done, on_error)
        self._pool.start(_Job(self, ticket, work))
        return ticket

    def refresh(
        self,
        key: str,
        work: Callable[[], T],
        on_done: Callable[[T], object] | None = None,
        on_error: Failed | None = None,
    ) -> None:
        """Like ``run``, but while a ``key`` task runs the request waits (replacing any older
        waiting one) and starts when that task has delivered: one running, at most one waiting."""
        if self.is_running(key):
            self._waiting[key] = _Waiting(work, on_done, on_error)
        else:
            self.run(key, work, on_done, on_error)

    def cancel(self, key: str) -> None:
        """Drop the outcome of the ``key`` task still running (it is not interrupted)."""
        self._latest.pop(key, None)
        self._waiting.pop(key, None)

    def is_running(self, key: str) -> bool:
        """True while the newest ``key`` task has not delivered its outcome."""
        return self._latest.get(key) in self._pending

    def pending_count(self) -> int:
        """Tasks (current or stale) whose outcome has not come back yet."""
        return len(self._pending)

    def close(self, timeout_ms: int = 3000) -> bool:
        """Deliver nothing more; drop queued tasks and wait up to ``timeout_ms`` for running
        ones. True when every task has ended."""
        self._closed = True
        self._latest.clear()
        self._waiting.clear()
        self._pool.clear()
        ended = self._pool.waitForDone(timeout_ms)
        if ended:  # their outcomes will never be delivered: nothing is pending any more
            self._pending.clear()
        return ended

    def _deliver(self, ticket: int, result: object, error: object) -> None:
        pending = self._pending.pop(ticket, None)
        if pending is None or self._closed or self._latest.get(pending.key) != ticket:
            return
        del self._latest[pending.key]
        if waiting := self._waiting.pop(pending.key, None):
            self.run(pending.key, waiting.work, waiting.on_done, waiting.on_error)
        if isinstance(error, Exception):
            self._fail(pending, error)
        else:
            if pending.on_done is not None and _alive(pending.on_done):
                pending.on_done(result)
            self.finished.emit(pending.key, result)

    def _fail(self, pending: _Pending, error: Exception) -> None:
        log_unexpected(pending.key, error)
        if pending.on_error is not None:
            if _alive(pending.on_error):
                pending.on_error(error)
        elif expected(error):
            _log.warning("%s: %s", pending.key, error, extra={"event": "kiosk_task_failed"})
        self.failed.emit(pending.key, error)


def _alive(callback: Callable[..., object]) -> bool:
    """False when the callback is bound (directly or via functools.partial) to a deleted
    QObject, whose methods would raise."""
    target = callback.func if isinstance(callback, functools.partial) else callback
    owner = getattr(target, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)
