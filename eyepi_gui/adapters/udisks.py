"""Removable volumes through udisks2 on the system D-Bus (implements ``VolumeInventory``;
jeepney, pure Python, blocking), for machines where org.freedesktop.UDisks2 runs.

Volumes come from ObjectManager.GetManagedObjects (``adapters.udisks_objects``), free space
from statvfs of the mount. A volume is named by its /dev path as listed, checked as
``adapters.mounts`` checks it. Filesystem.Mount is asked for "nosuid,nodev,noexec" (and
"ro" on a read-only drive); udisks2 picks the folder itself, under its own media folder
(/media/<user>/<label>, or /run/media/...). That folder is what ``mount`` returns, and a
mount is the station's when it lies under one of ``media_roots`` with every safe option:
a desktop's own automount (without noexec) or a mount elsewhere is someone else's (Busy).
A mount udisks2 makes without the options is undone and refused.

Each call opens its own connection to the system bus (``DBUS_SYSTEM_BUS_ADDRESS`` when set,
or the address given) and is bounded by a timeout. D-Bus errors map to the error tree:
udisks2 gone or silent -> CommandFailed("udisks2"); an object gone (the stick pulled between
listing and calling) -> NotFound; DeviceBusy and the like -> Busy; a filesystem it has no
support for -> InvalidInput("device"); refused by policy -> Unavailable.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from jeepney import DBusAddress, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection
from jeepney.wrappers import DBusErrorResponse, unwrap_msg

from eyepi_gui.adapters.blockdev import (
    MOUNTINFO,
    first_line,
    mount_options,
    volume_holding,
    with_free,
)
from eyepi_gui.adapters.mounts import SAFE_OPTIONS, SYNC_TIMEOUT_S, check_mountable, kernel_name
from eyepi_gui.adapters.udisks_objects import DRIVE, FILESYSTEM, UDISKS, UDisksVolume, read_objects
from eyepi_gui.domain.volumes import Volume
from eyepi_gui.errors import Busy, CommandFailed, InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import CommandRunner

PROGRAM = "udisks2"
DEFAULT_SYSTEM_BUS = "unix:path=/run/dbus/system_bus_socket"
MANAGER = DBusAddress(
    "/org/freedesktop/UDisks2", bus_name=UDISKS, interface="org.freedesktop.DBus.ObjectManager"
)
BUS_DAEMON = DBusAddress(
    "/org/freedesktop/DBus", bus_name="org.freedesktop.DBus", interface="org.freedesktop.DBus"
)
MEDIA_ROOTS = ("/media", "/run/media")
LIST_TIMEOUT_S = 10.0
ACT_TIMEOUT_S = 60.0  # mounting checks the filesystem; powering off waits for the drive
QUIET = {"auth.no_user_interaction": ("b", True)}
_GONE = ("ServiceUnknown", "NameHasNoOwner", "NoReply", "Timeout", "Timedout")
_MISSING = ("UnknownObject", "UnknownMethod", "UnknownInterface")
_BUSY = ("DeviceBusy", "AlreadyMounted", "AlreadyUnmounting", "MountedByOtherUser")
_REFUSED = ("NotAuthorized", "NotAuthorizedCanObtain", "NotAuthorizedDismissed")


class UDisksVolumes:
    """The machine's volumes as udisks2 lists them; see the module docstring. ``home`` is the
    station's home (its disk is never removable); ``runner`` flushes a stick's writes
    (``sync -f``) before it is unmounted; ``extra_removable`` is for tests, as in
    ``BlockDevices``."""

    def __init__(
        self,
        runner: CommandRunner,
        *,
        home: Path,
        address: str | None = None,
        media_roots: Collection[str] = MEDIA_ROOTS,
        extra_removable: Collection[str] = (),
        mountinfo: Path = MOUNTINFO,
        list_timeout_s: float = LIST_TIMEOUT_S,
        act_timeout_s: float = ACT_TIMEOUT_S,
    ) -> None:
        self._runner, self._home = runner, os.path.realpath(home)
        self._address, self._roots = address, tuple(media_roots)
        self._extra, self._mountinfo = frozenset(extra_removable), mountinfo
        self.list_timeout_s, self.act_timeout_s = list_timeout_s, act_timeout_s

    @property
    def address(self) -> str:
        return self._address or os.environ.get("DBUS_SYSTEM_BUS_ADDRESS") or DEFAULT_SYSTEM_BUS

    def volumes(self) -> list[Volume]:
        return [with_free(found.volume) for found in self._listed()]

    def holding(self, path: Path) -> Volume:
        return volume_holding(path, self.volumes, self._mountinfo)

    def mount(self, device: str) -> Path:
        """Mount the removable ``device`` through udisks2; returns where it put it (the same
        folder when the station has it mounted already). Raises as ``VolumeInventory.mount``."""
        found = self._removable(device)
        check_mountable(found.volume)
        if ours := self._ours(found):
            return Path(ours)
        if found.mountpoints:
            raise Busy(f"{device} is mounted at {found.mountpoints[0]}: unmount it there first")
        safe = (*SAFE_OPTIONS, "ro") if found.volume.read_only else SAFE_OPTIONS
        options = {**QUIET, "options": ("s", ",".join(safe))}
        (where,) = self._act(found.block, FILESYSTEM, "Mount", options)
        if not any(_inside(str(where), root) for root in self._roots):
            self._unmount_quietly(found.block)
            raise CommandFailed(PROGRAM, f"{device} was mounted at {where}, not in a media folder")
        if not self._safe(str(where)):
            self._unmount_quietly(found.block)
            raise CommandFailed(PROGRAM, f"{device} was not mounted with {','.join(safe)}")
        return Path(where)

    def unmount(self, device: str) -> None:
        """Flush the writes and unmount the station's mount of ``device``; nothing when it has
        none (udisks2 unmounts a pulled stick's by itself). Raises InvalidInput for a name of
        another form, Busy when a program keeps it open, CommandFailed when writes were lost."""
        kernel_name(device)
        found = next((f for f in self._listed() if f.volume.device == device), None)
        target = self._ours(found) if found else None
        if found is None or target is None:
            return
        lost = self._sync(target)
        try:
            self._act(found.block, FILESYSTEM, "Unmount", QUIET)
        except NotFound:
            pass  # unmounted or gone meanwhile: nothing left to unmount
        except Busy:
            if self._still_there(device):
                raise
            self._act(found.block, FILESYSTEM, "Unmount", {"force": ("b", True)})
        if lost:
            raise CommandFailed("sync", f"{device} lost writes (pulled out too soon?): {lost}")

    def power_off(self, device: str) -> None:
        """Power the drive of the unmounted removable ``device`` off (every volume of it must
        be unmounted). Raises Busy while one is mounted, Unavailable when the drive cannot."""
        found = self._removable(device)
        same_drive = [f for f in self._listed() if found.drive and f.drive == found.drive]
        mounted = next((f for f in (found, *same_drive) if f.mountpoints), None)
        if mounted is not None:
            raise Busy(f"{mounted.volume.device} is still mounted at {mounted.mountpoints[0]}")
        if found.drive is None or not found.can_power_off:
            raise Unavailable(f"udisks2 cannot power {device} off (the drive does not allow it)")
        self._act(found.drive, DRIVE, "PowerOff", QUIET)

    def _act(
        self, path: str, interface: str, method: str, options: dict[str, Any]
    ) -> tuple[Any, ...]:
        """Call a udisks2 method that takes only options (a{sv}) and may take a while."""
        at = DBusAddress(path, bus_name=UDISKS, interface=interface)
        return self.call(at, method, "a{sv}", options, timeout_s=self.act_timeout_s)

    def call(
        self, to: DBusAddress, method: str, signature: str, *args: Any, timeout_s: float
    ) -> tuple[Any, ...]:
        """One method call on its own connection, bounded by ``timeout_s``, errors mapped."""
        with self._bus() as conn:
            message = new_method_call(to, method, signature or None, args)
            try:
                return tuple(unwrap_msg(conn.send_and_get_reply(message, timeout=timeout_s)))
            except DBusErrorResponse as err:
                raise failure(err) from err
            except TimeoutError as err:
                raise CommandFailed(PROGRAM, f"no answer within {timeout_s:g} s") from err
            except OSError as err:
                raise CommandFailed(PROGRAM, f"the D-Bus connection failed ({err})") from err

    @contextmanager
    def _bus(self) -> Iterator[DBusConnection]:
        try:
            conn = open_dbus_connection(bus=self.address, auth_timeout=self.list_timeout_s)
        except (OSError, TimeoutError, RuntimeError) as err:
            raise CommandFailed(PROGRAM, f"the system D-Bus cannot be reached ({err})") from err
        with conn:
            yield conn

    def _listed(self) -> list[UDisksVolume]:
        (objects,) = self.call(MANAGER, "GetManagedObjects", "", timeout_s=self.list_timeout_s)
        return read_objects(objects, system_paths=(self._home,), extra_removable=self._extra)

    def _removable(self, device: str) -> UDisksVolume:
        kernel_name(device)
        for found in self._listed():
            if found.volume.device == device:
                if not found.volume.removable:
                    raise InvalidInput("device", f"{device} is not a removable drive")
                return found
        raise NotFound(f"no drive {device} (was it pulled out?)")

    def _still_there(self, device: str) -> bool:
        try:
            return any(f.volume.device == device and f.volume.has_medium for f in self._listed())
        except CommandFailed:
            return False

    def _ours(self, found: UDisksVolume) -> str | None:
        """The station's mount point of ``found``: under a media root, with the safe options."""
        for point in found.mountpoints:
            if any(_inside(point, root) for root in self._roots) and self._safe(point):
                return point
        return None

    def _safe(self, target: str) -> bool:
        return set(SAFE_OPTIONS) <= (mount_options(target, self._mountinfo) or set())

    def _sync(self, target: str) -> str | None:
        """Write the cached data of the filesystem at ``target``; why that failed, or None."""
        try:
            done = self._runner.run("sync", ["-f", "--", target], timeout_s=SYNC_TIMEOUT_S)
        except CommandFailed as err:
            return err.reason
        return first_line(done.stderr) if done.exit_code != 0 else None

    def _unmount_quietly(self, block: str) -> None:
        # already refusing this mount; the refusal says why, not a failed clean-up
        with suppress(Busy, NotFound, InvalidInput, Unavailable):
            self._act(block, FILESYSTEM, "Unmount", {"force": ("b", True)})


def udisks_running(address: str | None = None, timeout_s: float = 2.0) -> bool:
    """Whether org.freedesktop.UDisks2 has an owner on the system bus now (False when the
    bus cannot be reached)."""
    bus = address or os.environ.get("DBUS_SYSTEM_BUS_ADDRESS") or DEFAULT_SYSTEM_BUS
    try:
        with open_dbus_connection(bus=bus, auth_timeout=timeout_s) as conn:
            message = new_method_call(BUS_DAEMON, "NameHasOwner", "s", (UDISKS,))
            (owned,) = unwrap_msg(conn.send_and_get_reply(message, timeout=timeout_s))
    except (OSError, TimeoutError, RuntimeError, DBusErrorResponse):
        return False
    return bool(owned)


def failure(err: DBusErrorResponse) -> Busy | NotFound | InvalidInput | Unavailable:
    """The error tree's word for a D-Bus error from udisks2 (or the bus on its behalf)."""
    message = first_line(str(err.data[0])) if err.data else err.name
    word = err.name.rsplit(".", 1)[-1]
    if word in _GONE:
        return CommandFailed(PROGRAM, f"udisks2 is not running or not answering ({word})")
    if word == "NotMounted":
        return NotFound(message)
    if word in _MISSING:
        return NotFound(f"udisks2 no longer lists it (was it pulled out?): {message}")
    if word in _BUSY:
        return Busy(message)
    if word == "NotSupported":
        return InvalidInput("device", f"this system cannot read it: {message}")
    if word in _REFUSED:
        return Unavailable(f"udisks2 does not allow the station this: {message}")
    return CommandFailed(PROGRAM, message)


def _inside(path: str, folder: str) -> bool:
    return path.startswith(folder.rstrip("/") + "/")
