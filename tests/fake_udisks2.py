"""FakeUDisks2: a small stand-in for udisks2 on a private D-Bus (tests/private_bus.py), so
the udisks adapter and its error handling run over a real bus.

It owns org.freedesktop.UDisks2 and exports, under /org/freedesktop/UDisks2, the ObjectManager
(GetManagedObjects), Filesystem.Mount/Unmount and Drive.PowerOff. Its drives are real
loop-device sticks (tests/usb_stick.py) described as USB drives (a Drive with
ConnectionBus "usb", Removable), plus fixed disks that exist only on the bus. As udisks2
does, Mount runs the kernel's ``mount -t TYPE -o OPTIONS`` (root) in a folder it makes under
``media_root`` named for the label, refuses options outside a small allowlist
(OptionNotPermitted) and a device already mounted (AlreadyMounted); Unmount answers
DeviceBusy when umount says the target is busy, NotMounted when it is not mounted; PowerOff
detaches the loop device, so the stick is gone. MountPoints are read from mountinfo, so a
mount made by anyone shows. Tests can make the next call of a method answer an error
(``fail_next``), leave methods unanswered (``silent``: a hung udisks2) and make Mount
leave out options (``drop_options``: a udisks2 that does not honour noexec). Served from a
thread of the test process; ``stop`` leaves the bus.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from jeepney import HeaderFields, Message, MessageType, new_error, new_method_return
from jeepney.bus_messages import message_bus
from jeepney.io.blocking import DBusConnection, open_dbus_connection

from tests.private_bus import PrivateBus
from tests.usb_stick import UsbStick, _mounts_of

NAME = "org.freedesktop.UDisks2"
ROOT = "/org/freedesktop/UDisks2"
ERROR = f"{NAME}.Error"
ALLOWED_OPTIONS = frozenset({"nosuid", "nodev", "noexec", "ro", "rw", "sync", "noatime"})


@dataclass
class FakeDrive:
    """One drive: a stick (real device) or a fixed disk (``device`` only named)."""

    device: str
    label: str
    fstype: str | None
    size: int
    usb: bool
    stick: UsbStick | None = None
    can_power_off: bool = True

    @property
    def name(self) -> str:
        return self.device.removeprefix("/dev/")

    @property
    def block(self) -> str:
        return f"{ROOT}/block_devices/{self.name}"

    @property
    def drive(self) -> str:
        return f"{ROOT}/drives/eyepi_{self.name}"


class FakeUDisks2:
    """See the module docstring. ``calls`` records (method, object path, options) of every
    Mount, Unmount and PowerOff asked for."""

    def __init__(self, address: str, media_root: Path) -> None:
        self.address, self.media_root = address, media_root
        self.drives: list[FakeDrive] = []
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.fail_next: dict[str, tuple[str, str]] = {}
        self.drop_options: set[str] = set()
        self.silent: set[str] = set()
        self._conn: DBusConnection | None = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def add_stick(self, stick: UsbStick, *, can_power_off: bool = True) -> FakeDrive:
        assert stick.device is not None
        size = int(Path(f"/sys/block/{stick.name}/size").read_text()) * 512
        drive = FakeDrive(stick.device, stick.label, stick.fstype, size, True, stick, can_power_off)
        self.drives.append(drive)
        return drive

    def add_fixed(self, device: str = "/dev/vda1") -> FakeDrive:
        drive = FakeDrive(device, "rootfs", "ext4", 8 * 2**30, False, can_power_off=False)
        self.drives.append(drive)
        return drive

    def start(self) -> None:
        self._conn = open_dbus_connection(bus=self.address)
        self._conn.send_and_get_reply(message_bus.RequestName(NAME), timeout=5)
        self._thread = threading.Thread(target=self._serve, name="fake-udisks2", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Leave the bus (the name has no owner from then on)."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _serve(self) -> None:
        assert self._conn is not None
        while not self._stop.is_set():
            try:
                message = self._conn.receive(timeout=0.05)
            except TimeoutError:
                continue
            member = message.header.fields.get(HeaderFields.member)
            if message.header.message_type == MessageType.method_call and member not in self.silent:
                self._conn.send(self._answer(message))

    def _answer(self, message: Message) -> Message:
        fields = message.header.fields
        method, path = fields[HeaderFields.member], fields[HeaderFields.path]
        if method in self.fail_next:
            name, text = self.fail_next.pop(method)
            return new_error(message, name, "s", (text,))
        try:
            return self._dispatch(message, method, path)
        except FakeError as err:
            return new_error(message, f"{ERROR}.{err.name}", "s", (err.text,))

    def _dispatch(self, message: Message, method: str, path: str) -> Message:
        if method == "GetManagedObjects" and path == ROOT:
            return new_method_return(message, "a{oa{sa{sv}}}", (self._objects(),))
        if method in ("Mount", "Unmount", "PowerOff"):
            (options,) = message.body
            self.calls.append((method, path, {k: v[1] for k, v in options.items()}))
            drive = self._drive_at(message, path)
            if method == "Mount":
                return new_method_return(message, "s", (self._mount(drive, options),))
            if method == "Unmount":
                self._unmount(drive, options)
            else:
                self._power_off(drive)
            return new_method_return(message)
        return new_error(message, "org.freedesktop.DBus.Error.UnknownMethod", "s", (method,))

    def _drive_at(self, message: Message, path: str) -> FakeDrive:
        for drive in self._present():
            if path in (drive.block, drive.drive):
                return drive
        raise FakeError("Failed", f"Object does not exist at path {path}")

    def _present(self) -> list[FakeDrive]:
        return [d for d in self.drives if d.stick is None or d.stick.device == d.device]

    def _objects(self) -> dict[str, Any]:
        objects: dict[str, Any] = {}
        for drive in self._present():
            objects[drive.block] = _block_interfaces(drive)
            objects[drive.drive] = {f"{NAME}.Drive": _drive_properties(drive)}
        return objects

    def _mount(self, drive: FakeDrive, options: dict[str, Any]) -> str:
        asked = [o for o in options.get("options", ("s", ""))[1].split(",") if o]
        if refused := [o for o in asked if o not in ALLOWED_OPTIONS]:
            raise FakeError("OptionNotPermitted", f"Mount option `{refused[0]}' is not allowed")
        if mounted := _mounts_of([drive.device]):
            raise FakeError(
                "AlreadyMounted", f"Device {drive.device} is already mounted at `{mounted[0]}'."
            )
        target = self.media_root / (drive.label or drive.name)
        target.mkdir(parents=True, exist_ok=True)
        used = ",".join(o for o in asked if o not in self.drop_options) or "defaults"
        done = _run("mount", "-t", str(drive.fstype), "-o", used, drive.device, str(target))
        if done.returncode:
            target.rmdir()
            raise FakeError("Failed", f"Error mounting {drive.device} at {target}: {done.stderr}")
        return str(target)

    def _unmount(self, drive: FakeDrive, options: dict[str, Any]) -> None:
        mounted = [m for m in _mounts_of([drive.device]) if m.startswith(str(self.media_root))]
        if not mounted:
            raise FakeError("NotMounted", f"Device `{drive.device}' is not mounted")
        lazy = ["--lazy"] if options.get("force", ("b", False))[1] else []
        done = _run("umount", *lazy, mounted[0])
        if done.returncode and "busy" in done.stderr:
            raise FakeError("DeviceBusy", f"Error unmounting {drive.device}: target is busy")
        if done.returncode:
            raise FakeError("Failed", f"Error unmounting {drive.device}: {done.stderr}")
        Path(mounted[0]).rmdir()

    def _power_off(self, drive: FakeDrive) -> None:
        if _mounts_of([drive.device]):
            raise FakeError("Failed", f"Error powering off drive: {drive.device} is mounted")
        if not drive.can_power_off or drive.stick is None:
            raise FakeError("Failed", "Error powering off drive: the drive cannot be powered off")
        drive.stick.pull(unmount=False)


class FakeError(Exception):
    """A udisks2 error to answer with: ``name`` after org.freedesktop.UDisks2.Error."""

    def __init__(self, name: str, text: str) -> None:
        super().__init__(text)
        self.name, self.text = name, text


def _block_interfaces(drive: FakeDrive) -> dict[str, Any]:
    device = drive.device.encode() + b"\0"
    block = {
        "Device": ("ay", device),
        "PreferredDevice": ("ay", device),
        "Size": ("t", drive.size),
        "ReadOnly": ("b", bool(drive.stick and drive.stick.read_only)),
        "Drive": ("o", drive.drive),
        "IdUsage": ("s", "filesystem" if drive.fstype else ""),
        "IdType": ("s", drive.fstype or ""),
        "IdLabel": ("s", drive.label),
        "HintSystem": ("b", not drive.usb),
    }
    interfaces: dict[str, Any] = {f"{NAME}.Block": block}
    if drive.fstype:
        points = [m.encode() + b"\0" for m in _mounts_of([drive.device])]
        interfaces[f"{NAME}.Filesystem"] = {"MountPoints": ("aay", points)}
    return interfaces


def _drive_properties(drive: FakeDrive) -> dict[str, Any]:
    return {
        "Vendor": ("s", "eyepi" if drive.usb else ""),
        "Model": ("s", "Test Stick" if drive.usb else "Fixed Disk"),
        "Size": ("t", drive.size),
        "Removable": ("b", drive.usb),
        "MediaRemovable": ("b", False),
        "Ejectable": ("b", drive.usb),
        "CanPowerOff": ("b", drive.can_power_off),
        "ConnectionBus": ("s", "usb" if drive.usb else ""),
    }


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)


@pytest.fixture
def fake_udisks(private_bus: PrivateBus, tmp_path: Path) -> Iterator[FakeUDisks2]:
    """A FakeUDisks2 on a fresh private bus, mounting under ``tmp_path/media``; no drives
    yet (``add_stick``, ``add_fixed``)."""
    service = FakeUDisks2(private_bus.address, tmp_path / "media")
    service.start()
    try:
        yield service
    finally:
        service.stop()
