"""The JSON API's models: what views parse and answer, and what the OpenAPI document shows."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from eyepi_gui.domain.accounts import AuditEntry, UserInfo
from eyepi_gui.domain.ago import ago_text
from eyepi_gui.domain.camera import FocusStep
from eyepi_gui.domain.health import HourHealth, summary_text
from eyepi_gui.domain.network_cameras import NetworkCameraView, StreamTest
from eyepi_gui.domain.records import QUERY_MAX, CaptureRecord
from eyepi_gui.domain.tokens import TokenInfo
from eyepi_gui.services.capture_health import CameraHealth
from eyepi_gui.services.endpoint import EndpointView
from eyepi_gui.services.overview import CameraOverview, StationHealth
from eyepi_gui.services.station_info import AboutStation
from eyepi_gui.settings import (
    CameraSettings,
    FocusLock,
    PreviewSettings,
    RemoteSettings,
    SecuritySettings,
    StationSettings,
)
from eyepi_gui.settings.values import CameraId, Flag, Number, plain_text

_IN = ConfigDict(extra="forbid")


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


class AddressOut(BaseModel):
    """One IP address of one interface; ``link_local`` ones reach only the same cable/Wi-Fi."""

    interface: str
    address: str
    family: Literal["IPv4", "IPv6"]
    link_local: bool


class StationAbout(BaseModel):
    """ "This station": where a browser reaches it. ``urls`` best first (the QR code's is the
    first); ``remote_note`` says why none works or the catch; uptimes in seconds, ``now``
    epoch seconds."""

    hostname: str
    addresses: list[AddressOut]
    urls: list[str]
    remote_note: str | None
    fingerprint: str | None
    version: str
    station_uptime_s: float
    system_uptime_s: float
    zone: str
    now: float

    @classmethod
    def of(cls, about: AboutStation) -> StationAbout:
        addresses = [
            AddressOut(
                interface=a.interface,
                address=a.address,
                family="IPv6" if a.family == "IPv6" else "IPv4",
                link_local=a.link_local,
            )
            for a in about.addresses
        ]
        return cls(**{**about.__dict__, "addresses": addresses, "urls": list(about.urls)})


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
        return cls(
            start=hour.start,
            stop=hour.stop,
            expected=hour.expected,
            taken=hour.taken,
            missed=hour.missed,
            gap=hour.gap,
            off_s=hour.off_s,
            station_off_s=hour.station_off_s,
        )


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


def _changes_of(model: type[BaseModel], name: str, *, leave_out: set[str]) -> Any:
    """A model taking any subset of ``model``'s fields, each checked by the same rules."""
    fields: dict[str, Any] = {
        key: (info.annotation, FieldInfo.merge_field_infos(info, default=None))
        for key, info in model.model_fields.items()
        if key not in leave_out
    }
    return create_model(name, __config__=_IN, **fields)


CameraSettingsChange: type[BaseModel] = _changes_of(
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
    model_config = _IN
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

    model_config = _IN
    since: Annotated[float, Number(unit="epoch seconds")] | None = None


class FocusSupportOut(BaseModel):
    """What the camera offers for focusing: Near/Far steps, an autofocus, and its own
    live-view magnifications (empty: none)."""

    drive: bool
    autofocus: bool
    live_zoom: list[int]


class FocusDriveIn(BaseModel):
    """One Near/Far step of the lens: fine, medium or coarse, as the kiosk offers."""

    model_config = _IN
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

    model_config = _IN
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
    model_config = _IN
    username: Annotated[str, Field(max_length=64)]
    password: Text
    role: Role = "viewer"


class UserChange(BaseModel):
    """Any of: a new role, enabled/disabled, a new password (an admin's reset)."""

    model_config = _IN
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
    model_config = _IN
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
    model_config = _IN
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
    model_config = _IN
    password: Text


class PasswordChange(BaseModel):
    model_config = _IN
    current: Text
    new: Text


class RoiIn(BaseModel):
    """A region as fractions of the frame: left, top, width, height."""

    model_config = _IN
    left: Annotated[float, Number(0, 1)]
    top: Annotated[float, Number(0, 1)]
    width: Annotated[float, Number(0, 1, above=True)]
    height: Annotated[float, Number(0, 1, above=True)]


STATION_SCALARS = ("station_name", "timezone", "free_space_floor_mib", "capture_timeout_s")
STATION_REMOTE_KEYS = ("enabled", "bind", "port", "tls")
"""The ``[remote]`` keys the station page and the API change (the others: station.toml)."""
SecurityChange: type[BaseModel] = _changes_of(
    SecuritySettings, "SecurityChange", leave_out={"bcrypt_cost"}
)
PreviewChange: type[BaseModel] = _changes_of(PreviewSettings, "PreviewChange", leave_out=set())
RemoteChange: type[BaseModel] = _changes_of(
    RemoteSettings,
    "RemoteChange",
    leave_out=set(RemoteSettings.model_fields) - set(STATION_REMOTE_KEYS),
)


class _Changes(BaseModel):
    model_config = _IN

    def changes(self) -> dict[str, Any]:
        """What was given, sections as nested dicts, for ``update_station``."""
        return self.model_dump(exclude_unset=True)


def _station_change_fields() -> dict[str, Any]:
    """The page's station-wide keys with their rules, and its sections as change models."""
    fields: dict[str, Any] = {
        key: (info.annotation, FieldInfo.merge_field_infos(info, default=None))
        for key, info in StationSettings.model_fields.items()
        if key in STATION_SCALARS
    }
    sections = {"security": SecurityChange, "preview": PreviewChange, "remote": RemoteChange}
    return fields | {key: (model | None, None) for key, model in sections.items()}


StationSettingsChange: type[_Changes] = create_model(
    "StationSettingsChange",
    __base__=_Changes,
    __doc__="""Some of the station's settings, each checked by the rules of station.toml; a
    section changes only the keys it names. Free-space floor in MiB, times in seconds.""",
    **_station_change_fields(),
)


class SecurityOut(BaseModel):
    auto_lock_s: int
    viewer_when_locked: bool


class PreviewOut(BaseModel):
    max_fps: float


class RemoteOut(BaseModel):
    enabled: bool
    bind: str
    port: int
    tls: bool


class EndpointOut(BaseModel):
    """The endpoint as it runs now: ``url`` as bound, the TLS certificate's SHA-256
    fingerprint, or why it is not running."""

    running: bool
    url: str | None
    fingerprint: str | None
    problem: str | None


class StationSettingsOut(BaseModel):
    """The station page's settings. Free-space floor in MiB, times in seconds; ``timezone``
    "" is the system's own zone."""

    station_name: str
    timezone: str
    free_space_floor_mib: int
    capture_timeout_s: float
    security: SecurityOut
    preview: PreviewOut
    remote: RemoteOut
    endpoint: EndpointOut

    @classmethod
    def of(cls, settings: StationSettings, endpoint: EndpointView) -> StationSettingsOut:
        remote = {key: getattr(settings.remote, key) for key in STATION_REMOTE_KEYS}
        return cls(
            station_name=settings.station_name,
            timezone=settings.timezone,
            free_space_floor_mib=settings.free_space_floor_mib,
            capture_timeout_s=settings.capture_timeout_s,
            security=SecurityOut(**settings.security.model_dump(exclude={"bcrypt_cost"})),
            preview=PreviewOut(**settings.preview.model_dump()),
            remote=RemoteOut(**remote),
            endpoint=EndpointOut(**endpoint.__dict__),
        )


class NetworkCameraOut(BaseModel):
    """A network camera: ``url`` with every secret taken out; the password is write-only."""

    camera_id: str
    url: str
    has_password: bool

    @classmethod
    def of(cls, view: NetworkCameraView) -> NetworkCameraOut:
        return cls(**view.__dict__)


StreamUrl = Annotated[str, Field(max_length=2048)]
Secret = Annotated[str, Field(max_length=256)]


class NetworkCameraIn(BaseModel):
    """A network camera to add: ``password`` (optional) goes with the user name in ``url``
    and is never shown again."""

    model_config = _IN
    camera_id: Annotated[str, Field(max_length=64)]
    url: StreamUrl
    password: Secret | None = None


class StreamTestIn(BaseModel):
    model_config = _IN
    url: StreamUrl
    password: Secret | None = None


class StreamTestOut(BaseModel):
    """What opening the stream once found: a frame's size in px, or why not."""

    ok: bool
    width: int | None
    height: int | None
    message: str

    @classmethod
    def of(cls, found: StreamTest) -> StreamTestOut:
        return cls(**found.__dict__)
