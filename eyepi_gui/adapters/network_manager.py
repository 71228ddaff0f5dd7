"""NetworkManager as the station's NetworkBackend: reads and plain writes through nmcli's terse
output (via the CommandRunner), writes with an SSID, a secret or a hostname over D-Bus (NmDbus),
and the hostname read there too (one nmcli run fewer per status refresh).

Every nmcli argument this module builds is fixed vocabulary, a UUID checked as a UUID, an
interface name NM reported, or an address re-written by ``ipaddress``: nothing a user typed
reaches an argv. nmcli exit codes: 8 -> CommandFailed "NetworkManager is not running",
10 -> NotFound, any other -> CommandFailed with nmcli's first error line.
"""

from __future__ import annotations

import uuid as uuids
from collections.abc import Sequence

from eyepi_gui.adapters import nm_terse
from eyepi_gui.adapters.nm_dbus import NmDbus
from eyepi_gui.adapters.nm_profiles import (
    HOTSPOT_UUID,
    hotspot_profile,
    profile_uuid,
    wifi_profile,
)
from eyepi_gui.adapters.nm_settings_args import ipv4_args
from eyepi_gui.domain.network import (
    IPv4Config,
    NetworkDevice,
    SavedNetwork,
    WifiNetwork,
)
from eyepi_gui.errors import CommandFailed, InvalidInput, NotFound
from eyepi_gui.ports import CommandRunner

PROGRAM = "nmcli"
TERSE = ("-t", "-e", "yes")
DEVICE_FIELDS = (
    "GENERAL.DEVICE,GENERAL.TYPE,GENERAL.STATE,GENERAL.CONNECTION,GENERAL.CON-UUID,"
    "GENERAL.HWADDR,IP4.ADDRESS,IP4.GATEWAY,IP4.DNS,IP6.ADDRESS,AP.IN-USE,AP.SSID,AP.SIGNAL"
)
DEVICES_ARGS = ("-f", DEVICE_FIELDS, "device", "show")
DEVICE_ALWAYS = tuple(f for f in DEVICE_FIELDS.split(",") if f.startswith("GENERAL."))
FREE_TEXT = frozenset({"GENERAL.CONNECTION", "AP.SSID", "connection.id", "802-11-wireless.ssid"})
"""Fields holding names people or the air chose: nmcli prints a line break in one as it is."""
PLAIN_DEVICES_ARGS = (
    "-f",
    ",".join(f for f in DEVICE_FIELDS.split(",") if f not in FREE_TEXT),
    "device",
    "show",
)
PROFILE_LIST_ARGS = ("-f", ",".join(nm_terse.PROFILE_LIST_FIELDS), "connection", "show")
PROFILE_ARGS = ("-f", ",".join(nm_terse.PROFILE_FIELDS), "connection", "show")
PROFILE_ALWAYS = tuple(
    f for f in nm_terse.PROFILE_FIELDS if f.split(".")[0] in ("connection", "ipv4")
)
PLAIN_PROFILE_ARGS = (
    "-f",
    ",".join(f for f in nm_terse.PROFILE_FIELDS if f not in FREE_TEXT),
    "connection",
    "show",
)
WIFI_ARGS = ("-f", ",".join(nm_terse.WIFI_FIELDS), "device", "wifi", "list", "--rescan")
NOT_RUNNING = 8
NOT_FOUND = 10


class NmcliNetwork:
    """Implements ``ports.NetworkBackend`` over nmcli (``runner``) and NM's D-Bus (``dbus``).
    ``timeout_s`` bounds each nmcli call, ``scan_timeout_s`` a Wi-Fi list with a rescan."""

    def __init__(
        self,
        runner: CommandRunner,
        dbus: NmDbus,
        *,
        timeout_s: float = 10.0,
        scan_timeout_s: float = 30.0,
    ) -> None:
        self._runner = runner
        self._dbus = dbus
        self.timeout_s = timeout_s
        self.scan_timeout_s = scan_timeout_s

    def _nmcli(self, *args: str, timeout_s: float | None = None, partial_ok: bool = False) -> str:
        """nmcli's stdout; ``partial_ok``: also when some of several profiles asked for are
        gone (exit 10, deleted since they were listed), as nmcli prints the others."""
        result = self._runner.run(PROGRAM, [*TERSE, *args], timeout_s=timeout_s or self.timeout_s)
        if result.exit_code == 0 or (partial_ok and result.exit_code == NOT_FOUND):
            return result.stdout
        reason = _first_error(result.stderr) or f"exited {result.exit_code}"
        if result.exit_code == NOT_RUNNING:
            raise CommandFailed(PROGRAM, "NetworkManager is not running", NOT_RUNNING)
        if result.exit_code == NOT_FOUND:
            raise NotFound(reason)
        raise CommandFailed(PROGRAM, reason, result.exit_code)

    def hostname(self) -> str:
        # NM's property over D-Bus: under 1 ms, where one more nmcli run is ~10 ms (a status
        # refresh is this plus devices(), measured against a single bare nmcli call)
        return self._dbus.hostname()

    def devices(self) -> list[NetworkDevice]:
        """One nmcli run; when a name in it holds a line break (``nm_terse.line_broken``),
        the devices are read again without names, which come exactly over D-Bus."""
        listing = self._nmcli(*DEVICES_ARGS)
        if not nm_terse.line_broken(listing, DEVICE_FIELDS.split(","), DEVICE_ALWAYS):
            return nm_terse.parse_devices(listing)
        devices = nm_terse.parse_devices(self._nmcli(*PLAIN_DEVICES_ARGS))
        texts = self._dbus.profile_texts([d.connection_uuid for d in devices if d.connection_uuid])
        return [
            nm_terse.with_names(d, *texts.get(d.connection_uuid or "", ("", None))) for d in devices
        ]

    def wifi_networks(self, rescan: bool = False) -> list[WifiNetwork]:
        known = frozenset(s.ssid for s in self.saved() if s.ssid and not s.hotspot)
        listing = self._nmcli(*WIFI_ARGS, "yes" if rescan else "no", timeout_s=self._scan_s(rescan))
        return nm_terse.parse_wifi_list(listing, known)

    def _scan_s(self, rescan: bool) -> float:
        return self.scan_timeout_s if rescan else self.timeout_s

    def saved(self) -> list[SavedNetwork]:
        active = nm_terse.profile_uuids(self._nmcli(*PROFILE_LIST_ARGS))
        if not active:
            return []
        chosen = [part for uuid in active for part in ("uuid", uuid)]
        details = self._nmcli(*PROFILE_ARGS, *chosen, partial_ok=True)
        if not nm_terse.line_broken(details, nm_terse.PROFILE_FIELDS, PROFILE_ALWAYS):
            return nm_terse.parse_profiles(details, active)
        # a name or SSID holds a line break: read again without them, they come over D-Bus
        plain = self._nmcli(*PLAIN_PROFILE_ARGS, *chosen, partial_ok=True)
        profiles = nm_terse.parse_profiles(plain, active)
        texts = self._dbus.profile_texts([p.uuid for p in profiles])
        return [nm_terse.named(p, *texts.get(p.uuid, ("", None))) for p in profiles]

    def _profile(self, uuid: str) -> SavedNetwork:
        found = [s for s in self.saved() if s.uuid == uuid]
        if not found:
            raise NotFound(f"no saved network {uuid}")
        return found[0]

    def join_wifi(
        self, ssid_hex: str, password: str | None, *, hidden: bool = False
    ) -> SavedNetwork:
        ssid = _ssid_bytes(ssid_hex)
        device = self._wifi_device()
        key_mgmt = "wpa-psk" if password is None else self._key_mgmt(ssid_hex)
        settings = wifi_profile(ssid, password, hidden=hidden, key_mgmt=key_mgmt)
        self._dbus.add_and_activate(settings, device)
        return self._profile(profile_uuid(settings))

    def _wifi_device(self) -> str:
        device = self._dbus.wifi_device()
        if device is None:
            raise CommandFailed("NetworkManager", "this station has no Wi-Fi device")
        return device

    def _key_mgmt(self, ssid_hex: str) -> str:
        """ "sae" for a WPA3-only network in range, else "wpa-psk" (WPA2 and WPA2/WPA3)."""
        listing = self._nmcli(*WIFI_ARGS, "no")
        for network in nm_terse.parse_wifi_list(listing):
            if network.ssid_hex == ssid_hex.lower():
                words = network.security.split()
                return "sae" if "WPA3" in words and "WPA2" not in words else "wpa-psk"
        return "wpa-psk"

    def forget(self, uuid: str) -> None:
        self._nmcli("connection", "delete", "uuid", _uuid(uuid))

    def set_priority(self, uuid: str, priority: int) -> None:
        if not -999 <= priority <= 999:
            raise InvalidInput("priority", "must be between -999 and 999")
        prio = str(int(priority))
        self._nmcli(
            "connection", "modify", "uuid", _uuid(uuid), "connection.autoconnect-priority", prio
        )

    def set_ipv4(self, uuid: str, config: IPv4Config) -> None:
        self._nmcli("connection", "modify", "uuid", _uuid(uuid), *ipv4_args(config))
        device = self._profile(uuid).device
        if device is not None:  # reapply: a DHCP profile does not wait for a lease
            self._nmcli("device", "reapply", device)

    def activate(self, uuid: str) -> None:
        """Start bringing the profile up; returns once NM has accepted it (``-w 0``), not after
        the link is up: a DHCP lease may take long or never come, and the device's state
        shows the progress. A profile no device can take fails at once."""
        self._nmcli("-w", "0", "connection", "up", "uuid", _uuid(uuid))

    def set_hostname(self, name: str) -> None:
        self._dbus.save_hostname(name)

    def start_hotspot(self, ssid: str, passphrase: str) -> SavedNetwork:
        settings = hotspot_profile(ssid.encode("utf-8"), passphrase)
        path = self._dbus.connection_path(HOTSPOT_UUID)
        if path is None:
            path = self._dbus.add_connection(settings)
        else:
            self._dbus.update_connection(path, settings)
        self._dbus.activate(path, self._wifi_device())
        return self._profile(HOTSPOT_UUID)

    def stop_hotspot(self) -> None:
        try:
            self._nmcli("connection", "down", "uuid", HOTSPOT_UUID)
        except NotFound:
            return  # not up, or never made: down already

    def checkpoint(self, devices: Sequence[str], rollback_s: int) -> str:
        return self._dbus.checkpoint_create(devices, rollback_s)

    def confirm(self, checkpoint: str) -> None:
        self._dbus.checkpoint_destroy(checkpoint)

    def rollback(self, checkpoint: str) -> None:
        self._dbus.checkpoint_rollback(checkpoint)

    def checkpoints(self) -> list[str]:
        return self._dbus.checkpoints()


def _first_error(stderr: str) -> str:
    line = next((line.strip() for line in stderr.splitlines() if line.strip()), "")
    return line.removeprefix("Error: ")


def _uuid(value: str) -> str:
    """``value`` as a canonical UUID (so it can only ever be read as one)."""
    try:
        return str(uuids.UUID(value))
    except (ValueError, AttributeError, TypeError) as err:
        raise NotFound(f"no saved network {value!r}") from err


def _ssid_bytes(ssid_hex: str) -> bytes:
    try:
        ssid = bytes.fromhex(ssid_hex)
    except ValueError as err:
        raise InvalidInput("ssid", "not a hex-encoded SSID") from err
    if not 1 <= len(ssid) <= 32:
        raise InvalidInput("ssid", "an SSID is 1 to 32 bytes")
    return ssid
