"""The JSON API's models: what views parse and answer, and what the OpenAPI document shows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from eyepi_gui.domain.accounts import AuditEntry, UserInfo
from eyepi_gui.domain.ago import ago_text
from eyepi_gui.domain.camera import FocusStep
from eyepi_gui.domain.health import HourHealth, summary_text
from eyepi_gui.domain.records import QUERY_MAX, CaptureRecord
from eyepi_gui.domain.tokens import TokenInfo
from eyepi_gui.services.capture_health import CameraHealth
from eyepi_gui.services.overview import CameraOverview, StationHealth
from eyepi_gui.settings import (
    CameraSettings,
    FocusLock,
)
from eyepi_gui.settings.values import CameraId, Flag, Number, plain_text

STRICT = ConfigDict(extra="forbid")
"""Input models: an unknown key is refused, never ignored."""


class Error(BaseModel):
    """Every error answer. ``field`` names the rejected value (dotted path) for 400s."""

    error: str
    message: str
    field: str | None = None
    problems: dict[str, str] | None = None
    retry_after_s: float | None = None


class Health(BaseModel):
    """The public health probe: only that the endpoint answers."""

    ok: bool


class StationStatus(BaseModel):
    """Space in bytes, of the volume images are written to; times epoch seconds."""

    station_name: str
    version: str
    now: float
    free_bytes: int
    total_bytes: int
    capture_paused: bool
    cameras_total: int
    cameras_ok: int
    settings_problem: str | None
    storage_problem: str | None = None
    database_problem: str | None = None

    @classmethod
    def of(cls, health: StationHealth, version: str) -> StationStatus:
        return cls(version=version, **health.__dict__)


class FocusCheckOut(BaseModel):
    score: float
    reference: float
    fraction: float
    drifted: bool


class CameraOut(BaseModel):
    """One camera and its day: counts are today's slots (station's local day)."""

    id: str
    name: str
    backend: str
    model: str
    identity: str
    port: str
    live_view: bool
    state: str
    detail: str
    enabled: bool
    interval_s: float
    window: str
    next_capture: float | None
    expected_so_far: int
    planned_today: int
    actual_today: int | None
    latest_at: float | None
    focus_check: FocusCheckOut | None
    settings_problem: str | None = None
    """Why the camera does not run on its settings as written (and what it runs on)."""
    latest_problem: str | None = None
    """Why the last capture did not update latest.jpg (the capture itself is kept)."""

    @classmethod
    def of(cls, camera: CameraOverview) -> CameraOut:
        info, settings, check = camera.info, camera.settings, camera.focus_check
        return cls(
            id=info.camera_id,
            name=settings.name,
            backend=info.backend,
            model=info.model,
            identity=info.identity,
            port=info.port,
            live_view=info.live_view,
            state=camera.state.value,
            detail=camera.detail,
            enabled=settings.enabled,
            interval_s=settings.interval_s,
            window=settings.window,
            next_capture=camera.next_capture,
            expected_so_far=camera.expected_so_far,
            planned_today=camera.planned_today,
            actual_today=camera.actual_today,
            latest_at=camera.latest_at,
            focus_check=None if check is None else FocusCheckOut(**check.fields()),
            settings_problem=camera.settings_problem,
            latest_problem=camera.latest_problem,
        )


class HourOut(BaseModel):
    """One hour of a camera's capture health: [start, stop) epoch s (the current hour stops
    at ``now``); slots expected while the camera ran, captures taken, seconds it was off."""

    start: float
    stop: float
    expected: int
    taken: int
    missed: int
    gap: bool
    off_s: float
    station_off_s: float

    @classmethod
    def of(cls, hour: HourHealth) -> HourOut:
        return cls.model_validate(hour, from_attributes=True)  # its fields and properties


class CameraHealthOut(BaseModel):
    """A camera's last 24 h, hour by hour, oldest first. ``known`` is false (and ``hours``
    empty) while the station's database is held by another process."""

    camera_id: str
    now: float
    known: bool
    last_capture_at: float | None
    last_capture_text: str
    """How long ago, in the kiosk's words: "12 min ago", "never"."""
    expected: int
    taken: int
    gaps: int
    summary: str
    hours: list[HourOut]

    @classmethod
    def of(cls, health: CameraHealth) -> CameraHealthOut:
        return cls(
            camera_id=health.camera_id,
            now=health.now,
            known=health.known,
            last_capture_at=health.last_capture_at,
            last_capture_text=ago_text(health.last_capture_at, health.now),
            expected=health.expected,
            taken=health.taken,
            gaps=health.gaps,
            summary=summary_text(health.hours) if health.hours else "",
            hours=[HourOut.of(hour) for hour in health.hours],
        )


def changes_of(model: type[BaseModel], name: str, *, leave_out: set[str]) -> Any:
    """A model taking any subset of ``model``'s fields, each checked by the same rules."""
    fields: dict[str, Any] = {
        key: (info.annotation, FieldInfo.merge_field_infos(info, default=None))
        for key, info in model.model_fields.items()
        if key not in leave_out
    }
    return create_model(name, __config__=STRICT, **fields)


CameraSettingsChange: type[BaseModel] = changes_of(
    CameraSettings, "CameraSettingsChange", leave_out={"focus_lock"}
)
"""Some of a camera's capture settings (focus lock has its own endpoints)."""


class DeviceSettingOut(BaseModel):
    """A setting the camera itself offers; ``choices`` empty means any text."""

    name: str
    label: str
    value: str
    choices: list[str]
    read_only: bool


class DeviceSettingChange(BaseModel):
    model_config = STRICT
    value: Annotated[str, Field(max_length=200), AfterValidator(plain_text)]


class ScorePointOut(BaseModel):
    """One live frame's focus score; ``at`` in epoch seconds."""

    at: float
    score: float


class FocusOut(BaseModel):
    """The live view's latest focus score over ``roi`` (left, top, width, height as
    fractions). ``seq`` 0 and ``score`` None: no frame yet (``problem`` says why, if known).
    ``recent`` is the score's last minute over this region (at most four points a second,
    oldest first; only the points after the query's ``since``). ``lock``: focus is locked
    (captures scoring below ``reference`` x ``drift_fraction`` warn), or null."""

    camera_id: str
    seq: int
    taken_at: float | None
    score: float | None
    roi: list[float]
    problem: str
    recent: list[ScorePointOut]
    lock: FocusLock | None


class FocusQuery(BaseModel):
    """Only the recent scores after ``since`` (epoch seconds): a page polling the score sends
    the time of the last point it has."""

    model_config = STRICT
    since: Annotated[float, Number(unit="epoch seconds")] | None = None


class FocusSupportOut(BaseModel):
    """What the camera offers for focusing: Near/Far steps, an autofocus, and its own
    live-view magnifications (empty: none)."""

    drive: bool
    autofocus: bool
    live_zoom: list[int]


class FocusDriveIn(BaseModel):
    """One Near/Far step of the lens: fine, medium or coarse, as the kiosk offers."""

    model_config = STRICT
    direction: Literal["near", "far"]
    step: FocusStep


class CaptureOut(BaseModel):
    """A kept image: ``file_name`` only (never a path); download it by ``id``, which is null
    when the station's database was busy (the image is kept; its row is stored later)."""

    id: int | None
    camera_id: str
    file_name: str
    taken_at: float
    scheduled_at: float | None
    size: int
    sha256: str
    focus_score: float | None

    @classmethod
    def of(cls, record: CaptureRecord) -> CaptureOut:
        return cls(
            id=record.record_id,
            camera_id=record.camera_id,
            file_name=record.path.rsplit("/", 1)[-1],
            taken_at=record.taken_at,
            scheduled_at=record.scheduled_at,
            size=record.size,
            sha256=record.sha256,
            focus_score=record.focus_score,
        )


class CaptureFilter(BaseModel):
    """Which kept images: one camera or all, taken in [since, until) epoch seconds."""

    model_config = STRICT
    camera: CameraId | None = None
    since: Annotated[float, Number(unit="epoch seconds")] | None = None
    until: Annotated[float, Number(unit="epoch seconds")] | None = None
    limit: Annotated[int, Number(1, QUERY_MAX, whole=True)] = 100
    before_id: Annotated[int, Number(1, 2**62, whole=True)] | None = None


class UserOut(BaseModel):
    username: str
    role: str
    created_at: float
    changed_at: float
    disabled: bool

    @classmethod
    def of(cls, user: UserInfo) -> UserOut:
        return cls(**{**user.__dict__, "role": user.role.value})


Role = Literal["viewer", "operator", "admin"]
Text = Annotated[str, Field(max_length=256)]


class UserCreate(BaseModel):
    model_config = STRICT
    username: Annotated[str, Field(max_length=64)]
    password: Text
    role: Role = "viewer"


class UserChange(BaseModel):
    """Any of: a new role, enabled/disabled, a new password (an admin's reset)."""

    model_config = STRICT
    role: Role | None = None
    disabled: Flag | None = None
    password: Text | None = None


class AuditOut(BaseModel):
    at: float
    username: str
    role: str
    origin: str
    address: str
    action: str
    target: str
    detail: str
    ok: bool

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditOut:
        return cls(**{**entry.__dict__, "origin": entry.origin.value})


class AuditFilter(BaseModel):
    model_config = STRICT
    limit: Annotated[int, Number(1, 1000, whole=True)] = 100
    username: Annotated[str | None, Field(max_length=64)] = None
    action: Annotated[str | None, Field(max_length=64)] = None


class TokenOut(BaseModel):
    id: str
    username: str
    name: str
    created_at: float
    last_used_at: float | None

    @classmethod
    def of(cls, token: TokenInfo) -> TokenOut:
        return cls(
            id=token.token_id,
            username=token.username,
            name=token.name,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
        )


class TokenCreate(BaseModel):
    model_config = STRICT
    name: Annotated[str, Field(max_length=100)]


class TokenCreated(BaseModel):
    """``token`` is shown this once: store it now."""

    token: str
    info: TokenOut


class SessionOut(BaseModel):
    """Who is logged in. ``csrf_token`` goes in ``X-CSRF-Token`` on every change."""

    username: str
    role: str
    csrf_token: str
    via_token: bool
    password_confirmed: bool


class PasswordConfirm(BaseModel):
    model_config = STRICT
    password: Text


class PasswordChange(BaseModel):
    model_config = STRICT
    current: Text
    new: Text


class RoiIn(BaseModel):
    """A region as fractions of the frame: left, top, width, height."""

    model_config = STRICT
    left: Annotated[float, Number(0, 1)]
    top: Annotated[float, Number(0, 1)]
    width: Annotated[float, Number(0, 1, above=True)]
    height: Annotated[float, Number(0, 1, above=True)]
