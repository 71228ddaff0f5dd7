"""Validated station settings: station.toml, one object passed down.

Every rejected value raises ``InvalidInput`` whose ``field`` is the dotted path of the value
("cameras.sim-1.interval_s") and whose ``reason`` says what is allowed.
"""

from __future__ import annotations

import ipaddress
import re
import tomllib
import zoneinfo
from datetime import tzinfo
from typing import Annotated, Any, Literal

import tomli_w
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from eyepi_gui.domain import naming, roi, schedule
from eyepi_gui.errors import InvalidInput

CAMERA_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_RESOLUTION = re.compile(r"^(\d{2,5})x(\d{2,5})$")
_TZ_KEY = re.compile(r"^[A-Za-z0-9_+\-]+(/[A-Za-z0-9_+\-]+)*$")
MAX_SIDE = 8192


def _label(text: str) -> str:
    if text != text.strip():
        raise ValueError("must not start or end with spaces")
    if not text.isprintable():
        raise ValueError("must not contain control characters or line breaks")
    return text


def _window(text: str) -> str:
    schedule.parse_window(text)
    return text.strip().lower() if text.strip().lower() == schedule.ALWAYS else text.strip()


def _resolution(text: str) -> str:
    match = _RESOLUTION.match(text)
    if not match:
        raise ValueError('use WIDTHxHEIGHT in pixels, for example "1920x1080"')
    width, height = int(match.group(1)), int(match.group(2))
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise ValueError(f"width and height must be 16 to {MAX_SIDE} px")
    return f"{width}x{height}"


def _formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    if len(set(formats)) != len(formats):
        raise ValueError("list each format once")
    return formats


def _timezone(key: str) -> str:
    if key and (not _TZ_KEY.match(key) or key not in zoneinfo.available_timezones()):
        raise ValueError(
            'use an IANA time zone such as "Australia/Canberra", or "" for the system zone'
        )
    return key


Label = Annotated[str, Field(min_length=1, max_length=40), AfterValidator(_label)]


def _roi(values: tuple[float, ...]) -> tuple[float, ...]:
    try:
        return roi.make_roi(values).as_tuple()
    except InvalidInput as err:
        raise ValueError(err.reason) from err


class FocusLock(BaseModel):
    """A locked focus: the score of the reference still over ``roi`` (left, top, width,
    height as fractions of the frame); a capture scoring below ``drift_fraction`` of the
    reference raises a focus-drift warning."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: float = Field(gt=0, allow_inf_nan=False)
    roi: Annotated[tuple[float, ...], AfterValidator(_roi)]
    drift_fraction: float = Field(0.7, ge=0.05, le=0.99)
    locked_at: Annotated[str, Field(max_length=40)] = ""


class CameraSettings(BaseModel):
    """One camera's capture settings; intervals in seconds, quality 1-100."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Label
    enabled: bool = True
    interval_s: float = Field(300.0, ge=0.5, le=86400.0)
    window: Annotated[str, AfterValidator(_window)] = "05:00-22:00"
    formats: Annotated[
        tuple[Literal["jpg", "png"], ...], Field(min_length=1), AfterValidator(_formats)
    ] = ("jpg",)
    resolution: Annotated[str, AfterValidator(_resolution)] = "1920x1080"
    jpeg_quality: int = Field(90, ge=1, le=100)
    keep: Literal["all", "latest"] = "all"
    filename: Annotated[str, AfterValidator(naming.check_pattern)] = naming.DEFAULT_PATTERN
    focus_lock: FocusLock | None = None

    @property
    def size(self) -> tuple[int, int]:
        width, height = self.resolution.split("x")
        return int(width), int(height)

    @property
    def daily_window(self) -> schedule.DailyWindow | None:
        return schedule.parse_window(self.window)


def _lock_after(seconds: int) -> int:
    if 0 < seconds < MIN_AUTO_LOCK_S:
        raise ValueError(f"use 0 (never lock) or at least {MIN_AUTO_LOCK_S} seconds")
    return seconds


MIN_AUTO_LOCK_S = 30


class SecuritySettings(BaseModel):
    """Logins: bcrypt work factor (10-16), kiosk auto-lock after idle seconds (0 = never)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bcrypt_cost: int = Field(12, ge=10, le=16)
    auto_lock_s: Annotated[int, Field(ge=0, le=86400), AfterValidator(_lock_after)] = 300
    viewer_when_locked: bool = False


class PreviewSettings(BaseModel):
    """Live view: frames per second at most (the camera's own rate may be lower)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_fps: float = Field(15.0, ge=1.0, le=30.0)


def _bind_address(text: str) -> str:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(
            'use an IP address of this station: "0.0.0.0" (every network), "127.0.0.1" '
            "(this machine only) or one interface's address"
        ) from None


def _file_path(text: str) -> str:
    if text and (not text.startswith("/") or not text.isprintable()):
        raise ValueError('give an absolute path, or "" for none')
    return text


class RemoteSettings(BaseModel):
    """The remote endpoint: where it listens, TLS, the live stream and web sessions.
    With ``tls`` on and no ``certificate``/``private_key`` files, a self-signed certificate
    is made once in the station's home. Times in seconds, ``max_body_kib`` in KiB."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: bool = True
    bind: Annotated[str, AfterValidator(_bind_address)] = "0.0.0.0"  # noqa: S104 - headless
    port: int = Field(8080, ge=0, le=65535)
    tls: bool = False
    certificate: Annotated[str, Field(max_length=4096), AfterValidator(_file_path)] = ""
    private_key: Annotated[
        str, Field(max_length=4096, validate_default=True), AfterValidator(_file_path)
    ] = ""
    stream_fps: float = Field(10.0, ge=1.0, le=30.0)
    max_stream_clients: int = Field(8, ge=1, le=64)
    session_idle_s: int = Field(1800, ge=60, le=86400)
    reauth_s: int = Field(300, ge=30, le=3600)
    max_body_kib: int = Field(64, ge=4, le=4096)

    @field_validator("private_key")
    @classmethod
    def _key_with_certificate(cls, key: str, info: ValidationInfo) -> str:
        if bool(key) != bool(info.data.get("certificate", key)):
            raise ValueError("give both certificate and private_key, or neither")
        return key


_URL_SCHEMES = ("rtsp", "rtsps", "http", "https")


def _stream_url(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _URL_SCHEMES or not rest.split("/")[0]:
        raise ValueError("use rtsp://, rtsps://, http:// or https:// followed by a host")
    if not url.isprintable() or any(char.isspace() for char in url):
        raise ValueError("must not contain spaces, line breaks or control characters")
    return url


class NetworkCameraSettings(BaseModel):
    """A network camera (RTSP or HTTP MJPEG stream). The URL may hold a password: it is never
    shown or logged, only the host is."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: Annotated[str, Field(min_length=8, max_length=2048), AfterValidator(_stream_url)]


class StationSettings(BaseModel):
    """The whole station.toml. Free-space floor in MiB, capture timeout in seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    station_name: Annotated[str, Field(min_length=1, max_length=63), AfterValidator(_label)] = (
        "eyepi"
    )
    timezone: Annotated[str, AfterValidator(_timezone)] = ""
    free_space_floor_mib: int = Field(500, ge=0, le=10_000_000)
    capture_timeout_s: float = Field(60.0, ge=1.0, le=600.0)
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    preview: PreviewSettings = Field(default_factory=PreviewSettings)
    remote: RemoteSettings = Field(default_factory=RemoteSettings)
    network_cameras: dict[str, NetworkCameraSettings] = Field(default_factory=dict)
    cameras: dict[str, CameraSettings] = Field(default_factory=dict)

    def camera(self, camera_id: str) -> CameraSettings:
        """This camera's settings, or defaults named after its id."""
        return self.cameras.get(camera_id) or CameraSettings(name=camera_id)

    def tz(self) -> tzinfo | None:
        """The configured zone, or None for the system's own."""
        return zoneinfo.ZoneInfo(self.timezone) if self.timezone else None


def invalid_from(err: ValidationError, prefix: str = "") -> InvalidInput:
    """Turn pydantic's errors into one InvalidInput naming every field and its reason."""
    problems: dict[str, str] = {}
    for item in err.errors():
        path = ".".join(str(part) for part in item["loc"] if not isinstance(part, int))
        field = ".".join(p for p in (prefix, path) if p) or "settings"
        reason = str(item["msg"]).removeprefix("Value error, ")
        problems.setdefault(field, reason)
    field, reason = next(iter(problems.items()))
    return InvalidInput(field, reason, problems)


def parse_station(data: dict[str, Any]) -> StationSettings:
    for section in ("cameras", "network_cameras"):
        ids = data.get(section, {})
        for camera_id in ids if isinstance(ids, dict) else {}:
            if not CAMERA_ID.match(str(camera_id)):
                raise InvalidInput(
                    f"{section}.{camera_id}", "camera ids use a-z, 0-9, '_' and '-' (max 64)"
                )
    try:
        return StationSettings.model_validate(data)
    except ValidationError as err:
        raise invalid_from(err) from err


def loads(text: str) -> StationSettings:
    """Parse station.toml text. Raises InvalidInput (field "station.toml" for bad TOML)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise InvalidInput("station.toml", f"not valid TOML: {err}") from err
    return parse_station(data)


def dumps(settings: StationSettings) -> str:
    """TOML text that ``loads`` turns back into an equal object."""
    return tomli_w.dumps(settings.model_dump(mode="json", exclude_none=True))


def with_camera(
    settings: StationSettings, camera_id: str, changes: dict[str, Any]
) -> StationSettings:
    """A copy with ``changes`` applied to one camera, validated as a whole."""
    if not CAMERA_ID.match(camera_id):
        raise InvalidInput("camera_id", "camera ids use a-z, 0-9, '_' and '-' (max 64)")
    merged = settings.camera(camera_id).model_dump() | changes
    try:
        camera = CameraSettings.model_validate(merged)
    except ValidationError as err:
        raise invalid_from(err, f"cameras.{camera_id}") from err
    return settings.model_copy(update={"cameras": settings.cameras | {camera_id: camera}})


def with_station(settings: StationSettings, changes: dict[str, Any]) -> StationSettings:
    """A copy with station-level ``changes`` applied, validated as a whole. A section given
    as a table (``{"remote": {"port": 8443}}``) changes only the keys it names."""
    current = settings.model_dump()
    merged = dict(current)
    for key, value in changes.items():
        section = getattr(settings, key, None)
        if isinstance(section, BaseModel) and isinstance(value, dict):
            merged[key] = current[key] | value
        else:
            merged[key] = value
    return parse_station(merged)
