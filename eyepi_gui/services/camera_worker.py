"""One thread per camera: it opens the device, runs commands in order and reports state."""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from functools import partial
from typing import Any, TypeVar

from eyepi_gui.domain.camera import CameraInfo, CameraState
from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import CameraFault, EyepiError, NotFound, Unavailable
from eyepi_gui.ports import CameraBackend, CameraDevice
from eyepi_gui.services.frame_hub import FrameHub

T = TypeVar("T")
StateSink = Callable[[str, CameraState, str], None]
_log = logging.getLogger("eyepi.cameras")
LIVE_RETRY_S = 1.0  # after a failed live frame, the next try waits this long
_WAKE = object()  # a viewer arrived: re-check whether to grab live frames
_GRAB = object()  # time for the next live frame


class _Command:
    def __init__(
        self, fn: Callable[[CameraDevice], Any], future: Future[Any], busy: CameraState
    ) -> None:
        self.fn, self.future, self.busy = fn, future, busy


class CameraWorker:
    """Owns one device. libgphoto2 and picamera2 are not thread-safe, so only this thread
    touches it. ``busy_since`` (monotonic seconds) is set while a command runs.

    While someone watches ``hub``, the thread grabs a live frame whenever no command waits,
    at most once per ``live_interval()`` seconds: commands (captures) always go first."""

    def __init__(
        self,
        info: CameraInfo,
        backend: CameraBackend,
        report: StateSink,
        now: Callable[[], float] = time.time,
        live_interval: Callable[[], float] = lambda: 1 / 15,
    ) -> None:
        self.info = info
        self._backend = backend
        self._report = report
        self._live_interval = live_interval
        self._next_frame_at = 0.0
        self.hub = FrameHub(info.camera_id, now, lambda: self._queue.put(_WAKE))
        self._queue: queue.Queue[object] = queue.Queue()
        self._device: CameraDevice | None = None
        self._thread = threading.Thread(
            target=self._run, name=f"camera-{info.camera_id}", daemon=True
        )
        self._pending = 0
        self._lock = threading.Lock()
        self.busy_since: float | None = None

    def start(self) -> None:
        self._thread.start()

    @property
    def busy(self) -> bool:
        """True while a command runs or waits in the queue."""
        with self._lock:
            return self._pending > 0

    def submit(
        self, fn: Callable[[CameraDevice], T], busy: CameraState = CameraState.IDLE
    ) -> Future[T]:
        """Queue ``fn(device)``; ``busy`` is the state reported while it runs."""
        future: Future[T] = Future()
        with self._lock:
            self._pending += 1
        self._queue.put(_Command(fn, future, busy))
        return future

    def stop(self, timeout: float) -> bool:
        """Finish the running command (up to ``timeout`` s), drop queued ones; True if stopped."""
        self._drain()
        self._queue.put(None)
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _drain(self) -> None:
        while True:
            try:
                command = self._queue.get_nowait()
            except queue.Empty:
                return
            if isinstance(command, _Command):
                command.future.cancel()
                self._done()

    def _run(self) -> None:
        self._connect()
        while (item := self._next_item()) is not None:
            if item is _GRAB:
                self._grab()
            elif isinstance(item, _Command):
                outcome = (
                    self._execute(item) if item.future.set_running_or_notify_cancel() else None
                )
                # counted done before its caller hears: a command sent on the result is not Busy
                self._done()
                if outcome is not None:
                    outcome()
        self._close()

    def _next_item(self) -> object:
        """The next command; ``_GRAB`` when a live frame is due and no command waits."""
        if not self.hub.watched:
            return self._queue.get()
        if not self.info.live_view:
            self.hub.fail(f"{self.info.model} has no live view; take a test shot instead")
            return self._queue.get()
        delay = self._next_frame_at - time.monotonic()
        try:
            return self._queue.get(timeout=delay) if delay > 0 else self._queue.get_nowait()
        except queue.Empty:
            return _GRAB

    def _grab(self) -> None:
        """One live frame into the hub; a failure is shown to viewers and retried later."""
        started = time.monotonic()
        self._next_frame_at = started + self._live_interval()
        try:
            self.hub.publish(self._open().live_frame())
        except (Unavailable, NotFound) as err:
            self._close()
            self.hub.fail(str(err))
            self._next_frame_at = started + LIVE_RETRY_S
        except Exception as err:
            _log.exception("live frame failed", extra={"event": "live_frame_failed"})
            self._close()
            self.hub.fail(f"live view failed: {error_reason(err)}")
            self._next_frame_at = started + LIVE_RETRY_S

    def _done(self) -> None:
        with self._lock:
            self._pending -= 1

    def _execute(self, command: _Command) -> Callable[[], None]:
        """Run ``command`` on the device; returns what settles its future (called once the
        worker counts the command done)."""
        camera_id = self.info.camera_id
        self.busy_since = time.monotonic()
        future = command.future
        try:
            device = self._open()
            if command.busy is not CameraState.IDLE:
                self._report(camera_id, command.busy, "")
            result = command.fn(device)
        except (Unavailable, NotFound) as err:
            # A failed or vanished camera is opened afresh by the next command: a driver
            # stuck in an error state (libgphoto2's "[-3] Out of memory") recovers that way.
            self._close()
            state = CameraState.ERROR if isinstance(err, CameraFault) else CameraState.OFFLINE
            self._report(camera_id, state, str(err))
            return partial(future.set_exception, err)
        except EyepiError as err:
            self._report(camera_id, CameraState.ERROR, str(err))
            return partial(future.set_exception, err)
        except Exception as err:
            _log.exception("camera command failed", extra={"event": "camera_command_failed"})
            self._close()
            self._report(camera_id, CameraState.ERROR, error_reason(err))
            return partial(future.set_exception, err)
        finally:
            self.busy_since = None
        self._report(camera_id, CameraState.IDLE, "")
        return partial(future.set_result, result)

    def _connect(self) -> None:
        """Open the device as soon as the worker starts, so the first slot is not late."""
        try:
            self._open()
        except (Unavailable, NotFound) as err:
            self._report(self.info.camera_id, CameraState.OFFLINE, str(err))
        except Exception as err:
            _log.exception("opening camera failed", extra={"event": "camera_open_failed"})
            self._report(self.info.camera_id, CameraState.ERROR, error_reason(err))

    def _open(self) -> CameraDevice:
        if self._device is None:
            self._device = self._backend.open(self.info.camera_id)
        return self._device

    def _close(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            try:
                device.close()
            except Exception:
                _log.exception("closing camera failed", extra={"event": "camera_close_failed"})
