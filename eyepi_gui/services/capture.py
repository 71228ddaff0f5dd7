"""The capture scheduler: clock-aligned slots per camera, gaps logged, never a burst."""

from __future__ import annotations

import threading
from concurrent.futures import Future
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from eyepi_gui.domain import schedule
from eyepi_gui.domain.events import (
    CaptureGap,
    CaptureScheduled,
    Event,
    SettingsChanged,
    StorageAlert,
)
from eyepi_gui.errors import Busy, CameraFault, EyepiError, NotFound, Unavailable
from eyepi_gui.ports import CaptureIndex, Clock, VolumeProbe
from eyepi_gui.services.access import internal, reads
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus

MAX_SLEEP_S = 1.0
"""Longest wait between wake-ups: bounds how late a clock jump or a timeout is noticed."""


@dataclass
class _Plan:
    next_due: float
    held: int = 0  # slots skipped while capture was paused for disk space


class CaptureScheduler:
    """Dispatches each camera's slots to its worker; a busy or hung camera only loses its own
    slots. ``step`` is the whole policy and is driven by a fake clock in tests."""

    def __init__(
        self,
        cameras: CameraService,
        config: SettingsService,
        index: CaptureIndex,
        clock: Clock,
        bus: EventBus,
        volume: VolumeProbe,
        images: Path,
    ) -> None:
        self._cameras, self._config, self._index = cameras, config, index
        self._clock, self._bus, self._volume, self._images = clock, bus, volume, images
        self._plans: dict[str, _Plan] = {}
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

    def _loop(self) -> None:
        while not self._stop.is_set():
            wake_at = self.step(self._clock.now())
            self._clock.wait(min(wake_at - self._clock.now(), MAX_SLEEP_S))

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
            for camera_id, plan in self._plans.items():
                self._step_camera(camera_id, plan, now, space_ok)
            return min((p.next_due for p in self._plans.values()), default=now + MAX_SLEEP_S)

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
        if decision.dispatch is None:
            return
        if not space_ok:
            plan.held += 1
            return
        if plan.held:
            self._gap(
                camera_id,
                decision.dispatch,
                now,
                plan.held,
                "capture was paused: disk below the free-space floor",
            )
            plan.held = 0
        try:
            future = self._cameras.capture(camera_id, decision.dispatch)
        except Busy as err:
            self._gap(camera_id, decision.dispatch, decision.dispatch, 1, str(err))
        except EyepiError:
            pass  # the camera service already reported it as a failed capture
        else:
            future.add_done_callback(partial(self._offline_gap, camera_id, decision.dispatch))

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
        enabled = {
            c.camera_id for c in self._cameras.cameras() if self._config.camera(c.camera_id).enabled
        }
        for camera_id in set(self._plans) - enabled:
            del self._plans[camera_id]
        for camera_id in sorted(enabled - set(self._plans)):
            plan = self._plans[camera_id] = _Plan(self._first_due(camera_id, now, resume))
            self._announce(camera_id, plan.next_due)

    def _announce(self, camera_id: str, next_due: float) -> None:
        settings, tz = self._config.camera(camera_id), self._config.tz()
        when = f"{schedule.local(next_due, tz):%Y-%m-%d %H:%M:%S}"
        self._bus.publish(
            CaptureScheduled(camera_id, next_due, when, settings.interval_s, settings.window)
        )

    def _first_due(self, camera_id: str, now: float, resume: bool) -> float:
        settings = self._config.camera(camera_id)
        window, tz, interval = settings.daily_window, self._config.tz(), settings.interval_s
        last = self._index.latest(camera_id) if resume else None
        if last and last.scheduled_at and now - 7 * 86400 < last.scheduled_at < now:
            return schedule.next_slot(last.scheduled_at + interval / 2, interval, window, tz)
        return schedule.next_slot(now, interval, window, tz)

    def _check_space(self) -> bool:
        floor = self._config.current().free_space_floor_mib * 2**20
        free = self._volume.free_bytes(self._images)
        low = free < floor
        if low != self._paused:
            self._paused = low
            self._bus.publish(StorageAlert(free, floor, low))
        return not low

    def _on_event(self, event: Event) -> None:
        """Settings changes apply at once: affected cameras line up again from now."""
        if not isinstance(event, SettingsChanged):
            return
        with self._lock:
            if event.section == "station":
                self._plans.clear()
            else:
                self._plans.pop(event.section.removeprefix("cameras."), None)
            self._sync_plans(self._clock.now(), resume=False)
        self._clock.wake()
