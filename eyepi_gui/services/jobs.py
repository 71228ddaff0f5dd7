"""Long-running work of the station (USB export, rescans): one list of jobs for every frontend.

A service starts a job with a work function ``work(ctx) -> summary`` that runs on one of a
few worker threads (``WORKERS``; more jobs wait queued). Work reports progress and checks
for cancellation through its ``JobContext`` (see services.job_context for how often).
The list lives in the station process, so a page reload or a second frontend sees the same
jobs; finished ones are kept (the last ``KEEP_FINISHED``) with their result or error.
Every change goes out as a ``JobChanged`` event.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from eyepi_gui.domain.access import Principal
from eyepi_gui.domain.events import JobChanged
from eyepi_gui.domain.jobs import JobKind, JobProgress, JobState, JobView
from eyepi_gui.errors import Busy, EyepiError, NotFound, Unavailable
from eyepi_gui.ports import Clock
from eyepi_gui.services.access import AccessControl, checks_itself, internal, reads
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.job_context import JobCancelled, JobContext

_log = logging.getLogger("eyepi.jobs")

Work = Callable[[JobContext], str]
"""A job's work: runs on a worker thread, returns a one-line summary of what it did."""
WORKERS = 2
"""Jobs running at once; the station has few cores and its captures come first."""
KEEP_FINISHED = 50
STOP_WAIT_S = 5.0
"""How long ``stop`` waits (s) for cancelled work to return."""
UNEXPECTED = "{name} (unexpected; the station log has the details)"


@dataclass(eq=False)
class _Job:
    """A job's record; fields change under the service's lock, events go out under ``told``
    so that they leave in the order of the changes."""

    view: JobView
    target: str
    work: Work
    ctx: JobContext
    told: threading.RLock = field(default_factory=threading.RLock)


class JobService:
    """Starts, lists and cancels jobs. Never blocks a caller on work: ``start`` returns the
    queued job at once."""

    def __init__(
        self, bus: EventBus, access: AccessControl, clock: Clock, workers: int = WORKERS
    ) -> None:
        self._bus, self.access, self._clock = bus, access, clock
        self._workers = workers
        self._lock = threading.Lock()
        self._jobs: dict[str, _Job] = {}
        self._queue: list[_Job] = []
        self._threads: set[threading.Thread] = set()
        self._ended: dict[str, None] = {}
        """Finished jobs' ids, oldest first."""
        self._stopping = False

    @checks_itself
    def start(
        self, principal: Principal, kind: JobKind, title: str, work: Work, *, target: str = ""
    ) -> JobView:
        """Queue ``work`` as a job of ``kind`` (needs the kind's permission) and return it.
        Busy when the kind is exclusive and a job of it for ``target`` is not finished;
        Unavailable once the station is stopping."""
        self.access.authorize(principal, kind.permission)
        view = JobView(
            secrets.token_hex(6),
            kind,
            title,
            principal.label,
            JobState.QUEUED,
            JobProgress(),
            self._clock.now(),
        )
        job = _Job(view, target, work, JobContext(self._clock, lambda: self._tell(job, False)))
        with job.told:
            with self._lock:
                self._admit(job)
                thread = self._worker_needed()
            self._tell(job, True)
        if thread is not None:
            thread.start()
        return self._view(job)

    def _admit(self, job: _Job) -> None:
        if self._stopping:
            raise Unavailable("the station is stopping; no new jobs")
        kind = job.view.kind
        if kind.exclusive:
            for other in self._jobs.values():
                same = other.view.kind == kind and other.target == job.target
                if same and not other.view.state.finished:
                    raise Busy(f"{other.view.title} is still going; wait for it or cancel it")
        self._jobs[job.view.job_id] = job
        self._queue.append(job)

    def _worker_needed(self) -> threading.Thread | None:
        if len(self._threads) >= self._workers:
            return None
        thread = threading.Thread(target=self._worker, name="job-worker", daemon=True)
        self._threads.add(thread)
        return thread

    @checks_itself
    def cancel(self, principal: Principal, job_id: str) -> JobView:
        """Ask job ``job_id`` to stop (needs its kind's permission; admins hold every one).
        A queued job is cancelled at once, a running one at its work's next check (within a
        second; work that returns before that check ends done); a finished job is returned
        as it is."""
        job = self._find(job_id)
        self.access.authorize(principal, job.view.kind.permission)
        self._cancel(job, f"cancelled by {principal.label}")
        return self._view(job)

    def _cancel(self, job: _Job, reason: str) -> None:
        if not job.ctx.request_cancel(reason):
            return
        with job.told:
            with self._lock:
                queued = job.view.state is JobState.QUEUED
                if queued:
                    self._queue.remove(job)
                    self._end(job, JobState.CANCELLED, error=reason)
            if queued:
                self._tell(job, True)

    @reads
    def jobs(self) -> list[JobView]:
        """Every job not finished and the last finished ones, newest first."""
        with self._lock:
            records = list(self._jobs.values())
        return [self._view(job) for job in reversed(records)]

    @reads
    def job(self, job_id: str) -> JobView:
        """One job; NotFound when there is none of that id (or it was dropped long ago)."""
        return self._view(self._find(job_id))

    @internal
    def stop(self, timeout_s: float = STOP_WAIT_S) -> bool:
        """Refuse new jobs, cancel every job and wait up to ``timeout_s`` for the workers.
        True when every worker ended (work that never checks is left behind, logged)."""
        with self._lock:
            self._stopping = True
            jobs = [job for job in self._jobs.values() if not job.view.state.finished]
            threads = list(self._threads)
        for job in jobs:
            self._cancel(job, "cancelled: the station stopped")
        deadline = time.monotonic() + timeout_s
        for thread in threads:
            if thread.ident is not None:  # one made by a start() still on its way is not
                thread.join(max(0.0, deadline - time.monotonic()))
        left = [thread for thread in threads if thread.is_alive()]
        if left:
            _log.warning(
                "%d job(s) did not stop within %.0f s",
                len(left),
                timeout_s,
                extra={"event": "jobs_stop_timeout"},
            )
        return not left

    def _worker(self) -> None:
        while (job := self._next()) is not None:
            self._run(job)

    def _next(self) -> _Job | None:
        """The oldest queued job, now running; None (and this worker ends) when none waits."""
        while True:
            with self._lock:
                if not self._queue:
                    self._threads.discard(threading.current_thread())
                    return None
                job = self._queue.pop(0)
            with job.told:
                with self._lock:
                    if job.view.state is not JobState.QUEUED:
                        continue
                    job.view = replace(job.view, state=JobState.RUNNING)
                job.ctx.begin()
                self._tell(job, True)
            return job

    def _run(self, job: _Job) -> None:
        state, result, error = JobState.DONE, "", ""
        try:
            result = job.work(job.ctx)
        except JobCancelled:
            state, error = JobState.CANCELLED, job.ctx.reason
        except EyepiError as err:
            state, error = JobState.FAILED, str(err)
        except Exception as err:  # a bug in the work: the job says so, the log has the rest
            _log.exception("job %s failed", job.view.job_id, extra={"event": "job_crashed"})
            state, error = JobState.FAILED, UNEXPECTED.format(name=type(err).__name__)
        with job.told:
            with self._lock:
                self._end(job, state, result, error)
            self._tell(job, True)

    def _end(self, job: _Job, state: JobState, result: str = "", error: str = "") -> None:
        """Under the lock: the job finished now; the oldest finished beyond KEEP_FINISHED go."""
        job.view = replace(
            job.view,
            state=state,
            progress=job.ctx.progress(),
            ended_at=self._clock.now(),
            result=result,
            error=error,
        )
        self._ended[job.view.job_id] = None
        while len(self._ended) > KEEP_FINISHED:
            oldest = next(iter(self._ended))
            del self._ended[oldest], self._jobs[oldest]

    def _find(self, job_id: str) -> _Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise NotFound(f"no job {job_id[:40]!r}; finished jobs are kept only for a while")
        return job

    def _view(self, job: _Job) -> JobView:
        """The job now; a finished job's progress as it was when it ended."""
        with self._lock:
            view = job.view
        return view if view.state.finished else replace(view, progress=job.ctx.progress())

    def _tell(self, job: _Job, state_changed: bool) -> None:
        with job.told:
            self._bus.publish(JobChanged(self._view(job), state_changed))
