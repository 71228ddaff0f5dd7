"""Retention (off by default): keep room on the data disk by deleting the oldest images that
were exported and verified (``domain.retention`` has the rule, ``services.retention_run``
one run).

When on, a light check runs each ``CHECK_EVERY_S`` on a thread of its own (started with the
station, after the kiosk's first paint), at once when capture pauses at the floor, when an
export ends and when the ``[retention]`` settings change; it runs only when free space is
below ``keep_free_mib`` (after a run that could not free enough, every ``AFTER_SHORTFALL_S``).
Admins also run it on demand, as a "retention" job (cancellable). Every deletion is logged
(structured log and state.db) and listed, newest first; ``preview`` is the dry run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.events import (
    Event,
    JobChanged,
    RetentionFreed,
    SettingsChanged,
    StorageAlert,
)
from eyepi_gui.domain.jobs import JobState, JobView
from eyepi_gui.domain.retention import (
    RETENTION_JOB,
    DeletedImage,
    RetentionPlan,
    RetentionRun,
    outcome,
)
from eyepi_gui.domain.sizes import MIB, mib
from eyepi_gui.errors import EyepiError, InvalidInput
from eyepi_gui.services.access import AccessControl, internal, reads, requires
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.job_context import JobCancelled, JobContext
from eyepi_gui.services.jobs import JobService
from eyepi_gui.services.retention_run import Deletion, RunParts, choose, relative
from eyepi_gui.settings.retention import RetentionSettings

_log = logging.getLogger("eyepi.retention")
CHECK_EVERY_S = 60.0
AFTER_SHORTFALL_S = 900.0
"""Seconds between checks after a run that could not free enough (events still wake it):
a full look through the index each minute would gain nothing."""
AUTOMATIC = "station"
"""Who started an automatic run, as runs and events name it."""
DELETED_MAX = 200
"""The most deletions one page of the list holds."""


@dataclass(frozen=True)
class RetentionStatus:
    """Retention's settings, the data disk now (bytes) and the last run (None: never)."""

    settings: RetentionSettings
    free_bytes: int
    floor_bytes: int
    last_run: RetentionRun | None


class RetentionService:
    """Retention's settings, dry run, runs (automatic and on demand) and deletion log."""

    def __init__(
        self,
        parts: RunParts,
        config: SettingsService,
        jobs: JobService,
        bus: EventBus,
        access: AccessControl,
        check_every_s: float = CHECK_EVERY_S,
    ) -> None:
        self._parts, self._config, self._jobs, self._bus = parts, config, jobs, bus
        self.access, self._every_s = access, check_every_s
        self._running = threading.Lock()
        self._wake, self._stop = threading.Event(), threading.Event()
        self._thread: threading.Thread | None = None
        self._automatic: JobContext | None = None
        self._unsubscribe: Callable[[], None] | None = None

    @reads
    def status(self) -> RetentionStatus:
        space = self._parts.space
        last = self._parts.records.last_run()
        return RetentionStatus(self._settings(), space.free_bytes(), space.floor_bytes(), last)

    @requires(Permission.STATION_SETTINGS)
    def update(self, principal: Principal, changes: dict[str, Any]) -> RetentionSettings:
        """Change the keys of ``[retention]`` that ``changes`` names (saved in station.toml,
        audited). Raises InvalidInput naming the field ("retention.keep_free_mib")."""
        updated = self._config.update_station(principal, {"retention": changes})
        return updated.retention

    @reads
    def preview(self) -> RetentionPlan:
        """The dry run: what a run would delete now (oldest first; paths relative to the
        home), what free space that leaves, and why it would not be enough (``shortfall``).
        Computed as if retention were on; nothing is deleted."""
        settings = self._settings()
        chosen = choose(self._parts, settings.keep_free_mib * MIB, settings.min_age_days)
        home = self._parts.home
        shown = tuple(
            replace(c, record=replace(c.record, path=relative(c.record, home)))
            for c in chosen.chosen
        )
        return replace(chosen, chosen=shown)

    @requires(Permission.STATION_SETTINGS)
    def run_now(self, principal: Principal) -> JobView:
        """Run retention now as a job (cancellable); Busy while one runs. Raises
        InvalidInput ("retention.enabled") while retention is off: off deletes nothing."""
        if not self._settings().enabled:
            raise InvalidInput("retention.enabled", "retention is off: turn it on to run it")
        work = partial(self._as_job, by=principal.label)
        return self._jobs.start(principal, RETENTION_JOB, "Retention", work, target="data disk")

    @reads
    def deleted(self, limit: int = 50, before_id: int | None = None) -> list[DeletedImage]:
        """Images retention deleted, newest first, at most ``limit`` (up to DELETED_MAX);
        ``before_id`` (an ``entry_id``) continues from a previous page."""
        return self._parts.records.deleted(max(1, min(limit, DELETED_MAX)), before_id)

    @internal
    def check(self) -> RetentionRun | None:
        """The automatic check: when retention is on and free space is below
        ``keep_free_mib``, a run (returned); else, while another run goes, or when ``stop``
        cut the run short (recorded as cancelled), None."""
        settings = self._settings()
        if not settings.enabled or self._stop.is_set():
            return None
        if self._parts.space.free_bytes() >= settings.keep_free_mib * MIB:
            return None
        if not self._running.acquire(blocking=False):
            return None
        self._automatic = ctx = JobContext(self._parts.clock, lambda: None)
        try:
            return self._run(AUTOMATIC, settings, ctx)
        except JobCancelled:
            return None
        finally:
            self._automatic = None
            self._running.release()

    @internal
    def start(self) -> None:
        """Start the periodic check (and listen for a pause at the floor)."""
        if self._thread is not None:
            return
        self._unsubscribe = self._bus.subscribe(self._on_event)
        self._thread = threading.Thread(target=self._loop, name="retention", daemon=True)
        self._thread.start()

    @internal
    def stop(self) -> None:
        """End the periodic check; an automatic run going on stops before its next image."""
        self._stop.set()
        self._wake.set()
        if (automatic := self._automatic) is not None:
            automatic.request_cancel("cancelled: the station stopped")
        if self._unsubscribe is not None:
            self._unsubscribe()
        if self._thread is not None:
            self._thread.join(10.0)

    def _settings(self) -> RetentionSettings:
        return self._config.current().retention

    def _loop(self) -> None:
        """Check every ``check_every_s``; after a run that could not free enough, only every
        ``AFTER_SHORTFALL_S`` until something may have changed that (an event wakes it)."""
        short = False  # the last run could not free enough
        while not self._stop.is_set():
            self._wake.wait(AFTER_SHORTFALL_S if short else self._every_s)
            self._wake.clear()
            if self._stop.is_set():
                return
            try:
                run = self.check()
            except Exception:
                _log.exception("retention check failed", extra={"event": "retention_failed"})
                continue
            short = run is not None and run.outcome.startswith("not enough")

    def _on_event(self, event: Event) -> None:
        """Wake the check at once: capture paused at the floor, ``[retention]`` changed, or
        an export ended (more images may go now)."""
        paused = isinstance(event, StorageAlert) and event.paused
        changed = isinstance(event, SettingsChanged) and any(
            path.startswith("retention") for path in event.changed
        )
        exported = (
            isinstance(event, JobChanged)
            and event.view.kind.name == "export"
            and event.view.state is JobState.DONE
        )
        if paused or changed or exported:
            self._wake.set()

    def _as_job(self, ctx: JobContext, by: str) -> str:
        while not self._running.acquire(timeout=0.1):
            ctx.check()
        try:
            ctx.stage("choosing")
            run = self._run(by, self._settings(), ctx)
        finally:
            self._running.release()
        return _summary(run)

    def _run(self, by: str, settings: RetentionSettings, ctx: JobContext) -> RetentionRun:
        """One run started by ``by``, reporting to and stopped by ``ctx`` (its job's, or the
        automatic check's own). What went before a failure or a cancel stays gone, logged."""
        parts, keep_free = self._parts, settings.keep_free_mib * MIB
        started = parts.clock.now()
        chosen = choose(parts, keep_free, settings.min_age_days)
        ctx.set_totals(items=len(chosen.chosen), bytes=chosen.freed)
        ctx.stage("deleting")
        deletion = Deletion(parts, keep_free, ctx)
        result = outcome(chosen)
        try:
            deletion.run(chosen)
        except JobCancelled:
            reason = ctx.reason or "cancelled"
            result = reason if reason.startswith("cancelled") else f"cancelled: {reason}"
            raise
        except Exception as err:
            result = f"failed: {err}" if isinstance(err, EyepiError) else "failed: unexpected"
            raise
        finally:
            run = self._finish(by, started, chosen, deletion.deleted, result)
        return run

    def _finish(
        self,
        by: str,
        started: float,
        chosen: RetentionPlan,
        deleted: list[DeletedImage],
        result: str,
    ) -> RetentionRun:
        parts = self._parts
        freed = sum(image.bytes for image in deleted)
        run = RetentionRun(
            by,
            started,
            parts.clock.now(),
            chosen.free_now,
            parts.space.free_bytes(),
            len(deleted),
            freed,
            result,
        )
        parts.records.set_last_run(run)
        if deleted:
            self._bus.publish(RetentionFreed(len(deleted), freed, by))
            parts.clock.wake()  # the scheduler looks at the space again: capture resumes
        return run


def _summary(run: RetentionRun) -> str:
    images = f"{run.deleted} image{'s' * (run.deleted != 1)}"
    said = f"deleted {images} ({mib(run.bytes)}); {mib(run.free_after)} free"
    return said if run.outcome in ("done", "nothing to do") else f"{said}; {run.outcome}"
