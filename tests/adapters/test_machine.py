"""The machine's hardware facts from a device tree and sysfs laid out under a temp root."""

from eyepi_gui.adapters.machine import SysfsHardware


def write(root, relative, data):
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def test_a_raspberry_pi_is_known_by_its_device_tree_model(tmp_path):
    write(tmp_path, "proc/device-tree/model", b"Raspberry Pi 4 Model B Rev 1.4\0")
    machine = SysfsHardware(tmp_path)
    assert machine.board_model() == "Raspberry Pi 4 Model B Rev 1.4"
    assert machine.raspberry_pi()


def test_the_firmware_device_tree_is_read_when_proc_has_none(tmp_path):
    write(tmp_path, "sys/firmware/devicetree/base/model", b"Raspberry Pi 5 Model B Rev 1.0\0")
    assert SysfsHardware(tmp_path).raspberry_pi()


def test_a_pc_or_another_board_is_no_pi(tmp_path):
    assert not SysfsHardware(tmp_path).raspberry_pi()  # a PC has no device tree
    write(tmp_path, "proc/device-tree/model", b"Radxa ROCK 5B\0")
    assert not SysfsHardware(tmp_path).raspberry_pi()


def test_a_usb_still_image_device_is_seen_by_its_interface_class(tmp_path):
    write(tmp_path, "sys/bus/usb/devices/1-1:1.0/bInterfaceClass", b"03\n")  # a keyboard
    machine = SysfsHardware(tmp_path)
    assert not machine.still_camera_on_usb()
    write(tmp_path, "sys/bus/usb/devices/1-2:1.0/bInterfaceClass", b"06\n")  # a PTP camera
    assert machine.still_camera_on_usb()
