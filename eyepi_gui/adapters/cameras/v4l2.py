"""USB video capture devices as Linux lists them in sysfs, without opening any device.

Each ``/sys/class/video4linux/videoN`` is a symlink into the device tree:

    videoN -> ../../devices/.../usb1/1-1/1-1.2/1-1.2:1.0/video4linux/videoN
                                         ^ USB device: idVendor, idProduct, serial, busnum, devpath

A UVC webcam has two nodes per interface: index 0 captures, index 1 carries metadata only.
Devices that are not on USB (the Pi's codec and ISP nodes) are not cameras and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

SYSFS_ROOT = Path("/sys/class/video4linux")
_NODE = re.compile(r"video([0-9]+)")
_ID_UNSAFE = re.compile(r"[^a-z0-9_-]+")
MAX_ID = 64  # characters, as the station's camera ids allow


@dataclass(frozen=True)
class UsbVideoDevice:
    """One USB capture node. ``vendor_id``/``product_id`` are 4 hex digits, ``serial`` is ""
    when the device has none, ``usb_port`` is the bus-path name such as "1-1.2"."""

    node: str
    name: str
    vendor_id: str
    product_id: str
    serial: str
    usb_port: str

    @property
    def dev_path(self) -> str:
        """The device file to open, "/dev/videoN"."""
        return f"/dev/{self.node}"

    @property
    def identity(self) -> str:
        """The hardware identity in words, for people (never changes with the port)."""
        ids = f"USB {self.vendor_id}:{self.product_id}"
        if self.serial:
            return f"{ids} serial {self.serial}"
        return f"{ids} on port {self.usb_port} (no serial number)"

    def camera_id(self, by_port: bool = False) -> str:
        """ "usb-<vid>-<pid>-<serial>", or "-<port>" without a serial or when ``by_port``."""
        tail = self.usb_port if by_port or not self.serial else self.serial
        text = f"usb-{self.vendor_id}-{self.product_id}-{tail}".lower()
        return _ID_UNSAFE.sub("-", text).strip("-_")[:MAX_ID].rstrip("-_")


def capture_devices(root: Path = SYSFS_ROOT) -> list[UsbVideoDevice]:
    """Every USB capture node under ``root``, in node order (video2 before video10)."""
    if not root.is_dir():
        return []
    nodes = sorted(
        (int(m.group(1)), entry) for entry in root.iterdir() if (m := _NODE.fullmatch(entry.name))
    )
    found = (_usb_device(entry) for _, entry in nodes if _is_capture_node(entry))
    return [device for device in found if device is not None]


def camera_ids(devices: list[UsbVideoDevice]) -> dict[str, UsbVideoDevice]:
    """Devices by camera id. Devices sharing a serial (cheap ones often do) go by port; a
    second capture interface of one device gets "-2" (then "-3"...) in node order."""
    ports: dict[str, set[str]] = {}
    for device in devices:
        ports.setdefault(device.camera_id(), set()).add(device.usb_port)
    result: dict[str, UsbVideoDevice] = {}
    for device in devices:
        base = device.camera_id(by_port=len(ports[device.camera_id()]) > 1)
        camera_id, n = base, 1
        while camera_id in result:
            n += 1
            camera_id = f"{base[: MAX_ID - 4]}-{n}"
        result[camera_id] = device
    return result


def _is_capture_node(entry: Path) -> bool:
    """True unless the node says it is a metadata node (index > 0 of its interface)."""
    index = _read(entry / "index")
    return not index.isdigit() or int(index) == 0


def _usb_device(entry: Path) -> UsbVideoDevice | None:
    """The node with its USB device's ids, or None when it does not hang off USB."""
    usb = _usb_folder(entry.resolve())
    if usb is None:
        return None
    return UsbVideoDevice(
        node=entry.name,
        name=_printable(_read(entry / "name")) or entry.name,
        vendor_id=_read(usb / "idVendor").lower(),
        product_id=_read(usb / "idProduct").lower(),
        serial=_printable(_read(usb / "serial"))[:MAX_ID],
        usb_port=_port(usb),
    )


def _usb_folder(path: Path) -> Path | None:
    """The nearest folder above ``path`` that describes a USB device (has idVendor)."""
    for folder in path.parents:
        if (folder / "idVendor").is_file() and (folder / "idProduct").is_file():
            return folder
    return None


def _port(usb: Path) -> str:
    """ "<busnum>-<devpath>" (the kernel's own name of the USB device, "1-1.2")."""
    busnum, devpath = _read(usb / "busnum"), _read(usb / "devpath")
    return f"{busnum}-{devpath}" if busnum and devpath else usb.name


def _read(path: Path) -> str:
    """A sysfs attribute's text without the trailing newline; "" when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _printable(text: str) -> str:
    """USB strings come from the device: keep printable characters only."""
    return "".join(char for char in text if char.isprintable()).strip()
