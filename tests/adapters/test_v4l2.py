"""USB capture devices from sysfs, against a fake tree laid out like the kernel's."""

import os
from pathlib import Path

import pytest

from eyepi_gui.adapters.cameras.v4l2 import camera_ids, capture_devices
from eyepi_gui.settings import CAMERA_ID

PCI = "devices/pci0000:00/0000:00:14.0"


def write(folder: Path, **attributes: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in attributes.items():
        (folder / name).write_text(f"{text}\n")


def add_usb_node(
    sys_root: Path,
    node: str,
    *,
    name: str = "HD Webcam C525",
    index: int = 0,
    vendor: str = "046d",
    product: str = "0826",
    serial: str | None = "A1B2C3D4",
    busnum: int = 1,
    devpath: str = "1.2",
    interface: str = "1.0",
) -> Path:
    """/sys/class/video4linux/<node> -> ../../devices/.../usbB/B-P/B-P:I/video4linux/<node>,
    with the USB device's attributes on B-P and a root hub above it; returns the class folder."""
    hub = sys_root / PCI / f"usb{busnum}"
    write(hub, idVendor="1d6b", idProduct="0002", busnum=str(busnum), devpath="0")
    usb = hub / f"{busnum}-{devpath}"
    ids = {"idVendor": vendor, "idProduct": product, "busnum": str(busnum), "devpath": devpath}
    write(usb, **ids, **({"serial": serial} if serial is not None else {}))
    video = usb / f"{busnum}-{devpath}:{interface}" / "video4linux" / node
    write(video, name=name, index=str(index), dev="81:0")
    return _link(sys_root, video)


def add_platform_node(sys_root: Path, node: str) -> Path:
    """A Raspberry Pi codec node: a video device that is not a camera and not on USB."""
    video = sys_root / "devices/platform/soc/fe00b840.mailbox/bcm2835-codec" / "video4linux" / node
    write(video, name="bcm2835-codec-decode", index="0")
    return _link(sys_root, video)


def _link(sys_root: Path, video: Path) -> Path:
    klass = sys_root / "class" / "video4linux"
    klass.mkdir(parents=True, exist_ok=True)
    (klass / video.name).symlink_to(os.path.relpath(video, klass))
    return klass


@pytest.fixture
def sys_root(tmp_path):
    return tmp_path / "sys"


def test_a_webcam_has_its_usb_ids_serial_and_port(sys_root):
    klass = add_usb_node(sys_root, "video0")
    [device] = capture_devices(klass)
    assert (device.node, device.name, device.dev_path) == (
        "video0",
        "HD Webcam C525",
        "/dev/video0",
    )
    assert (device.vendor_id, device.product_id, device.serial) == ("046d", "0826", "A1B2C3D4")
    assert device.usb_port == "1-1.2"
    assert device.identity == "USB 046d:0826 serial A1B2C3D4"
    assert device.camera_id() == "usb-046d-0826-a1b2c3d4"


def test_without_a_serial_the_port_identifies_the_camera(sys_root):
    [device] = capture_devices(add_usb_node(sys_root, "video0", serial=None, devpath="1.4"))
    assert device.serial == ""
    assert device.identity == "USB 046d:0826 on port 1-1.4 (no serial number)"
    assert device.camera_id() == "usb-046d-0826-1-1-4"


def test_metadata_and_non_usb_nodes_are_skipped(sys_root):
    add_usb_node(sys_root, "video0")
    add_usb_node(sys_root, "video1", index=1)  # the UVC metadata node of the same interface
    klass = add_platform_node(sys_root, "video10")
    (klass / "v4l-subdev0").mkdir()
    assert [device.node for device in capture_devices(klass)] == ["video0"]


def test_nodes_come_in_numeric_order(sys_root):
    add_usb_node(sys_root, "video10", serial="B", devpath="1.3")
    klass = add_usb_node(sys_root, "video2", serial="A")
    assert [device.node for device in capture_devices(klass)] == ["video2", "video10"]


def test_a_missing_tree_gives_no_devices(tmp_path):
    assert capture_devices(tmp_path / "nothing") == []


def test_cameras_sharing_a_serial_go_by_port(sys_root):
    add_usb_node(sys_root, "video0", serial="0001", devpath="1.2")
    add_usb_node(sys_root, "video2", serial="0001", devpath="1.3")
    klass = add_usb_node(sys_root, "video4", serial="XYZ", devpath="1.4", product="0825")
    ids = camera_ids(capture_devices(klass))
    assert list(ids) == ["usb-046d-0826-1-1-2", "usb-046d-0826-1-1-3", "usb-046d-0825-xyz"]


def test_two_capture_interfaces_of_one_device_get_distinct_ids(sys_root):
    add_usb_node(sys_root, "video0", interface="1.0")
    klass = add_usb_node(sys_root, "video2", interface="1.2")
    ids = camera_ids(capture_devices(klass))
    assert list(ids) == ["usb-046d-0826-a1b2c3d4", "usb-046d-0826-a1b2c3d4-2"]


@pytest.mark.parametrize("serial", ["AB:CD 12/\u00fc\u202e", "-" * 10 + "Z" * 80, "__", "\x07"])
def test_ids_from_any_serial_are_valid_camera_ids(sys_root, serial):
    [device] = capture_devices(add_usb_node(sys_root, "video0", serial=serial))
    assert CAMERA_ID.fullmatch(device.camera_id()), device.camera_id()
    assert device.serial.isprintable()


def test_the_device_name_keeps_printable_text_only(sys_root):
    [device] = capture_devices(add_usb_node(sys_root, "video0", name="Cam\x1b[31m era"))
    assert device.name == "Cam[31m era"
