"""FakeNetwork: an honest in-memory NetworkManager implementing ports.NetworkBackend.

Devices: "lo" (loopback, unmanaged), "eth0" (ethernet, cable plugged, a DHCP server that
leases ``lease``; "" for none answering) and, with ``wifi=True``, "wlan0". One saved
ethernet profile ("Wired connection 1", DHCP) is up on eth0 at first. Wi-Fi networks in
range are set by the test (``in_range``); joining checks the password a network was given.
Nothing comes up by itself (no autoconnect): profiles come up when joined or activated.

Checkpoints snapshot the saved profiles and what is up where; each rolls back by itself
once ``clock`` reaches its deadline (checked at every call, as NM's timer would have fired).
``reboot()`` forgets checkpoints without rolling back (NM's are in memory only).

Switches: ``running = False`` makes every call raise CommandFailed("nmcli",
"NetworkManager is not running"); ``delay_s`` makes every call sleep that long first.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid as uuids
from collections.abc import Sequence
from dataclasses import dataclass

from eyepi_gui.domain.network import (
    AddressMethod,
    DeviceKind,
    IPv4Config,
    NetworkDevice,
    SavedNetwork,
    WifiNetwork,
)
from eyepi_gui.errors import CommandFailed, NotFound
from tests.fakes import FakeClock

HOTSPOT_NAME = "eyepi-hotspot"
HOTSPOT_ADDRESS = "10.42.0.1/24"
NM_DOWN = "NetworkManager is not running"
NO_WIFI = "no Wi-Fi device: this station cannot use Wi-Fi"


@dataclass
class AirNetwork:
    """A Wi-Fi network in range: ``password`` None for an open one."""

    ssid: bytes
    signal: int
    password: str | None
    lease: str
    hidden: bool = False
    bssid: str = "02:00:00:00:00:01"
    frequency_mhz: int = 2412

    @property
    def security(self) -> str:
        return "" if self.password is None else "WPA2"


@dataclass
class Profile:
    """A saved profile; ``psk`` is kept to check joins and is never given out."""

    uuid: str
    name: str
    kind: DeviceKind
    ipv4: IPv4Config
    ssid: bytes | None = None
    psk: str | None = None
    priority: int = 0
    hotspot: bool = False


@dataclass
class _Snapshot:
    profiles: dict[str, Profile]
    active: dict[str, str | None]
    deadline: float


class FakeNetwork:
    """See the module. Thread-safe: the service's monitor thread and a test share it."""

    def __init__(
        self,
        clock: FakeClock | None = None,
        *,
        wifi: bool = True,
        hostname: str = "eyepi",
        lease: str = "192.168.1.50/24",
    ) -> None:
        self.clock = clock or FakeClock(1_000_000.0)
        self.running = True
        self.delay_s = 0.0
        self.calls: list[str] = []
        self.rescans = 0
        self.lease = lease
        self._hostname = hostname
        self._lock = threading.RLock()
        self._kinds = {"lo": DeviceKind.LOOPBACK, "eth0": DeviceKind.ETHERNET}
        if wifi:
            self._kinds["wlan0"] = DeviceKind.WIFI
        self._carrier = {"eth0": True}
        wired = Profile(str(uuids.uuid4()), "Wired connection 1", DeviceKind.ETHERNET, _dhcp())
        self._profiles: dict[str, Profile] = {wired.uuid: wired}
        self._active: dict[str, str | None] = {"eth0": wired.uuid, "wlan0": None}
        self._air: dict[bytes, AirNetwork] = {}
        self._checkpoints: dict[str, _Snapshot] = {}

    # --- what the test sets -------------------------------------------------------------

    def in_range(
        self,
        ssid: str | bytes,
        *,
        password: str | None = None,
        signal: int = 70,
        lease: str = "10.0.0.23/24",
        hidden: bool = False,
    ) -> None:
        """Put a Wi-Fi network in range (WPA2 with ``password``, open without)."""
        data = ssid.encode() if isinstance(ssid, str) else ssid
        with self._lock:
            self._air[data] = AirNetwork(data, signal, password, lease, hidden)

    def out_of_range(self, ssid: str | bytes) -> None:
        data = ssid.encode() if isinstance(ssid, str) else ssid
        with self._lock:
            self._air.pop(data, None)
            on = self._on("wlan0")
            if on is not None and on.ssid == data and not on.hotspot:
                self._active["wlan0"] = None

    def unplug(self, device: str = "eth0") -> None:
        """Pull the cable: the device is unavailable and its profile goes down."""
        with self._lock:
            self._carrier[device] = False
            self._active[device] = None

    def plug(self, device: str = "eth0") -> None:
        with self._lock:
            self._carrier[device] = True

    def reboot(self) -> None:
        """NM starts again: checkpoints are gone (not rolled back), saved profiles stay."""
        with self._lock:
            self._checkpoints.clear()

    def profile(self, uuid: str) -> Profile:
        with self._lock:
            return copy.deepcopy(self._profiles[uuid])

    def wired_uuid(self) -> str:
        with self._lock:
            return next(p.uuid for p in self._profiles.values() if p.kind is DeviceKind.ETHERNET)

    # --- the port -----------------------------------------------------------------------

    def hostname(self) -> str:
        with self._call("hostname"):
            return self._hostname

    def devices(self) -> list[NetworkDevice]:
        with self._call("devices"):
            return [self._device(name) for name in self._kinds]

    def wifi_networks(self, rescan: bool = False) -> list[WifiNetwork]:
        with self._call("wifi_networks"):
            if "wlan0" not in self._kinds:
                return []
            self.rescans += rescan
            found = [self._seen(air) for air in self._air.values() if not air.hidden]
            return sorted(found, key=lambda n: -n.signal)

    def saved(self) -> list[SavedNetwork]:
        with self._call("saved"):
            return [self._saved(p) for p in self._profiles.values()]

    def join_wifi(
        self, ssid_hex: str, password: str | None, *, hidden: bool = False
    ) -> SavedNetwork:
        with self._call("join_wifi"):
            if "wlan0" not in self._kinds:
                raise CommandFailed("NetworkManager", NO_WIFI)
            ssid = bytes.fromhex(ssid_hex)
            air = self._air.get(ssid)
            if air is None or (air.hidden and not hidden):
                raise CommandFailed("NetworkManager", f"no network {_text(ssid)!r} in range")
            if air.password is not None and password != air.password:
                raise CommandFailed("NetworkManager", "the network refused the password")
            profile = self._wifi_profile(ssid) or Profile(
                str(uuids.uuid4()), _text(ssid), DeviceKind.WIFI, _dhcp(), ssid
            )
            profile.psk = password
            self._profiles[profile.uuid] = profile
            self._active["wlan0"] = profile.uuid
            return self._saved(profile)

    def forget(self, uuid: str) -> None:
        with self._call("forget"):
            self._known(uuid)
            del self._profiles[uuid]
            for device, active in self._active.items():
                if active == uuid:
                    self._active[device] = None

    def set_priority(self, uuid: str, priority: int) -> None:
        with self._call("set_priority"):
            self._known(uuid).priority = priority

    def set_ipv4(self, uuid: str, config: IPv4Config) -> None:
        with self._call("set_ipv4"):
            self._known(uuid).ipv4 = config

    def activate(self, uuid: str) -> None:
        with self._call("activate"):
            profile = self._known(uuid)
            device = "eth0" if profile.kind is DeviceKind.ETHERNET else "wlan0"
            if device not in self._kinds:
                raise CommandFailed("NetworkManager", NO_WIFI)
            if device == "eth0" and not self._carrier["eth0"]:
                raise CommandFailed("NetworkManager", "eth0 has no cable plugged in")
            wifi = profile.kind is DeviceKind.WIFI and not profile.hotspot
            if wifi and profile.ssid not in self._air:
                raise CommandFailed("NetworkManager", f"{profile.name!r} is not in range")
            self._active[device] = uuid

    def set_hostname(self, name: str) -> None:
        with self._call("set_hostname"):
            self._hostname = name

    def start_hotspot(self, ssid: str, passphrase: str) -> SavedNetwork:
        with self._call("start_hotspot"):
            if "wlan0" not in self._kinds:
                raise CommandFailed("NetworkManager", NO_WIFI)
            profile = next((p for p in self._profiles.values() if p.hotspot), None)
            if profile is None:
                config = IPv4Config(AddressMethod.STATIC, HOTSPOT_ADDRESS)
                profile = Profile(str(uuids.uuid4()), HOTSPOT_NAME, DeviceKind.WIFI, config)
                profile.hotspot = True
                self._profiles[profile.uuid] = profile
            profile.ssid, profile.psk = ssid.encode(), passphrase
            self._active["wlan0"] = profile.uuid
            return self._saved(profile)

    def stop_hotspot(self) -> None:
        with self._call("stop_hotspot"):
            on = self._on("wlan0")
            if on is not None and on.hotspot:
                self._active["wlan0"] = None

    def checkpoint(self, devices: Sequence[str], rollback_s: int) -> str:
        with self._call("checkpoint"):
            for device in devices:
                if device not in self._kinds:
                    raise NotFound(f"device {device!r}")
            path = f"/org/freedesktop/NetworkManager/Checkpoint/{len(self.calls)}"
            snapshot = _Snapshot(
                copy.deepcopy(self._profiles), dict(self._active), self.clock.now() + rollback_s
            )
            self._checkpoints[path] = snapshot
            return path

    def confirm(self, checkpoint: str) -> None:
        with self._call("confirm"):
            if self._checkpoints.pop(checkpoint, None) is None:
                raise NotFound(f"checkpoint {checkpoint}")

    def rollback(self, checkpoint: str) -> None:
        with self._call("rollback"):
            if checkpoint not in self._checkpoints:
                raise NotFound(f"checkpoint {checkpoint}")
            self._restore(checkpoint)

    def checkpoints(self) -> list[str]:
        with self._call("checkpoints"):
            return list(self._checkpoints)

    # --- inside -------------------------------------------------------------------------

    def _call(self, name: str) -> _Call:
        return _Call(self, name)

    def _enter(self, name: str) -> None:
        if self.delay_s:
            time.sleep(self.delay_s)
        self._lock.acquire()
        self.calls.append(name)
        if not self.running:
            self._lock.release()
            raise CommandFailed("nmcli", NM_DOWN, exit_code=8)
        for path, snapshot in list(self._checkpoints.items()):
            if self.clock.now() >= snapshot.deadline:
                self._restore(path)

    def _restore(self, path: str) -> None:
        snapshot = self._checkpoints.pop(path)
        self._profiles = copy.deepcopy(snapshot.profiles)
        self._active = dict(snapshot.active)
        for device, carrier in self._carrier.items():
            if not carrier:
                self._active[device] = None

    def _known(self, uuid: str) -> Profile:
        if uuid not in self._profiles:
            raise NotFound(f"network profile {uuid}")
        return self._profiles[uuid]

    def _on(self, device: str) -> Profile | None:
        uuid = self._active.get(device)
        return None if uuid is None else self._profiles.get(uuid)

    def _wifi_profile(self, ssid: bytes) -> Profile | None:
        return next((p for p in self._profiles.values() if p.ssid == ssid and not p.hotspot), None)

    def _device(self, name: str) -> NetworkDevice:
        kind = self._kinds[name]
        if kind is DeviceKind.LOOPBACK:
            return NetworkDevice("lo", kind, "unmanaged", addresses=("127.0.0.1/8",))
        profile = self._on(name)
        mac = "02:00:00:00:00:0" + ("1" if name == "eth0" else "2")
        if profile is None:
            state = "unavailable" if not self._carrier.get(name, True) else "disconnected"
            return NetworkDevice(name, kind, state, mac=mac)
        address, gateway = self._address(name, profile)
        air = self._air.get(profile.ssid or b"") if kind is DeviceKind.WIFI else None
        return NetworkDevice(
            name,
            kind,
            "connected" if address else "connecting (getting IP configuration)",
            profile.name,
            profile.uuid,
            (address,) if address else (),
            gateway,
            profile.ipv4.dns,
            mac,
            _text(profile.ssid) if profile.ssid else None,
            air.signal if air is not None else (100 if profile.hotspot else None),
        )

    def _address(self, device: str, profile: Profile) -> tuple[str | None, str | None]:
        if profile.ipv4.method is AddressMethod.STATIC:
            return profile.ipv4.address, profile.ipv4.gateway
        lease = self.lease if device == "eth0" else self._air[profile.ssid or b""].lease
        if not lease:  # no DHCP server answers: NM keeps asking
            return None, None
        return lease, lease.rsplit(".", 1)[0] + ".1"

    def _saved(self, profile: Profile) -> SavedNetwork:
        device = next((d for d, uuid in self._active.items() if uuid == profile.uuid), None)
        return SavedNetwork(
            profile.uuid,
            profile.name,
            profile.kind,
            profile.ipv4,
            _text(profile.ssid) if profile.ssid else None,
            profile.priority,
            not profile.hotspot,
            device,
            profile.hotspot,
        )

    def _seen(self, air: AirNetwork) -> WifiNetwork:
        on = self._on("wlan0")
        return WifiNetwork(
            _text(air.ssid),
            air.ssid.hex().upper(),
            air.signal,
            air.security,
            air.bssid,
            air.frequency_mhz,
            in_use=on is not None and on.ssid == air.ssid and not on.hotspot,
            known=self._wifi_profile(air.ssid) is not None,
        )


class _Call:
    """One call of the port: the switches, the lock, and the checkpoint deadlines."""

    def __init__(self, fake: FakeNetwork, name: str) -> None:
        self._fake, self._name = fake, name

    def __enter__(self) -> None:
        self._fake._enter(self._name)

    def __exit__(self, *_: object) -> None:
        self._fake._lock.release()


def _dhcp() -> IPv4Config:
    return IPv4Config(AddressMethod.DHCP)


def _text(ssid: bytes) -> str:
    return ssid.decode("utf-8", "replace")
