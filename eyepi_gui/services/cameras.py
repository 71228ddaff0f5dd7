"""Cameras as a service: discovery, one worker per camera, states, captures and test shots."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import (
    CameraInfo,
    CameraSetting,
    CameraState,
    StillImage,
    StillRequest,
)
from eyepi_gui.domain.events import CameraStateChanged, CaptureDone, CaptureFailed, FocusChecked
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.domain.roi import Roi, make_roi
from eyepi_gui.errors import Busy, CameraFault, EyepiError, NotFound
from eyepi_gui.ports import CameraBackend, CameraDevice, Clock
from eyepi_gui.services.access import AccessControl, internal, reads, requires
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.camera_worker import CameraWorker
from eyepi_gui.services.capture_files import CaptureContext, CaptureWriter, FocusReading
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.frame_hub import FrameHub
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.settings import FocusLock

_log = logging.getLogger("eyepi.cameras")
T = TypeVar("T")
NOT_FOUND = "not found on the last scan: check its cable and power"


@dataclass(frozen=True)
class CameraStatus:
    """A camera's state as last reported by its worker."""

    state: CameraState
    detail: str


class CameraService:
    """Runs every camera on its own worker thread: captures, test shots and states. The
    inventory tells it which cameras exist (``attach``, ``mark_missing``, ``detach``)."""

    def __init__(
        self,
        config: SettingsService,
        writer: CaptureWriter,
        bus: EventBus,
        clock: Clock,
        access: AccessControl,
        audit: AuditLog,
        space: FreeSpace,
    ) -> None:
        self.access = access
        self._audit = audit
        self._config = config
        self._writer = writer
        self._space = space
        self._bus = bus
        self._clock = clock
        self._workers: dict[str, CameraWorker] = {}
        self._status: dict[str, CameraStatus] = {}
        self._missing: set[str] = set()  # not found on the last scan
        self._focus_checks: dict[str, FocusChecked] = {}
        self._lock = threading.Lock()

    @internal
    def attach(self, backend: CameraBackend, info: CameraInfo) -> bool:
        """Start a worker for a newly found camera, or bring a missing one back (perhaps on
        another port). True when the camera is new or back."""
        self._config.describe_camera(info)
        with self._lock:
            worker = self._workers.get(info.camera_id)
            if worker is None:
                worker = self._workers[info.camera_id] = CameraWorker(
                    info, backend, self._set_state, self._clock.now, self._live_interval
                )
                self._status[info.camera_id] = CameraStatus(CameraState.IDLE, "")
                worker.start()
                return True
            worker.info = info
            came_back = info.camera_id in self._missing
            self._missing.discard(info.camera_id)
        if came_back:
            self._set_state(info.camera_id, CameraState.IDLE, "")
        return came_back

    @internal
    def mark_missing(self, camera_id: str) -> bool:
        """The last scan did not find the camera: offline until found again. True when it
        was not already marked missing."""
        with self._lock:
            if camera_id not in self._workers or camera_id in self._missing:
                return False
            self._missing.add(camera_id)
        self._set_state(camera_id, CameraState.OFFLINE, NOT_FOUND)
        return True

    @internal
    def detach(self, camera_id: str, timeout: float = 5.0) -> None:
        """Stop and forget a camera (a stand-in the real cameras replaced)."""
        with self._lock:
            worker = self._workers.pop(camera_id, None)
            self._status.pop(camera_id, None)
            self._missing.discard(camera_id)
        if worker is not None:
            worker.stop(timeout)

    @internal
    def stop(self, timeout: float) -> bool:
        """Let running commands finish (up to ``timeout`` s each); True if all stopped."""
        with self._lock:
            workers = list(self._workers.values())
        return all([worker.stop(timeout) for worker in workers])

    @reads
    def cameras(self) -> list[CameraInfo]:
        with self._lock:
            return [w.info for w in self._workers.values()]

    @reads
    def status(self, camera_id: str) -> CameraStatus:
        with self._lock:
            if camera_id not in self._status:
                raise NotFound(f"no camera {camera_id!r}")
            return self._status[camera_id]

    @reads
    def is_busy(self, camera_id: str) -> bool:
        return self._worker(camera_id).busy

    @internal
    def capture(self, camera_id: str, scheduled_at: float | None) -> Future[list[CaptureRecord]]:
        """Queue a capture (a test shot when ``scheduled_at`` is None). Raises Busy when the
        camera is still running an earlier command, so a slow camera never queues up slots,
        and StorageError (before the camera fires) when the capture would not leave the
        free-space floor free."""
        worker = self._worker(camera_id)
        if worker.busy:
            raise Busy(f"camera {camera_id} is still busy with an earlier command")
        self._space.check(camera_id)
        return worker.submit(
            lambda device: self._capture(worker, device, scheduled_at), CameraState.CAPTURING
        )

    @requires(Permission.TEST_SHOT)
    def test_shot(self, principal: Principal, camera_id: str) -> list[CaptureRecord]:
        """Capture now and wait for the files; raises CameraFault, Busy or Unavailable."""
        try:
            records = self._answer(camera_id, self.capture(camera_id, None))
        except EyepiError as err:
            self._audit.record(principal, "test_shot", camera_id, str(err), ok=False)
            raise
        names = ", ".join(Path(record.path).name for record in records)
        self._audit.record(principal, "test_shot", camera_id, names)
        return records

    @internal
    def report_fault(self, camera_id: str, detail: str) -> None:
        """Show a known camera as failed (state ERROR) for a reason found outside its worker,
        such as its schedule failing."""
        with self._lock:
            known = camera_id in self._workers
        if known:
            self._set_state(camera_id, CameraState.ERROR, detail)

    @internal
    def clear_fault(self, camera_id: str, detail: str) -> None:
        """Undo ``report_fault(camera_id, detail)`` unless the camera reported since."""
        with self._lock:
            current = self._status.get(camera_id)
        if current == CameraStatus(CameraState.ERROR, detail):
            self._set_state(camera_id, CameraState.IDLE, "")

    @reads
    def device_settings(self, camera_id: str) -> list[CameraSetting]:
        """The settings the camera itself offers, read on its worker thread."""
        return self.run(camera_id, lambda device: list(device.settings()))

    @requires(Permission.CAMERA_SETTINGS)
    def set_device_setting(
        self, principal: Principal, camera_id: str, name: str, value: str
    ) -> CameraSetting:
        """Change one of the camera's own settings (a value from its choices). Raises
        ``InvalidInput`` naming the setting when the camera refuses it."""
        try:
            setting = self.run(camera_id, lambda device: device.set_setting(name, value))
        except EyepiError as err:
            self._audit.record(principal, "camera_setting", camera_id, f"{name}: {err}", ok=False)
            raise
        self._audit.record(principal, "camera_setting", camera_id, f"{name} = {setting.value}")
        return setting

    @internal
    def run(self, camera_id: str, work: Callable[[CameraDevice], T]) -> T:
        """Run ``work(device)`` on the camera's worker thread and wait for its result."""
        return self._answer(camera_id, self._worker(camera_id).submit(work))

    @internal
    def hub(self, camera_id: str) -> FrameHub:
        """The camera's live view (see services.frame_hub)."""
        return self._worker(camera_id).hub

    @reads
    def latest_problem(self, camera_id: str) -> str | None:
        """Why the camera's latest view was not updated by its last capture, or None."""
        return self._writer.latest_problem(camera_id)

    @reads
    def focus_check(self, camera_id: str) -> FocusChecked | None:
        """How the camera's last capture scored against its locked focus, if it is locked."""
        with self._lock:
            return self._focus_checks.get(camera_id)

    def _live_interval(self) -> float:
        return 1.0 / self._config.current().preview.max_fps

    def _answer(self, camera_id: str, pending: Future[T]) -> T:
        """The worker's result, waited for up to the capture timeout (plus 5 s)."""
        timeout = self._config.current().capture_timeout_s
        try:
            return pending.result(timeout + 5)
        except TimeoutError as err:
            raise CameraFault(f"camera {camera_id} did not answer within {timeout:.0f} s") from err

    @internal
    def check_timeouts(self) -> None:
        """Mark cameras whose current command runs longer than the capture timeout."""
        timeout = self._config.current().capture_timeout_s
        for worker in list(self._workers.values()):
            since = worker.busy_since
            if since is not None and time.monotonic() - since > timeout:
                current = self._status.get(worker.info.camera_id)
                if current is None or current.state is not CameraState.ERROR:
                    self._set_state(
                        worker.info.camera_id,
                        CameraState.ERROR,
                        f"capture timed out after {timeout:.0f} s",
                    )

    def _capture(
        self, worker: CameraWorker, device: CameraDevice, scheduled_at: float | None
    ) -> list[CaptureRecord]:
        info = worker.info
        station = self._config.current()
        settings = station.camera(info.camera_id)
        width, height = settings.size
        request = StillRequest(width, height, settings.formats, settings.jpeg_quality)
        started, taken_at = time.monotonic(), self._clock.now()
        try:
            still = device.capture_still(request)
            if time.monotonic() - started > station.capture_timeout_s:
                raise CameraFault(
                    f"capture took longer than {station.capture_timeout_s:.0f} s; discarded"
                )
            reading = self._focus_reading(still, settings.focus_lock, worker.hub.roi)
            ctx = CaptureContext(
                station.station_name,
                info,
                settings,
                scheduled_at,
                taken_at,
                self._config.tz(),
                reading,
            )
            records = self._writer.save(still, ctx)
        except EyepiError as err:
            self._bus.publish(CaptureFailed(info.camera_id, scheduled_at, str(err)))
            raise
        if reading is not None and reading.reference is not None and settings.focus_lock:
            self._focus_checked(info.camera_id, reading, settings.focus_lock.drift_fraction)
        paths = tuple(r.path for r in records)
        self._bus.publish(
            CaptureDone(info.camera_id, scheduled_at, taken_at, paths, scheduled_at is None)
        )
        return records

    @staticmethod
    def _focus_reading(still: StillImage, lock: FocusLock | None, roi: Roi) -> FocusReading | None:
        """The still's focus score over the locked region (else the live view's region)."""
        from eyepi_gui.domain import focus  # numpy and cv2 stay out of start-up

        region = make_roi(lock.roi) if lock else roi
        score = focus.still_score(still.files, region)
        if score is None:
            return None
        if lock is None:
            return FocusReading(score, region)
        drifted = score < lock.reference * lock.drift_fraction
        return FocusReading(score, region, lock.reference, drifted)

    def _focus_checked(self, camera_id: str, reading: FocusReading, fraction: float) -> None:
        assert reading.reference is not None
        check = FocusChecked(camera_id, reading.score, reading.reference, fraction, reading.drifted)
        with self._lock:
            self._focus_checks[camera_id] = check
        self._bus.publish(check)

    def _worker(self, camera_id: str) -> CameraWorker:
        with self._lock:
            worker = self._workers.get(camera_id)
        if worker is None:
            raise NotFound(f"no camera {camera_id!r}")
        return worker

    def _set_state(self, camera_id: str, state: CameraState, detail: str) -> None:
        with self._lock:
            before = self._status.get(camera_id)
            self._status[camera_id] = CameraStatus(state, detail)
        if before != CameraStatus(state, detail):
            previous = before.state.value if before else ""
            self._bus.publish(CameraStateChanged(camera_id, state.value, detail, previous))
