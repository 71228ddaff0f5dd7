"""Service events: what happened in the station, as plain data.

Every event is published on the event bus and written as one structured log record.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, ClassVar

from eyepi_gui.domain.sizes import mib

if TYPE_CHECKING:
    from eyepi_gui.domain.jobs import JobView


@dataclass(frozen=True)
class Event:
    """Base of every event. ``kind`` names it in logs; ``level`` is a logging level."""

    kind: ClassVar[str] = "event"

    @property
    def level(self) -> int:
        return logging.INFO

    def fields(self) -> dict[str, object]:
        return asdict(self)

    def message(self) -> str:
        return self.kind


@dataclass(frozen=True)
class CameraStateChanged(Event):
    """A camera's worker moved from ``previous`` to ``state`` (idle, capturing, error, offline)."""

    kind: ClassVar[str] = "camera_state"
    camera_id: str
    state: str
    detail: str
    previous: str

    @property
    def level(self) -> int:
        if self.state in _TROUBLE:
            return logging.WARNING
        return logging.INFO if self.previous in _TROUBLE else logging.DEBUG

    def message(self) -> str:
        suffix = f": {self.detail}" if self.detail else ""
        return f"camera {self.camera_id} is {self.state}{suffix}"


_TROUBLE = ("error", "offline")


@dataclass(frozen=True)
class CaptureDone(Event):
    kind: ClassVar[str] = "capture"
    camera_id: str
    scheduled_at: float | None
    taken_at: float
    paths: tuple[str, ...]
    test_shot: bool

    def message(self) -> str:
        what = "test shot" if self.test_shot else "capture"
        names = ", ".join(PurePosixPath(path).name for path in self.paths)  # no home path
        return f"{what} by {self.camera_id}: {names}"


@dataclass(frozen=True)
class CaptureFailed(Event):
    kind: ClassVar[str] = "capture_failed"
    camera_id: str
    scheduled_at: float | None
    reason: str

    @property
    def level(self) -> int:
        return logging.ERROR

    def message(self) -> str:
        return f"capture by {self.camera_id} failed: {self.reason}"


@dataclass(frozen=True)
class CaptureScheduled(Event):
    """A camera's schedule was set (at start or after a settings change): the first slot is
    ``next_due`` (epoch s), shown as ``local_time`` in the station's zone."""

    kind: ClassVar[str] = "capture_scheduled"
    camera_id: str
    next_due: float
    local_time: str
    interval_s: float
    window: str

    def message(self) -> str:
        return (
            f"{self.camera_id}: next capture at {self.local_time} "
            f"(every {self.interval_s:g} s, window {self.window})"
        )


@dataclass(frozen=True)
class CaptureGap(Event):
    """Slots that passed without a capture: ``missed`` slots from ``first`` to ``last``."""

    kind: ClassVar[str] = "capture_gap"
    camera_id: str
    first: float
    last: float
    missed: int
    reason: str

    @property
    def level(self) -> int:
        return logging.WARNING

    def message(self) -> str:
        return f"{self.camera_id} missed {self.missed} slot(s): {self.reason}"


@dataclass(frozen=True)
class SettingsChanged(Event):
    kind: ClassVar[str] = "settings_changed"
    """``section`` is "station" or "cameras.<id>"; ``changed`` lists the field names."""

    section: str
    changed: tuple[str, ...]

    def message(self) -> str:
        return f"settings {self.section} changed: {', '.join(self.changed)}"


@dataclass(frozen=True)
class SettingsRecovered(Event):
    """station.toml could not be used; the station started from ``source`` instead."""

    kind: ClassVar[str] = "settings_recovered"
    problem: str
    source: str
    moved_to: str

    @property
    def level(self) -> int:
        return logging.ERROR

    def message(self) -> str:
        return f"station.toml unusable ({self.problem}); started from {self.source}"


@dataclass(frozen=True)
class SettingsProblem(Event):
    """Parts of station.toml are not in force as written; each of ``problems`` says which
    (dotted fields, quoted and escaped) and what runs instead."""

    kind: ClassVar[str] = "settings_problem"
    problems: tuple[str, ...]

    @property
    def level(self) -> int:
        return logging.WARNING

    def message(self) -> str:
        return f"station.toml is not used as written: {'; '.join(self.problems)}"


@dataclass(frozen=True)
class StorageAlert(Event):
    """Capture paused (``paused``) or resumed because of the free-space floor (bytes);
    ``reason`` says why it paused with the numbers that decide it (see services.space)."""

    kind: ClassVar[str] = "storage_alert"
    free_bytes: int
    floor_bytes: int
    paused: bool
    reason: str = ""

    @property
    def level(self) -> int:
        return logging.ERROR if self.paused else logging.INFO

    def message(self) -> str:
        if self.paused:
            return f"capture paused: {self.reason}"
        free, floor = mib(self.free_bytes), mib(self.floor_bytes)
        return f"capture resumed: {free} free, {floor} must stay free (free_space_floor_mib)"


@dataclass(frozen=True)
class RetentionFreed(Event):
    """Retention deleted ``count`` exported-and-verified images, ``bytes`` in all (each one
    is in the deletion log); ``by`` started the run ("station": the automatic check)."""

    kind: ClassVar[str] = "retention_freed"
    count: int
    bytes: int
    by: str = "station"

    def message(self) -> str:
        images = f"{self.count} image{'s' * (self.count != 1)}"
        return f"retention deleted {images} ({mib(self.bytes)}), exported and verified before"


@dataclass(frozen=True)
class LoginAttempt(Event):
    """Someone tried to log in. ``username`` is as typed (escaped when it is not a valid
    name); ``reason`` says why it failed ("" when it succeeded). Never holds a password."""

    kind: ClassVar[str] = "login"
    username: str
    origin: str
    address: str
    ok: bool
    reason: str

    @property
    def level(self) -> int:
        return logging.INFO if self.ok else logging.WARNING

    def message(self) -> str:
        where = f"{self.origin}{' ' + self.address if self.address else ''}"
        if self.ok:
            return f"{self.username} logged in ({where})"
        return f"login as {self.username} failed ({where}): {self.reason}"


@dataclass(frozen=True)
class UserChanged(Event):
    """An account was added, removed, disabled, re-enabled, given a new role or password.
    Frontends end that user's sessions when ``change`` is not "added"."""

    kind: ClassVar[str] = "user_changed"
    username: str
    change: str
    by: str

    def message(self) -> str:
        return f"user {self.username}: {self.change} (by {self.by})"


@dataclass(frozen=True)
class CamerasChanged(Event):
    """A rescan found new cameras (``added``) or lost some (``gone``: offline or replaced)."""

    kind: ClassVar[str] = "cameras_changed"
    added: tuple[str, ...]
    gone: tuple[str, ...]

    def message(self) -> str:
        parts = [f"found {', '.join(self.added)}" if self.added else ""]
        parts.append(f"lost {', '.join(self.gone)}" if self.gone else "")
        return "cameras: " + "; ".join(part for part in parts if part)


@dataclass(frozen=True)
class FocusChecked(Event):
    """A capture of a camera with locked focus was scored against the reference. ``drifted``
    when ``score`` fell below ``fraction`` of ``reference``: logged as a warning."""

    kind: ClassVar[str] = "focus_checked"
    camera_id: str
    score: float
    reference: float
    fraction: float
    drifted: bool

    @property
    def level(self) -> int:
        return logging.WARNING if self.drifted else logging.DEBUG

    def message(self) -> str:
        share = self.score / self.reference
        if self.drifted:
            return (
                f"focus drift on {self.camera_id}: score {self.score:.1f} is {share:.0%} of the "
                f"locked {self.reference:.1f} (warns below {self.fraction:.0%}); refocus it"
            )
        return f"focus on {self.camera_id}: score {self.score:.1f} ({share:.0%} of locked)"


@dataclass(frozen=True)
class NetworkChanged(Event):
    """The station's network changed: ``what`` says how for people (never a password),
    ``by`` is the principal's label or "station" (the hotspot fallback)."""

    kind: ClassVar[str] = "network_changed"
    what: str
    by: str

    def message(self) -> str:
        return f"network: {self.what} (by {self.by})"


@dataclass(frozen=True)
class NetworkChangePending(Event):
    """A change was applied under a rollback: it is undone at ``deadline`` (epoch s) unless
    confirmed (``services.network``)."""

    kind: ClassVar[str] = "network_change_pending"
    change_id: str
    what: str
    by: str
    deadline: float

    def message(self) -> str:
        return f"network: {self.what} (by {self.by}) waits for confirmation"


@dataclass(frozen=True)
class NetworkChangeRolledBack(Event):
    """A pending change was undone: ``how`` is "reverted" (asked for), "timed out"
    (NetworkManager's rollback at the deadline) or "restored at start" (after a restart or
    reboot lost the checkpoint)."""

    kind: ClassVar[str] = "network_change_rolled_back"
    change_id: str
    what: str
    how: str

    @property
    def level(self) -> int:
        return logging.INFO if self.how == "reverted" else logging.WARNING

    def message(self) -> str:
        return f"network: {self.what} was undone ({self.how})"


@dataclass(frozen=True)
class JobChanged(Event):
    """A job moved on: ``view`` is the job now. ``state_changed`` when it was started, began
    running or finished (always published); progress alone is published at most
    ``services.job_context.EVENTS_PER_S`` times a second per job, and logged at DEBUG only."""

    kind: ClassVar[str] = "job_changed"
    view: JobView
    state_changed: bool

    @property
    def level(self) -> int:
        if not self.state_changed:
            return logging.DEBUG
        from eyepi_gui.domain.jobs import JobState  # kept out of start-up: no job runs yet

        return logging.WARNING if self.view.state is JobState.FAILED else logging.INFO

    def message(self) -> str:
        view = self.view
        text = f"job {view.job_id} ({view.kind.name}, {view.title}, by {view.by}): {view.state}"
        detail = view.error or view.result
        return f"{text}: {detail}" if detail else text
