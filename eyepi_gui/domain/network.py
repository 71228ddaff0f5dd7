"""The station's network as plain data: devices, Wi-Fi networks in range, saved profiles,
IPv4 addressing, the hotspot and a change waiting for confirmation.

SSIDs are bytes on the air; ``ssid`` here is their text for people (UTF-8, with U+FFFD where
the bytes are not UTF-8) and ``ssid_hex`` the exact bytes, which joining uses. Passwords
never appear in any of these types.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


class DeviceKind(StrEnum):
    ETHERNET = "ethernet"
    WIFI = "wifi"
    LOOPBACK = "loopback"
    OTHER = "other"


class AddressMethod(StrEnum):
    DHCP = "auto"
    STATIC = "manual"


@dataclass(frozen=True)
class IPv4Config:
    """How a profile gets its IPv4 address. ``address`` is "a.b.c.d/prefix" (static only);
    ``gateway`` and ``dns`` may be empty with DHCP (then the network's own are used)."""

    method: AddressMethod
    address: str | None = None
    gateway: str | None = None
    dns: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkDevice:
    """One network interface as NetworkManager sees it now. ``state`` is NM's word
    ("connected", "disconnected", "unavailable", "connecting (getting IP configuration)", ...);
    ``addresses`` are "a.b.c.d/prefix" (IPv4 first, then IPv6); ``signal`` 0-100 (Wi-Fi)."""

    name: str
    kind: DeviceKind
    state: str
    connection: str | None = None
    connection_uuid: str | None = None
    addresses: tuple[str, ...] = ()
    gateway: str | None = None
    dns: tuple[str, ...] = ()
    mac: str = ""
    ssid: str | None = None
    signal: int | None = None

    @property
    def connected(self) -> bool:
        return self.state == "connected"

    @property
    def up(self) -> bool:
        """Connected, also with addresses set outside NetworkManager ("connected
        (externally)"): the station can be reached through it."""
        return self.state.startswith("connected")


@dataclass(frozen=True)
class WifiNetwork:
    """A Wi-Fi network in range (strongest access point of the SSID). ``security`` is
    NM's list ("WPA2", "WPA2 WPA3", "WPA3", "" for open); ``known`` when a saved profile has
    this SSID; ``in_use`` when the station is connected to it."""

    ssid: str
    ssid_hex: str
    signal: int
    security: str
    bssid: str = ""
    frequency_mhz: int = 0
    in_use: bool = False
    known: bool = False

    @property
    def open(self) -> bool:
        return self.security.strip() in ("", "--")

    @property
    def bars(self) -> int:
        """0-4 signal bars, as phones draw them."""
        return min(4, max(0, (self.signal + 5) // 20)) if self.signal > 0 else 0


@dataclass(frozen=True)
class SavedNetwork:
    """A saved NetworkManager profile the station can use. ``priority`` is NM's
    autoconnect priority (higher wins); ``device`` the interface it is active on, if any."""

    uuid: str
    name: str
    kind: DeviceKind
    ipv4: IPv4Config
    ssid: str | None = None
    priority: int = 0
    autoconnect: bool = True
    device: str | None = None
    hotspot: bool = False

    @property
    def active(self) -> bool:
        return self.device is not None


@dataclass(frozen=True)
class HotspotInfo:
    """The station's own fallback access point: its SSID and passphrase (made by the
    station, meant to be shown to whoever stands at it), and whether it is on now. The
    passphrase stays out of ``repr``: a log line or a traceback may show the rest."""

    ssid: str
    passphrase: str = field(repr=False)
    active: bool
    device: str | None = None


@dataclass(frozen=True)
class PendingChange:
    """A change that rolls back unless confirmed by ``deadline`` (epoch s). ``what`` says
    what changed for people; ``by`` is the principal's label. ``confirm_key`` is the secret
    that confirms it without a login (from the station's new address): only the answer to
    the call that made the change carries it, "" everywhere else; it is never compared nor
    shown in a repr (so never in a log line)."""

    change_id: str
    what: str
    by: str
    started_at: float
    deadline: float
    confirm_key: str = field(default="", repr=False, compare=False)

    def left_s(self, now: float) -> float:
        return max(0.0, self.deadline - now)


@dataclass(frozen=True)
class NetworkStatus:
    """Everything the Network tab shows: ``reachable`` are the addresses to type into a
    browser (no loopback, IPv4 first)."""

    hostname: str
    devices: tuple[NetworkDevice, ...]
    reachable: tuple[str, ...]
    hotspot: HotspotInfo | None = None
    pending: PendingChange | None = None
    available: bool = True
    problem: str = ""


def reachable(devices: Iterable[NetworkDevice]) -> tuple[str, ...]:
    """The addresses to type into a browser: those of connected devices, without loopback
    and link-local ones, IPv4 first."""
    found: list[ipaddress.IPv4Address | ipaddress.IPv6Address] = []
    for device in devices:
        if device.kind is DeviceKind.LOOPBACK or not device.up:
            continue
        for text in device.addresses:
            try:
                ip = ipaddress.ip_interface(text).ip
            except ValueError:
                continue
            if not ip.is_loopback and not ip.is_link_local:
                found.append(ip)
    found.sort(key=lambda ip: ip.version)
    return tuple(str(ip) for ip in found)
