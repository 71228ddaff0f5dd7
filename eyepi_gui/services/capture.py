"""The capture scheduler: clock-aligned slots per camera, gaps logged, never a burst."""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial

from eyepi_gui.domain import schedule
from eyepi_gui.domain.events import (
    CaptureGap,
    CaptureScheduled,
    Event,
    SettingsChanged,
    StorageAlert,
)
from eyepi_gui.errors import (
    Busy,
    CameraFault,
    EyepiError,
    NotFound,
    StorageError,
    Unavailable,
)
from eyepi_gui.ports import CaptureIndex, Clock
from eyepi_gui.services.access import internal, reads
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.schedule_faults import ScheduleFaults
from eyepi_gui.services.space import FreeSpace
from eyepi_gui.services.station_activity import StationActivity

_log = logging.getLogger("eyepi.capture")
MAX_SLEEP_S = 1.0
"""Longest wait between wake-ups: bounds how late a clock jump or a timeout is noticed."""
STEP_RETRY_S = 5.0
"""After a step failed unexpectedly as a whole, the loop waits this long and goes on."""


@dataclass
class _Plan:
    next_due: float
    held: int = 0  # slots skipped while capture was paused for disk space


class CaptureScheduler:
    """Dispatches each camera's slots to its worker; a busy or hung camera only loses its own
    slots. ``step`` is the whole policy and is driven by a fake clock in tests.

    No camera's failure stops another's schedule: anything one camera's part of a step raises
    (its settings, its plan, its dispatch) is logged, the camera is shown as failed and
    planned afresh after ``CAMERA_RETRY_S`` (see services.schedule_faults); the others stay
    on time. The loop survives whatever a step raises."""

    def __init__(
        self,
        cameras: CameraService,
        config: SettingsService,
        index: CaptureIndex,
        clock: Clock,
        bus: EventBus,
        space: FreeSpace,
        activity: StationActivity | None = None,
    ) -> None:
        self._cameras, self._config, self._index = cameras, config, index
        self._activity = activity  # told at every step which cameras have a schedule
        self._clock, self._bus, self._space = clock, bus, space
        self._plans: dict[str, _Plan] = {}
        self._faults = ScheduleFaults(cameras)
        self._lock = threading.RLock()
        self._stop = threading.Event()
        self._paused = False
        self._thread: threading.Thread | None = None
        bus.subscribe(self._on_event)

    @internal
    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="capture-scheduler", daemon=True)
        self._thread.start()

    @internal
    def stop(self) -> None:
        self._stop.set()
        self._clock.wake()
        if self._thread is not None:
            self._thread.join()
        if self._activity is not None:
            self._activity.stop(self._clock.now())

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._clock.wait(self._guarded_step())

    def _guarded_step(self) -> float:
        """One step; returns how long to wait (s). A step that fails is logged, not fatal."""
        try:
            wake_at = self.step(self._clock.now())
        except Exception:
            _log.exception("capture scheduler step failed", extra={"event": "scheduler_failed"})
            return STEP_RETRY_S
        return min(wake_at - self._clock.now(), MAX_SLEEP_S)

    @property
    def paused(self) -> bool:
        """True while capture is paused because free space is below the floor."""
        return self._paused

    @reads
    def next_capture(self, camera_id: str) -> float | None:
        """When the camera's next slot is due (epoch s), or None when it is disabled."""
        with self._lock:
            plan = self._plans.get(camera_id)
            return plan.next_due if plan else None

    @internal
    def step(self, now: float) -> float:
        """Dispatch every slot due at ``now``; returns when the next one is due."""
        self._cameras.check_timeouts()
        space_ok = self._check_space()
        with self._lock:
            self._sync_plans(now)
            for camera_id, plan in list(self._plans.items()):
                self._faults.run(camera_id, now, self._step_camera, plan, now, space_ok)
            for camera_id in self._faults.failed():
                self._plans.pop(camera_id, None)
            self._heartbeat(now)
            due = [p.next_due for p in self._plans.values()] + self._faults.retry_times()
            return min(due, default=now + MAX_SLEEP_S)

    def _heartbeat(self, now: float) -> None:
        """Tell the activity record who runs now; its failure never stops capture."""
        if self._activity is None:
            return
        try:
            self._activity.beat(now, list(self._plans))
        except Exception:
            _log.exception("run spans not recorded", extra={"event": "activity_failed"})

    def _step_camera(self, camera_id: str, plan: _Plan, now: float, space_ok: bool) -> None:
        settings = self._config.camera(camera_id)
        tz = self._config.tz()
        decision = schedule.decide(
            plan.next_due,
            now,
            settings.interval_s,
            settings.daily_window,
            tz,
            schedule.grace_for(settings.interval_s),
        )
        plan.next_due = decision.next_due
        if decision.missed:
            self._gap(
                camera_id,
                decision.missed_from,
                now,
                decision.missed,
                "no capture in these slots: the station was asleep, stopped or the clock jumped",
            )
        if decision.dispatch is not None:
            self._dispatch(camera_id, plan, decision.dispatch, now, space_ok)
        self._faults.mended(camera_id)

    def _dispatch(
        self, camera_id: str, plan: _Plan, slot: float, now: float, space_ok: bool
    ) -> None:
        if not space_ok:
            plan.held += 1
            return
        if plan.held:
            reason = "capture was paused: no room above the free-space floor"
            self._gap(camera_id, slot, now, plan.held, reason)
            plan.held = 0
        try:
            future = self._cameras.capture(camera_id, slot)
        except (Busy, StorageError) as err:
            self._gap(camera_id, slot, slot, 1, str(err))
        except EyepiError:
            pass  # the camera service already reported it as a failed capture
        else:
            future.add_done_callback(partial(self._capture_done, camera_id, slot))

    def _capture_done(self, camera_id: str, slot: float, done: Future[object]) -> None:
        """Runs on the camera's worker: a failure here is the camera's alone, too."""
        with self._lock:
            self._faults.run(camera_id, self._clock.now(), self._offline_gap, slot, done)

    def _offline_gap(self, camera_id: str, slot: float, done: Future[object]) -> None:
        """A slot lost because the camera was unplugged or unreachable is a gap."""
        error = None if done.cancelled() else done.exception()
        if isinstance(error, (Unavailable, NotFound)) and not isinstance(error, CameraFault):
            self._gap(camera_id, slot, slot, 1, f"camera offline: {error}")

    def _gap(self, camera_id: str, first: float, last: float, missed: int, reason: str) -> None:
        self._bus.publish(CaptureGap(camera_id, first, last, missed, reason))

    def _sync_plans(self, now: float, resume: bool = True) -> None:
        """Add plans for enabled cameras, drop disabled ones. ``resume`` continues after the
        camera's last capture, so slots missed while the station was stopped are reported."""
        cameras = [c.camera_id for c in self._cameras.cameras()]
        enabled = {c for c in cameras if self._faults.run(c, now, self._wants_plan, now)}
        for camera_id in set(self._plans) - enabled:
            del self._plans[camera_id]
        for camera_id in sorted(enabled - set(self._plans)):
            self._faults.run(camera_id, now, self._plan, now, resume)

    def _wants_plan(self, camera_id: str, now: float) -> bool:
        """Enabled, and not waiting to be tried again after a failure."""
        if self._faults.waiting(camera_id, now):
            return False
        enabled = self._config.camera(camera_id).enabled
        if not enabled:
            self._faults.mended(camera_id)  # a disabled camera has no schedule to fail
        return enabled

    def _plan(self, camera_id: str, now: float, resume: bool) -> None:
        plan = _Plan(self._first_due(camera_id, now, resume))
        self._announce(camera_id, plan.next_due)
        self._plans[camera_id] = plan

    def _announce(self, camera_id: str, next_due: float) -> None:
        settings, tz = self._config.camera(camera_id), self._config.tz()
        when = f"{schedule.local(next_due, tz):%Y-%m-%d %H:%M:%S}"
        self._bus.publish(
            CaptureScheduled(camera_id, next_due, when, settings.interval_s, settings.window)
        )

    def _first_due(self, camera_id: str, now: float, resume: bool) -> float:
        settings = self._config.camera(camera_id)
        window, tz, interval = settings.daily_window, self._config.tz(), settings.interval_s
        try:
            last = self._index.latest(camera_id) if resume else None
        except (Unavailable, StorageError) as err:  # capture goes on without state.db
            _log.warning(
                "%s: last capture unknown (%s); slots from now",
                camera_id,
                err,
                extra={"event": "resume_unknown"},
            )
            last = None
        if last and last.scheduled_at and now - 7 * 86400 < last.scheduled_at < now:
            return schedule.next_slot(last.scheduled_at + interval / 2, interval, window, tz)
        return schedule.next_slot(now, interval, window, tz)

    def _check_space(self) -> bool:
        """Room for the largest camera's next capture above the floor (see services.space).
        When the disk cannot be measured, capture goes on as it was."""
        try:
            problem = self._space.problem()
            free, floor = self._space.free_bytes(), self._space.floor_bytes()
        except EyepiError as err:
            _log.warning("free space unknown: %s", err, extra={"event": "space_unknown"})
            return not self._paused
        low = problem is not None
        if low != self._paused:
            self._paused = low
            self._bus.publish(StorageAlert(free, floor, low, problem or ""))
        return not low

    def _on_event(self, event: Event) -> None:
        """Settings changes apply at once: affected cameras line up again from now (a
        failed one is tried again at once, as the change may have mended it)."""
        if not isinstance(event, SettingsChanged):
            return
        now = self._clock.now()
        with self._lock:
            changed = set(self._plans) | self._faults.failed()
            if event.section != "station":
                changed &= {event.section.removeprefix("cameras.")}
            for camera_id in changed:
                self._plans.pop(camera_id, None)
            self._faults.retry_now(changed, now)
            self._sync_plans(now, resume=False)
            self._heartbeat(now)  # a disabled camera's run ends now, not at the next step
        self._clock.wake()
