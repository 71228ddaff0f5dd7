"""Focusing a camera: its live view, the region the score is measured over, the lens, and
locking focus so that drift is caught in the captures that follow."""

from __future__ import annotations

from datetime import datetime

from pydantic import ValidationError

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import FocusDirection, FocusStep, FocusSupport
from eyepi_gui.domain.roi import Roi, make_roi
from eyepi_gui.domain.score_trail import ScorePoint
from eyepi_gui.errors import CameraFault, EyepiError, InvalidInput
from eyepi_gui.ports import CameraDevice, Clock
from eyepi_gui.services.access import AccessControl, reads, requires
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.frame_hub import LiveFrame, Watch
from eyepi_gui.settings import FocusLock, invalid_from

DEFAULT_DRIFT_FRACTION = 0.7


class FocusService:
    """Everything the Focus tab (and the remote live view) does. Live frames come from the
    camera's frame hub; lens moves run on the camera's worker, after any capture."""

    def __init__(
        self,
        cameras: CameraService,
        config: SettingsService,
        access: AccessControl,
        audit: AuditLog,
        clock: Clock,
    ) -> None:
        self.access = access
        self._cameras = cameras
        self._config = config
        self._audit = audit
        self._clock = clock

    @reads
    def watch(self, camera_id: str, *, peaking: bool = False) -> Watch:
        """Start watching a camera's live view; close the watch when done."""
        return self._cameras.hub(camera_id).watch(peaking=peaking)

    @reads
    def latest(self, camera_id: str) -> LiveFrame | None:
        """The newest live frame, if one was grabbed since the station started."""
        return self._cameras.hub(camera_id).latest

    @reads
    def problem(self, camera_id: str) -> str:
        """Why the live view gives no frames ("" while it does)."""
        return self._cameras.hub(camera_id).problem

    @reads
    def roi(self, camera_id: str) -> Roi:
        """The region the live score is measured over."""
        return self._cameras.hub(camera_id).roi

    @reads
    def recent_scores(self, camera_id: str, after: float | None = None) -> list[ScorePoint]:
        """The live score over the current region in the last minute (at most four points a
        second), newer than ``after`` (epoch seconds): what a remote page draws as a trend."""
        return self._cameras.hub(camera_id).trail(after)

    @requires(Permission.FOCUS)
    def set_roi(self, principal: Principal, camera_id: str, roi: Roi) -> Roi:
        """Measure the live score over ``roi`` from the next frame on (shared by viewers).
        Raises ``InvalidInput("roi")`` for a region not inside the frame."""
        checked = make_roi(roi.as_tuple())
        self._cameras.hub(camera_id).set_roi(checked)
        return checked

    @reads
    def support(self, camera_id: str) -> FocusSupport:
        """What the camera offers for focusing."""
        return self._cameras.run(camera_id, lambda device: device.focus_support())

    @requires(Permission.FOCUS)
    def drive(
        self, principal: Principal, camera_id: str, direction: FocusDirection, step: FocusStep
    ) -> None:
        """Move the lens one step; returns once it moved (a capture in progress goes first)."""
        self._cameras.run(camera_id, lambda device: device.drive_focus(direction, step))

    @requires(Permission.FOCUS)
    def autofocus(self, principal: Principal, camera_id: str) -> None:
        """Run the camera's autofocus once."""
        self._cameras.run(camera_id, lambda device: device.autofocus())
        self._audit.record(principal, "autofocus", camera_id)

    @requires(Permission.FOCUS)
    def set_live_zoom(
        self, principal: Principal, camera_id: str, level: int, centre: tuple[float, float]
    ) -> None:
        """Use the camera's own live-view magnification (a Canon's 5x and 10x). Level 1 (the
        whole frame) is always accepted: a camera without a zoom is never zoomed in."""
        cx, cy = centre
        if not (0.0 <= cx <= 1.0 and 0.0 <= cy <= 1.0):
            raise InvalidInput("centre", "give the centre as fractions of the frame, 0 to 1")

        def zoom(device: CameraDevice) -> None:
            if level != 1 or device.focus_support().live_zoom:
                device.set_live_zoom(level, centre)

        self._cameras.run(camera_id, zoom)

    @requires(Permission.FOCUS)
    def lock(
        self,
        principal: Principal,
        camera_id: str,
        drift_fraction: float = DEFAULT_DRIFT_FRACTION,
    ) -> FocusLock:
        """Take a reference still now and keep its score over the live region as the
        reference: later captures scoring below ``drift_fraction`` of it raise a warning."""
        roi = self._cameras.hub(camera_id).roi
        self._check_fraction(camera_id, roi, drift_fraction)
        try:
            records = self._cameras.test_shot(principal, camera_id)
            score = next((r.focus_score for r in records if r.focus_score is not None), None)
            if not score:
                raise CameraFault("the reference still has no detail to score in the region")
            when = datetime.fromtimestamp(self._clock.now(), self._config.tz())
            lock = {
                "reference": score,
                "roi": roi.as_tuple(),
                "drift_fraction": drift_fraction,
                "locked_at": when.isoformat(timespec="seconds"),
            }
            saved = self._config.update_camera(principal, camera_id, {"focus_lock": lock})
        except EyepiError as err:
            self._audit.record(principal, "focus_lock", camera_id, str(err), ok=False)
            raise
        assert saved.focus_lock is not None
        detail = f"reference {score:.1f}, warns below {drift_fraction:.0%}"
        self._audit.record(principal, "focus_lock", camera_id, detail)
        return saved.focus_lock

    @staticmethod
    def _check_fraction(camera_id: str, roi: Roi, drift_fraction: float) -> None:
        """Refuse a bad fraction before the reference still is taken, by the settings' rule."""
        try:
            FocusLock(reference=1.0, roi=roi.as_tuple(), drift_fraction=drift_fraction)
        except ValidationError as err:
            raise invalid_from(err, f"cameras.{camera_id}.focus_lock") from err

    @requires(Permission.FOCUS)
    def unlock(self, principal: Principal, camera_id: str) -> None:
        """Forget the reference: no more drift warnings for this camera. ``NotFound`` for a
        camera the station does not have (its settings would be written otherwise)."""
        self._cameras.hub(camera_id)
        self._config.update_camera(principal, camera_id, {"focus_lock": None})
        self._audit.record(principal, "focus_unlock", camera_id)
