"""The API's models of the station's network (``/api/v1/network``): status, Wi-Fi in range,
saved profiles, the hotspot and the change waiting for confirmation, and what the changes
take. Passwords are write-only: no model here that answers has a field for one (the hotspot's
own passphrase, meant to be shown to whoever stands at the station, aside)."""

from __future__ import annotations

import ipaddress
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BaseModel, Field, create_model

from eyepi_gui.domain.network import (
    HotspotInfo,
    IPv4Config,
    NetworkDevice,
    NetworkStatus,
    PendingChange,
    SavedNetwork,
    WifiNetwork,
)
from eyepi_gui.domain.network_rules import PRIORITY_MAX, PRIORITY_MIN
from eyepi_gui.settings.network import NetworkSettings
from eyepi_gui.settings.values import Flag, Number
from remote.models import STRICT

SSID_TEXT_MAX = 32
"""An SSID is at most 32 bytes: never more characters than that."""
ADDRESS_MAX = 64


class NetworkDeviceOut(BaseModel):
    """One network interface now: ``state`` is NetworkManager's word ("connected",
    "disconnected", "unavailable", ...); ``addresses`` "a.b.c.d/prefix", IPv4 first;
    ``signal`` 0-100 (Wi-Fi)."""

    name: str
    kind: str
    state: str
    connected: bool
    connection: str | None
    connection_uuid: str | None
    addresses: list[str]
    gateway: str | None
    dns: list[str]
    mac: str
    ssid: str | None
    signal: int | None

    @classmethod
    def of(cls, device: NetworkDevice) -> NetworkDeviceOut:
        data = {**device.__dict__, "addresses": list(device.addresses), "dns": list(device.dns)}
        return cls(**data, connected=device.connected)


class HotspotOut(BaseModel):
    """The station's fallback access point: its SSID, whether it is up (and where), the
    fallback settings (after ``after_s`` seconds without a network), and its passphrase
    for operators and admins only (null otherwise, and in the status)."""

    ssid: str
    active: bool
    device: str | None
    passphrase: str | None = Field(repr=False)
    fallback: bool
    after_s: int

    @classmethod
    def of(cls, info: HotspotInfo, settings: NetworkSettings) -> HotspotOut:
        return cls(
            ssid=info.ssid,
            active=info.active,
            device=info.device,
            passphrase=info.passphrase or None,
            fallback=settings.hotspot_fallback,
            after_s=settings.hotspot_after_s,
        )


class PendingChangeOut(BaseModel):
    """A change that NetworkManager undoes by itself at ``deadline`` (epoch s, in
    ``seconds_left``) unless it is confirmed first: ``POST confirm_url`` from the station's
    (new) address or on its touchscreen; ``revert_url`` undoes it now. ``new_address`` is
    the station's address after a change to a static one (open it there to confirm).

    ``confirm_link`` is in the answer to whoever made the change only: open it in a browser
    (on the new address; no login needed there) and tap Keep. It is absolute, or only a
    path after a change to DHCP (the new address is not known yet). Its key is in the
    fragment (``#...``); a script confirms with ``POST /network/confirm/<change_id>`` and
    the form field ``key``."""

    change_id: str
    what: str
    by: str
    started_at: float
    deadline: float
    seconds_left: float
    confirm_url: str
    revert_url: str
    new_address: str | None = None
    confirm_link: str | None = None
    message: str

    @classmethod
    def of(
        cls,
        change: PendingChange,
        now: float,
        new_address: str | None = None,
        confirm_link: str | None = None,
        where_unknown: str = "",
    ) -> PendingChangeOut:
        left = round(change.left_s(now), 1)
        where = f"the station's new address {new_address}" if new_address else "this station"
        base = f"/api/v1/network/pending/{change.change_id}"
        message = (
            f"Applied; undone in {left:.0f} s unless confirmed: POST {base}/confirm from "
            f"{where} (or confirm on its touchscreen) before then."
        )
        if confirm_link:
            message += f" One tap, no login: open {confirm_link}"
            message += f" ({where_unknown})." if where_unknown else "."
        return cls(
            change_id=change.change_id,
            what=change.what,
            by=change.by,
            started_at=change.started_at,
            deadline=change.deadline,
            seconds_left=left,
            confirm_url=f"{base}/confirm",
            revert_url=f"{base}/revert",
            new_address=new_address,
            confirm_link=confirm_link,
            message=message,
        )


def new_address(method: str, typed: str | None) -> str | None:
    """The station's address after a change to a static one, as the rules took it (spaces
    and a "/prefix" dropped) from ``typed``, which they accepted; None otherwise."""
    if method != "manual" or not typed:
        return None
    try:
        return str(ipaddress.ip_interface(typed.strip(" ")).ip)
    except ValueError:
        return None


class NetworkStatusOut(BaseModel):
    """The Network tab: ``reachable`` are the addresses to type into a browser (IPv4
    first); without NetworkManager ``available`` is false and ``problem`` says why. The
    hotspot never carries its passphrase here; ``now`` is the station's clock (epoch s)."""

    hostname: str
    available: bool
    problem: str
    reachable: list[str]
    devices: list[NetworkDeviceOut]
    hotspot: HotspotOut | None
    pending: PendingChangeOut | None
    now: float

    @classmethod
    def of(cls, status: NetworkStatus, settings: NetworkSettings, now: float) -> NetworkStatusOut:
        hotspot = status.hotspot
        return cls(
            hostname=status.hostname,
            available=status.available,
            problem=status.problem,
            reachable=list(status.reachable),
            devices=[NetworkDeviceOut.of(device) for device in status.devices],
            hotspot=None if hotspot is None else HotspotOut.of(hotspot, settings),
            pending=None if status.pending is None else PendingChangeOut.of(status.pending, now),
            now=now,
        )


class WifiNetworkOut(BaseModel):
    """A Wi-Fi network in range: ``ssid`` as text (U+FFFD where its bytes are not UTF-8),
    ``ssid_hex`` its exact bytes (join with these); ``signal`` 0-100 and ``bars`` 0-4;
    ``security`` NetworkManager's list ("WPA2", "WPA2 WPA3", "" for open)."""

    ssid: str
    ssid_hex: str
    signal: int
    bars: int
    security: str
    open: bool
    bssid: str
    frequency_mhz: int
    in_use: bool
    known: bool

    @classmethod
    def of(cls, network: WifiNetwork) -> WifiNetworkOut:
        return cls(**network.__dict__, bars=network.bars, open=network.open)


class Ipv4Out(BaseModel):
    """A profile's IPv4 addressing, in the shape ``PUT .../ipv4`` takes: "auto" (DHCP) or
    "manual" (static ``address``/``prefix``, ``gateway``, ``dns``)."""

    method: Literal["auto", "manual"]
    address: str | None
    prefix: int | None
    gateway: str | None
    dns: list[str]

    @classmethod
    def of(cls, config: IPv4Config) -> Ipv4Out:
        address, prefix = None, None
        if config.address:
            interface = ipaddress.ip_interface(config.address)
            address, prefix = str(interface.ip), interface.network.prefixlen
        return cls(
            method="manual" if config.method == "manual" else "auto",
            address=address,
            prefix=prefix,
            gateway=config.gateway,
            dns=list(config.dns),
        )


class SavedNetworkOut(BaseModel):
    """A saved NetworkManager profile, by ``uuid``; ``priority`` higher wins; ``device``
    where it is up now (null: not up). Its password is never given out."""

    uuid: str
    name: str
    kind: str
    ssid: str | None
    priority: int
    autoconnect: bool
    device: str | None
    active: bool
    hotspot: bool
    ipv4: Ipv4Out

    @classmethod
    def of(cls, saved: SavedNetwork) -> SavedNetworkOut:
        data = {**saved.__dict__, "ipv4": Ipv4Out.of(saved.ipv4)}
        return cls(**data, active=saved.active)


class PendingOut(BaseModel):
    """The change waiting for confirmation, or null."""

    pending: PendingChangeOut | None


# Numbers and switches follow station.toml's rules (``Number``, ``Flag``): pydantic's lax
# ints and bools would take true as 1, 24.5 as refused but "24" and 1.0 as numbers.


class WifiJoinIn(BaseModel):
    """A Wi-Fi network to save and connect: ``ssid`` as text, or ``ssid_hex`` (its exact
    bytes, as a scan lists them; wins over ``ssid``). ``password`` for WPA2/WPA3-personal
    (8-63 characters or 64 hex digits; empty or absent: an open network) is write-only.
    ``hidden``: the network does not announce itself."""

    model_config = STRICT
    ssid: Annotated[str, Field(max_length=SSID_TEXT_MAX)] | None = None
    ssid_hex: Annotated[str, Field(max_length=2 * SSID_TEXT_MAX)] | None = None
    password: Annotated[str, Field(max_length=64)] | None = Field(None, repr=False)
    hidden: Flag = False


class PriorityIn(BaseModel):
    """A saved profile's autoconnect priority: higher wins."""

    model_config = STRICT
    priority: Annotated[int, Number(PRIORITY_MIN, PRIORITY_MAX, whole=True)]


class Ipv4In(BaseModel):
    """DHCP ("auto"; ``address`` and ``gateway`` empty, ``dns`` optional overrides) or
    static ("manual": ``address`` and ``prefix``, optional ``gateway`` inside the subnet, up
    to 3 ``dns`` servers). Errors name the fields ``ipv4.<key>``."""

    model_config = STRICT
    errors_under: ClassVar[str] = "ipv4"
    method: Literal["auto", "manual"]
    address: Annotated[str, Field(max_length=ADDRESS_MAX)] | None = None
    prefix: Annotated[int, Number(1, 32, whole=True)] | None = None
    gateway: Annotated[str, Field(max_length=ADDRESS_MAX)] | None = None
    dns: Annotated[list[Annotated[str, Field(max_length=ADDRESS_MAX)]], Field(max_length=3)] = []


class HostnameIn(BaseModel):
    """The machine's hostname: one RFC 1123 label (letters, digits, hyphens; 1-63)."""

    model_config = STRICT
    hostname: Annotated[str, Field(max_length=63)]


def _required(settings_key: str) -> tuple[Any, Any]:
    """The ``[network]`` key's type and rules, required (no default)."""
    info = NetworkSettings.model_fields[settings_key]
    return Annotated[(info.annotation, *info.metadata)], ...


HotspotIn: type[BaseModel] = create_model(
    "HotspotIn",
    __config__=STRICT,
    __doc__="""The hotspot fallback: on or off, and how long without a network before it
    starts (seconds), by the rules of station.toml's [network] section.""",
    fallback=_required("hotspot_fallback"),
    after_s=_required("hotspot_after_s"),
)
