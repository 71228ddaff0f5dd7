"""The API's models of the station as a whole: "This station" (addresses, URLs, version) and
the station settings and network cameras the Station page and ``/api/v1/station/settings`` and
``/api/v1/network-cameras`` change, each checked by the rules of station.toml."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, create_model
from pydantic.fields import FieldInfo

from eyepi_gui.domain.network_cameras import NetworkCameraView, StreamTest
from eyepi_gui.services.endpoint import EndpointView
from eyepi_gui.services.station_info import AboutStation
from eyepi_gui.settings import (
    PreviewSettings,
    RemoteSettings,
    SecuritySettings,
    StationSettings,
)
from remote.models import STRICT, changes_of


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


STATION_SCALARS = ("station_name", "timezone", "free_space_floor_mib", "capture_timeout_s")
STATION_REMOTE_KEYS = ("enabled", "bind", "port", "tls")
"""The ``[remote]`` keys the station page and the API change (the others: station.toml)."""
SecurityChange: type[BaseModel] = changes_of(
    SecuritySettings, "SecurityChange", leave_out={"bcrypt_cost"}
)
PreviewChange: type[BaseModel] = changes_of(PreviewSettings, "PreviewChange", leave_out=set())
RemoteChange: type[BaseModel] = changes_of(
    RemoteSettings,
    "RemoteChange",
    leave_out=set(RemoteSettings.model_fields) - set(STATION_REMOTE_KEYS),
)


class _Changes(BaseModel):
    model_config = STRICT

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

    model_config = STRICT
    camera_id: Annotated[str, Field(max_length=64)]
    url: StreamUrl
    password: Secret | None = None


class StreamTestIn(BaseModel):
    model_config = STRICT
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
