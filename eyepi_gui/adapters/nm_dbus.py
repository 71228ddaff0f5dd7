"""NetworkManager's D-Bus API, for what nmcli cannot do safely: checkpoints, profiles that carry
an SSID or a secret, and the hostname (jeepney, pure Python, blocking).

Each operation opens its own connection to the system bus (``DBUS_SYSTEM_BUS_ADDRESS`` when set,
or the address given), so a restarted NM or bus needs no reconnect logic and calls from several
threads never share a socket. Every call is bounded by ``timeout_s``. D-Bus errors become
CommandFailed("NetworkManager", reason), NotFound for an unknown device, profile or
checkpoint, Busy for a device that is already in a checkpoint. Settings with secrets are never
logged, nor put in an error message.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from eyepi_gui.adapters.nm_profiles import Settings
from eyepi_gui.errors import Busy, CommandFailed, NotFound

PROGRAM = "NetworkManager"
DEFAULT_SYSTEM_BUS = "unix:path=/run/dbus/system_bus_socket"
NM_PATH = "/org/freedesktop/NetworkManager"
NM_NAME = "org.freedesktop.NetworkManager"
NM = DBusAddress(NM_PATH, bus_name=NM_NAME, interface=NM_NAME)
SETTINGS = DBusAddress(f"{NM_PATH}/Settings", bus_name=NM_NAME, interface=f"{NM_NAME}.Settings")
PROPERTIES = "org.freedesktop.DBus.Properties"
DEVICE_TYPE_WIFI = 2
HOSTNAME_POLL_S = 0.02
# Checkpoint flags: DELETE_NEW_CONNECTIONS (a rollback also removes a profile made after the
# checkpoint, a Wi-Fi joined under it); DISCONNECT_NEW_DEVICES (NM allows it for all devices).
DELETE_NEW_CONNECTIONS = 0x2
DISCONNECT_NEW_DEVICES = 0x4
_NOT_RUNNING = (
    "org.freedesktop.DBus.Error.ServiceUnknown",
    "org.freedesktop.DBus.Error.NameHasNoOwner",
)
_GONE_CHECKPOINT = re.compile(r"^checkpoint \S+ does not exist")
_UNKNOWN = ("UnknownDevice", "UnknownConnection", "InvalidConnection", "UnknownCheckpoint")


class NmDbus:
    """A small blocking NetworkManager client; see the module docstring."""

    def __init__(self, address: str | None = None, *, timeout_s: float = 5.0) -> None:
        self._address = address
        self.timeout_s = timeout_s

    @property
    def address(self) -> str:
        return self._address or os.environ.get("DBUS_SYSTEM_BUS_ADDRESS") or DEFAULT_SYSTEM_BUS

    @contextmanager
    def _bus(self) -> Iterator[DBusConnection]:
        try:
            conn = open_dbus_connection(bus=self.address, auth_timeout=self.timeout_s)
        except (OSError, TimeoutError, RuntimeError) as err:
            raise CommandFailed(PROGRAM, f"the system D-Bus cannot be reached ({err})") from err
        with conn:
            yield conn

    def _call(
        self, conn: DBusConnection, to: DBusAddress, method: str, signature: str = "", *args: Any
    ) -> tuple[Any, ...]:
        message = new_method_call(to, method, signature or None, args)
        try:
            reply = conn.send_and_get_reply(message, timeout=self.timeout_s)
            return tuple(unwrap_msg(reply))
        except DBusErrorResponse as err:
            raise _failure(err) from err
        except TimeoutError as err:
            raise CommandFailed(PROGRAM, f"no answer within {self.timeout_s:g} s") from err
        except OSError as err:
            raise CommandFailed(PROGRAM, f"the D-Bus connection failed ({err})") from err

    def _get(self, conn: DBusConnection, to: DBusAddress, name: str) -> Any:
        assert to.interface is not None
        props = to.with_interface(PROPERTIES)
        ((_, value),) = self._call(conn, props, "Get", "ss", to.interface, name)
        return value

    def call(
        self, to: DBusAddress, method: str, signature: str = "", *args: Any
    ) -> tuple[Any, ...]:
        """One method call on its own connection."""
        with self._bus() as conn:
            return self._call(conn, to, method, signature, *args)

    def device_path(self, interface: str) -> str:
        """The D-Bus path of the device named ``interface`` (NotFound if NM has none)."""
        try:
            (path,) = self.call(NM, "GetDeviceByIpIface", "s", interface)
        except NotFound as err:
            raise NotFound(f"no such network device: {interface}") from err
        return str(path)

    def wifi_device(self) -> str | None:
        """The path of NM's first Wi-Fi device, or None when the station has none."""
        with self._bus() as conn:
            (paths,) = self._call(conn, NM, "GetDevices")
            for path in paths:
                device = DBusAddress(path, bus_name=NM_NAME, interface=f"{NM_NAME}.Device")
                if self._get(conn, device, "DeviceType") == DEVICE_TYPE_WIFI:
                    return str(path)
        return None

    def checkpoint_create(self, interfaces: Sequence[str], rollback_s: int) -> str:
        """Snapshot the devices (by interface name; all devices when empty); NM rolls back by
        itself after ``rollback_s`` seconds unless destroyed first, deleting profiles added
        since. Returns the checkpoint's path."""
        paths = [self.device_path(name) for name in interfaces]
        flags = DELETE_NEW_CONNECTIONS | (0 if paths else DISCONNECT_NEW_DEVICES)
        (checkpoint,) = self.call(NM, "CheckpointCreate", "aouu", paths, rollback_s, flags)
        return str(checkpoint)

    def checkpoint_destroy(self, checkpoint: str) -> None:
        self.call(NM, "CheckpointDestroy", "o", checkpoint)

    def checkpoint_rollback(self, checkpoint: str) -> dict[str, int]:
        """Roll back now; returns {device path: NM's result code (0 = restored)}."""
        (results,) = self.call(NM, "CheckpointRollback", "o", checkpoint)
        return {str(path): int(code) for path, code in results.items()}

    def checkpoint_adjust(self, checkpoint: str, rollback_s: int) -> None:
        """Roll back ``rollback_s`` seconds from now instead (0: never by itself)."""
        self.call(NM, "CheckpointAdjustRollbackTimeout", "ou", checkpoint, rollback_s)

    def checkpoints(self) -> list[str]:
        with self._bus() as conn:
            return [str(path) for path in self._get(conn, NM, "Checkpoints")]

    def add_connection(self, settings: Settings) -> str:
        """Save a new profile (kept on disk); returns its path."""
        (path,) = self.call(SETTINGS, "AddConnection", "a{sa{sv}}", settings)
        return str(path)

    def connection_path(self, uuid: str) -> str | None:
        """The path of the profile with ``uuid``, or None when there is none."""
        try:
            (path,) = self.call(SETTINGS, "GetConnectionByUuid", "s", uuid)
        except NotFound:
            return None
        return str(path)

    def profile_texts(self, uuids: Sequence[str]) -> dict[str, tuple[str, bytes | None]]:
        """{uuid: (the profile's name, its SSID's bytes or None)} of the saved profiles of
        ``uuids`` (one gone meanwhile is left out): exact, whatever they hold, where nmcli
        prints a line break in them as it is."""
        found: dict[str, tuple[str, bytes | None]] = {}
        with self._bus() as conn:
            for uuid in uuids:
                try:
                    (path,) = self._call(conn, SETTINGS, "GetConnectionByUuid", "s", uuid)
                    profile = SETTINGS.with_interface(f"{SETTINGS.interface}.Connection")
                    at = DBusAddress(path, bus_name=NM_NAME, interface=profile.interface)
                    (settings,) = self._call(conn, at, "GetSettings")
                except NotFound:
                    continue
                name = settings.get("connection", {}).get("id", ("s", ""))[1]
                ssid = settings.get("802-11-wireless", {}).get("ssid", ("ay", None))[1]
                found[uuid] = (str(name), None if ssid is None else bytes(ssid))
        return found

    def update_connection(self, path: str, settings: Settings) -> None:
        """Replace a saved profile's settings (and save them)."""
        profile = DBusAddress(path, bus_name=NM_NAME, interface=f"{NM_NAME}.Settings.Connection")
        self.call(profile, "Update", "a{sa{sv}}", settings)

    def add_and_activate(self, settings: Settings, device: str) -> str:
        """Save a new profile and bring it up on ``device`` (a path); returns the profile's."""
        path, _active = self.call(
            NM, "AddAndActivateConnection", "a{sa{sv}}oo", settings, device, "/"
        )
        return str(path)

    def activate(self, profile: str, device: str) -> None:
        """Bring the saved profile (a path) up on ``device`` (a path)."""
        self.call(NM, "ActivateConnection", "ooo", profile, device, "/")

    def hostname(self) -> str:
        with self._bus() as conn:
            return str(self._get(conn, SETTINGS, "Hostname"))

    def save_hostname(self, name: str) -> None:
        """Set the machine's static hostname (NM writes /etc/hostname) and wait, at most
        ``timeout_s``, until NM reports it: NM reads the file back a moment later."""
        self.call(SETTINGS, "SaveHostname", "s", name)
        deadline = time.monotonic() + self.timeout_s
        while self.hostname() != name and time.monotonic() < deadline:
            time.sleep(HOSTNAME_POLL_S)


def _failure(err: DBusErrorResponse) -> CommandFailed | NotFound | Busy:
    """The error tree's word for a D-Bus error. NM names checkpoint errors only
    InvalidArguments, so its message tells a missing checkpoint and a device already in one."""
    message = str(err.data[0]) if err.data else err.name
    if err.name in _NOT_RUNNING:
        return CommandFailed(PROGRAM, "NetworkManager is not running")
    if err.name.rsplit(".", 1)[-1] in _UNKNOWN or _GONE_CHECKPOINT.search(message):
        return NotFound(message)
    if "already included in checkpoint" in message:
        return Busy(message)
    return CommandFailed(PROGRAM, message)
