"""The whole of station.toml: station-wide values, the live view, network cameras and the
sections of the other modules, as one validated object."""

from __future__ import annotations

import functools
import re
import zoneinfo
from datetime import datetime, tzinfo
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from eyepi_gui.domain.network_cameras import login_of, with_password
from eyepi_gui.settings.camera import NAME_MAX, CameraSettings
from eyepi_gui.settings.network import NetworkSettings
from eyepi_gui.settings.remote import RemoteSettings
from eyepi_gui.settings.retention import RetentionSettings, floor_problem
from eyepi_gui.settings.security import SecuritySettings
from eyepi_gui.settings.values import CameraId, Number, Secret, key_text, plain_text

_TZ_KEY = re.compile(r"[A-Z][A-Za-z0-9_+\-]*(/[A-Z][A-Za-z0-9_+\-]*)*")
"""A tz database name: each part starts with a capital letter ("America/Port-au-Prince",
"Etc/GMT+5", "UTC"). Files a system keeps beside the zones ("localtime", "posixrules",
"posix/...", "right/...") start with a small letter and are no zone of their own."""
_UNKNOWN_LOCAL_TIME = "-00"
"""The tz database's abbreviation for "local time not known" (its "Factory" zone)."""
_SAMPLE_DAYS = (datetime(2025, 1, 15, 12), datetime(2025, 7, 15, 12))
_URL_SCHEMES = ("rtsp", "rtsps", "http", "https")


@functools.cache
def _zones() -> frozenset[str]:
    """The zones installed, found once per process (a tzdata update is seen at the next start)."""
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def time_zones() -> tuple[str, ...]:
    """Every zone ``timezone`` takes, sorted: the tz database's zones less those that keep
    no local time ("Factory"); for a searchable list. Found once per process."""
    found = []
    for zone in sorted(_zones()):
        try:
            _timezone(zone)
        except ValueError:
            continue
        found.append(zone)
    return tuple(found)


def _timezone(key: str) -> str:
    if key and not (_TZ_KEY.fullmatch(key) and key in _zones()):
        raise ValueError(
            'use an IANA time zone such as "Australia/Canberra", or "" for the system zone'
        )
    if key and _local_time_unknown(zoneinfo.ZoneInfo(key)):
        raise ValueError(f"{key} keeps no local time: use the zone of the station's place")
    return key


def _local_time_unknown(zone: tzinfo) -> bool:
    return all(day.replace(tzinfo=zone).tzname() == _UNKNOWN_LOCAL_TIME for day in _SAMPLE_DAYS)


def _stream_url(url: str) -> str:
    if not url.isprintable() or any(char.isspace() for char in url):
        raise ValueError("must not contain spaces, line breaks or control characters")
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in _URL_SCHEMES or not rest.split("/")[0]:
        raise ValueError("use rtsp://, rtsps://, http:// or https:// followed by a host")
    return url


class PreviewSettings(BaseModel):
    """Live view: frames per second at most (the camera's own rate may be lower)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    max_fps: Annotated[float, Number(1, 30, "frames per second")] = 15.0


class NetworkCameraSettings(BaseModel):
    """A network camera (RTSP or HTTP MJPEG stream).

    ``password`` is kept in station.toml beside ``url`` and is write-only: never shown,
    logged, audited or answered by the API. The camera opens ``open_url()``: the URL with
    the password (percent-encoded) put in after its user name, so a URL given with a password
    names a user ("rtsp://admin@192.0.2.5/live") and holds no password of its own. A password
    written inside the URL by hand works too; either way only the host is ever shown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: Annotated[str, Field(min_length=8, max_length=2048), AfterValidator(_stream_url)]
    password: Annotated[str | None, Field(min_length=1, max_length=256, repr=False), Secret()] = (
        None
    )

    @field_validator("password")
    @classmethod
    def _password_with_a_user(cls, password: str | None, info: ValidationInfo) -> str | None:
        if password is None:
            return None
        if not password.isprintable():
            raise ValueError("must not contain control characters or line breaks")
        url = info.data.get("url")
        user, inline = login_of(url) if url else ("-", False)
        if inline:
            raise ValueError("the URL holds a password already: give it in one place only")
        if not user:
            raise ValueError(
                "put the user name in the URL (rtsp://user@host/...) for the password to go with"
            )
        return password

    def open_url(self) -> str:
        """The URL the camera opens: ``url`` with the password put in (never shown)."""
        return with_password(self.url, self.password)

    @property
    def has_password(self) -> bool:
        return self.password is not None or login_of(self.url)[1]


class StationSettings(BaseModel):
    """The whole station.toml. Free-space floor in MiB, capture timeout in seconds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    station_name: Annotated[str, Field(min_length=1, max_length=63), AfterValidator(plain_text)] = (
        "eyepi"
    )
    timezone: Annotated[str, AfterValidator(_timezone)] = ""
    free_space_floor_mib: Annotated[int, Number(0, 10_000_000, "MiB", whole=True)] = 500
    capture_timeout_s: Annotated[float, Number(1, 600, "seconds")] = 60.0
    security: SecuritySettings = Field(default_factory=SecuritySettings)
    preview: PreviewSettings = Field(default_factory=PreviewSettings)
    remote: RemoteSettings = Field(default_factory=RemoteSettings)
    network: NetworkSettings = Field(default_factory=NetworkSettings)
    retention: RetentionSettings = Field(default_factory=RetentionSettings)
    network_cameras: dict[CameraId, NetworkCameraSettings] = Field(default_factory=dict)
    cameras: dict[CameraId, CameraSettings] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _room_above_the_floor(self) -> StationSettings:
        """Retention keeps more free than the floor (``settings.sections`` names the field
        ``retention.keep_free_mib``; this guards objects made in code)."""
        problem = floor_problem(self.retention, self.free_space_floor_mib)
        if problem:
            raise ValueError(f"retention.keep_free_mib {problem}")
        return self

    def camera(self, camera_id: str) -> CameraSettings:
        """This camera's settings, or defaults named after its id (quoted and escaped when
        it is not a plain id, so any id a camera reports has settings)."""
        return self.cameras.get(camera_id) or CameraSettings(name=key_text(camera_id)[:NAME_MAX])

    def tz(self) -> tzinfo | None:
        """The configured zone, or None for the system's own."""
        return zoneinfo.ZoneInfo(self.timezone) if self.timezone else None
