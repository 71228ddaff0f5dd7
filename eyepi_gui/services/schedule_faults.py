"""One camera's failure in the capture scheduler stays that camera's: logged, shown, retried."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from eyepi_gui.domain.messages import error_reason
from eyepi_gui.services.cameras import CameraService

_log = logging.getLogger("eyepi.capture")
T = TypeVar("T")
CAMERA_RETRY_S = 60.0
"""A camera whose schedule failed is planned afresh this long after (the others go on)."""


@dataclass(frozen=True)
class _Fault:
    retry_at: float  # epoch s
    detail: str  # what the camera's state says meanwhile


class ScheduleFaults:
    """Cameras whose part of a scheduler step raised. Each failure is logged (the camera id
    escaped), the camera is shown as failed (state ERROR with a plain reason) and left out of
    the schedule until its retry time. Used under the scheduler's lock."""

    def __init__(self, cameras: CameraService) -> None:
        self._cameras = cameras
        self._faults: dict[str, _Fault] = {}

    def run(self, camera_id: str, now: float, work: Callable[..., T], *args: object) -> T | None:
        """``work(camera_id, *args)``; whatever it raises fails this camera alone (None)."""
        try:
            return work(camera_id, *args)
        except Exception as err:
            self.fail(camera_id, now, err)
            return None

    def fail(self, camera_id: str, now: float, err: Exception) -> None:
        retry = f"tries again in {CAMERA_RETRY_S:.0f} s"
        detail = f"its schedule failed ({error_reason(err)}); the station {retry}"
        _log.error(
            "camera %r: schedule failed; the station %s",
            camera_id,
            retry,
            exc_info=err,
            extra={"event": "camera_schedule_failed", "fields": {"camera": camera_id}},
        )
        self._faults[camera_id] = _Fault(now + CAMERA_RETRY_S, detail)
        self._cameras.report_fault(camera_id, detail)

    def waiting(self, camera_id: str, now: float) -> bool:
        """True while the camera failed and its retry time has not come."""
        fault = self._faults.get(camera_id)
        return fault is not None and fault.retry_at > now

    def mended(self, camera_id: str) -> None:
        """The camera's schedule works again (or it was disabled): clear what it showed."""
        fault = self._faults.pop(camera_id, None)
        if fault is not None:
            self._cameras.clear_fault(camera_id, fault.detail)

    def retry_now(self, camera_ids: set[str], now: float) -> None:
        """Try these cameras again at once (their settings changed)."""
        for camera_id in camera_ids & set(self._faults):
            self._faults[camera_id] = _Fault(now, self._faults[camera_id].detail)

    def failed(self) -> set[str]:
        return set(self._faults)

    def retry_times(self) -> list[float]:
        return [fault.retry_at for fault in self._faults.values()]
