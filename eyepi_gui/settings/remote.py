"""The ``[remote]`` section: where the remote endpoint listens, TLS, streams and sessions,
and the closed value each key falls back to when station.toml does not say it clearly."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from eyepi_gui.domain.hosts import parse_host_port
from eyepi_gui.settings.values import Flag, Number

LOOPBACK = "127.0.0.1"
_BIND_RULE = (
    'use an IP address of this station: "0.0.0.0" (every network), "127.0.0.1" '
    "(this machine only) or one interface's address"
)


def _bind_address(text: str) -> str:
    if not text.isascii() or not text.isprintable() or " " in text:
        raise ValueError(_BIND_RULE)
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        raise ValueError(_BIND_RULE) from None


def _file_path(text: str) -> str:
    if text and (not text.startswith("/") or not text.isprintable()):
        raise ValueError('give an absolute path (no control characters), or "" for none')
    return text


FilePath = Annotated[str, Field(max_length=4096), AfterValidator(_file_path)]


def _host_name(text: str) -> str:
    parse_host_port(text)
    return text.lower()


HostName = Annotated[str, Field(min_length=1, max_length=260), AfterValidator(_host_name)]


class RemoteSettings(BaseModel):
    """The remote endpoint: where it listens, TLS, the live stream and web sessions.
    With ``tls`` on and no ``certificate``/``private_key`` files, a self-signed certificate
    is made once in the station's home. Times in seconds, ``max_body_kib`` in KiB."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    enabled: Flag = True
    bind: Annotated[str, AfterValidator(_bind_address)] = "0.0.0.0"  # noqa: S104 - headless
    port: Annotated[int, Number(0, 65535, whole=True)] = 8080
    tls: Flag = False
    certificate: FilePath = ""
    private_key: Annotated[FilePath, Field(validate_default=True)] = ""
    stream_fps: Annotated[float, Number(1, 30, "frames per second")] = 10.0
    max_stream_clients: Annotated[int, Number(1, 64, whole=True)] = 8
    session_idle_s: Annotated[int, Number(60, 86400, "seconds", whole=True)] = 1800
    reauth_s: Annotated[int, Number(30, 3600, "seconds", whole=True)] = 300
    max_body_kib: Annotated[int, Number(4, 4096, "KiB", whole=True)] = 64
    names: Annotated[tuple[HostName, ...], Field(max_length=16)] = ()
    """Other names browsers reach the station by (a DNS name, a forwarded "host:port"),
    besides its hostname, <hostname>.local and <hostname>.<DHCP search domain>."""

    @field_validator("private_key")
    @classmethod
    def _key_with_certificate(cls, key: str, info: ValidationInfo) -> str:
        if bool(key) != bool(info.data.get("certificate", key)):
            raise ValueError("give both certificate and private_key, or neither")
        return key


def _last_good(last_good: Any, _default: Any) -> Any:
    return last_good


CLOSED: dict[str, Callable[[Any, Any], Any]] = {
    "enabled": lambda *_: False,
    "bind": lambda *_: LOOPBACK,
    "port": _last_good,
    "tls": lambda *_: True,
    "certificate": lambda *_: "",
    "private_key": lambda *_: "",
    "stream_fps": min,
    "max_stream_clients": min,
    "session_idle_s": min,
    "reauth_s": min,
    "max_body_kib": min,
    "names": lambda *_: (),
}
"""What a ``[remote]`` key becomes when station.toml does not say it clearly (a bad value,
or absent beside an unknown key that may be its misspelling), from (last good, default).
"More open" means reachable by more machines or by more requests, or protected less:
the endpoint is off rather than on, listens on this machine only rather than on a network,
uses TLS (with a self-signed certificate) rather than plain HTTP, and takes the lower of
the last good and the default for viewers, frame rate, session and re-authentication times
and request size. The port is the last good one (no port is more open than another); no
other ``names`` are trusted."""

TOGETHER = (frozenset({"certificate", "private_key"}),)
"""Keys that fall back together: a certificate is never used with another key."""
