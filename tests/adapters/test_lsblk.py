"""Removable-drive detection from recorded and hand-written lsblk JSON (no udev here), blkid's
export format, and BlockDevices over a scripted runner."""

import json
from pathlib import Path

import pytest

from eyepi_gui.adapters.blockdev import BlockDevices, mount_of
from eyepi_gui.adapters.lsblk import LSBLK_ARGS, LsblkError, parse_blkid_export, parse_lsblk
from eyepi_gui.errors import CommandFailed
from tests.scripted_runner import ScriptedRunner

DATA = Path(__file__).parent.parent / "data" / "lsblk"
HOME = "/home/pi/eyepi"


def listed(name, **options):
    text = (DATA / name).read_text()
    return {v.name: v for v in parse_lsblk(text, system_paths=(HOME,), **options)}


def removable(name, **options):
    return sorted(n for n, v in listed(name, **options).items() if v.removable)


def test_a_pi_offers_its_usb_stick_and_never_its_sd_card():
    volumes = listed("pi_sd_and_usb_stick.json")
    assert removable("pi_sd_and_usb_stick.json") == ["sda1"]
    stick = volumes["sda1"]
    assert (stick.device, stick.fstype, stick.label) == ("/dev/sda1", "vfat", "FIELD DATA")
    assert stick.usb and not stick.read_only and stick.mountpoint is None
    assert (stick.model, stick.vendor) == ("Cruzer Blade", "SanDisk")  # padding trimmed
    assert stick.size == 15930490880
    assert not volumes["mmcblk0p2"].usb and volumes["mmcblk0p2"].mountpoint == "/"


def test_a_laptop_offers_its_usb_ssd_by_hotplug_and_never_its_nvme():
    volumes = listed("laptop_nvme_usb_disk.json")
    assert removable("laptop_nvme_usb_disk.json") == ["sda1"]
    assert volumes["sda1"].fstype == "exfat" and volumes["sda1"].usb
    assert {"nvme0n1p1", "nvme0n1p2", "nvme0n1p3"} <= set(volumes)


def test_an_empty_card_reader_is_listed_as_a_drive_without_medium():
    reader = listed("card_reader_no_medium.json")["sda"]
    assert reader.removable and reader.usb and not reader.has_medium
    assert reader.size == 0 and reader.fstype is None


def test_a_stick_without_partition_table_is_the_whole_disk():
    stick = listed("stick_no_partition_table.json")["sda"]
    assert stick.removable and stick.fstype == "exfat" and stick.label == "EXPORT"


def test_a_stick_with_two_partitions_gives_both_one_mounted_elsewhere():
    volumes = listed("stick_two_partitions.json")
    assert removable("stick_two_partitions.json") == ["sda1", "sda2"]
    assert volumes["sda2"].mountpoint == "/media/pi/DATA" and volumes["sda1"].mountpoint is None


def test_a_write_protected_stick_is_read_only():
    assert listed("read_only_stick.json")["sda1"].read_only


def test_a_blank_stick_is_removable_without_a_filesystem():
    stick = listed("blank_stick.json")["sda"]
    assert stick.removable and stick.has_medium and stick.fstype is None


def test_the_usb_ssd_a_pi_booted_from_is_never_removable():
    assert removable("pi_booted_from_usb_ssd.json") == ["sdb1"]


def test_the_disk_holding_the_home_is_never_removable(tmp_path):
    text = (DATA / "stick_two_partitions.json").read_text()
    volumes = parse_lsblk(text, system_paths=("/media/pi/DATA/eyepi",))
    assert [v.name for v in volumes if v.removable] == []


def test_lsblk_2_33_strings_read_as_2_38_values():
    volumes = listed("pi_lsblk_2_33_strings.json")
    assert removable("pi_lsblk_2_33_strings.json") == ["sda1"]
    assert volumes["sda1"].size == 15930490880 and volumes["sda1"].label == "OLD STICK"
    assert volumes["mmcblk0p1"].size == 268435456 and not volumes["mmcblk0p1"].read_only


def test_recorded_loop_devices_count_only_when_named_extra_removable():
    assert removable("recorded_vm_with_loop_stick.json") == []
    assert removable("recorded_vm_with_loop_stick.json", extra_removable=["/dev/loop0"]) == [
        "loop0"
    ]
    loop = listed("recorded_vm_with_loop_stick.json")["loop0"]
    assert loop.fstype is None and not loop.usb  # no udev: blkid must fill it in
    assert "vda" in listed("recorded_vm_with_loop_stick.json")


def test_the_root_disk_stays_not_removable_even_when_named_extra():
    assert removable("recorded_vm_with_loop_stick.json", extra_removable=["vda"]) == []


@pytest.mark.parametrize(
    "text",
    ["", "not json", "[]", '{"blockdevices": 3}', '{"devices": []}', '{"blockdevices": [1]}'],
)
def test_output_of_another_shape_is_refused(text):
    with pytest.raises(LsblkError):
        parse_lsblk(text)


def test_strange_values_read_as_nothing():
    text = json.dumps(
        {"blockdevices": [{"name": "sdz", "type": "disk", "size": "12x", "rm": "yes", "tran": 5}]}
    )
    (volume,) = parse_lsblk(text)
    assert (volume.size, volume.removable, volume.usb, volume.device) == (
        0,
        False,
        False,
        "/dev/sdz",
    )


def test_blkid_export_blocks_with_escaped_labels():
    found = parse_blkid_export(
        "DEVNAME=/dev/loop0\nLABEL=My\\ Stick\nTYPE=ext4\nUSAGE=filesystem\n\n"
        "DEVNAME=/dev/loop1\nLABEL=caf\\xc3\\xa9\nTYPE=exfat\n"
    )
    assert found["/dev/loop0"]["LABEL"] == "My Stick"
    assert found["/dev/loop1"]["TYPE"] == "exfat"
    assert "DEVNAME" not in found["/dev/loop0"]


def scripted(lsblk_file, blkid_out="", blkid_exit=0):
    runner = ScriptedRunner()
    runner.expect("lsblk", LSBLK_ARGS, stdout=(DATA / lsblk_file).read_text(), times=None)
    runner.expect(
        "blkid", ["-p", "-o", "export", "--", "/dev/loop0"], stdout=blkid_out, exit_code=blkid_exit
    )
    return runner


def test_blkid_fills_in_what_lsblk_lacks_without_udev(tmp_path):
    runner = scripted(
        "recorded_vm_with_loop_stick.json",
        "DEVNAME=/dev/loop0\nLABEL=FIELD\\ 1\nTYPE=ext4\nUSAGE=filesystem\n",
    )
    devices = BlockDevices(runner, home=tmp_path, extra_removable=["loop0"])
    loop = {v.name: v for v in devices.volumes()}["loop0"]
    assert (loop.fstype, loop.label, loop.removable) == ("ext4", "FIELD 1", True)
    # the recorded mount point is gone: its free space is unknown, not an error
    assert loop.free is None


def test_blkid_finding_nothing_leaves_no_filesystem(tmp_path):
    runner = scripted("recorded_vm_with_loop_stick.json", "", blkid_exit=2)
    devices = BlockDevices(runner, home=tmp_path, extra_removable=["loop0"])
    assert {v.name: v for v in devices.volumes()}["loop0"].fstype is None


def test_a_partition_table_is_no_filesystem(tmp_path):
    runner = scripted("recorded_vm_with_loop_stick.json", "DEVNAME=/dev/loop0\nPTTYPE=dos\n")
    devices = BlockDevices(runner, home=tmp_path, extra_removable=["loop0"])
    assert {v.name: v for v in devices.volumes()}["loop0"].fstype is None


def test_blkid_missing_still_lists_the_volumes(tmp_path):
    runner = ScriptedRunner(not_installed=["blkid"])
    runner.expect(
        "lsblk", LSBLK_ARGS, stdout=(DATA / "recorded_vm_with_loop_stick.json").read_text()
    )
    devices = BlockDevices(runner, home=tmp_path, extra_removable=["loop0"])
    assert [v.name for v in devices.volumes()] == ["loop0", "zram0", "vda"]


def test_lsblk_failing_says_why(tmp_path):
    runner = ScriptedRunner()
    runner.expect("lsblk", LSBLK_ARGS, stderr="lsblk: unknown column: HOTPLUG\n", exit_code=1)
    with pytest.raises(CommandFailed, match="lsblk: lsblk: unknown column: HOTPLUG"):
        BlockDevices(runner, home=tmp_path).volumes()


def test_lsblk_output_of_another_shape_is_a_command_failure(tmp_path):
    runner = ScriptedRunner()
    runner.expect("lsblk", LSBLK_ARGS, stdout="garbage")
    with pytest.raises(CommandFailed, match="lsblk gave no device list"):
        BlockDevices(runner, home=tmp_path).volumes()


def test_lsblk_missing_is_a_command_failure(tmp_path):
    runner = ScriptedRunner(not_installed=["lsblk"])
    with pytest.raises(CommandFailed, match="not installed"):
        BlockDevices(runner, home=tmp_path).volumes()


MOUNTINFO = (
    "22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw\n"
    "40 22 0:35 / /srv rw,relatime shared:2 - overlay overlay rw,lowerdir=/a\n"
    "41 40 7:0 / /srv/eyepi/mnt/with\\040space rw,nosuid - ext4 /dev/loop0 rw\n"
)


def test_the_mount_holding_a_folder_is_the_longest_that_contains_it(tmp_path):
    info = tmp_path / "mountinfo"
    info.write_text(MOUNTINFO)
    assert mount_of("/srv/eyepi", info) == ("/srv", "overlay", "overlay")
    assert mount_of("/srvx", info) == ("/", "/dev/vda", "ext4")
    assert mount_of("/srv/eyepi/mnt/with space/a", info) == (
        "/srv/eyepi/mnt/with space",
        "/dev/loop0",
        "ext4",
    )


def test_the_data_disk_is_found_by_its_mount_point_never_removable(tmp_path):
    info = tmp_path / "mountinfo"
    info.write_text("22 1 179:2 / / rw,relatime - ext4 /dev/mmcblk0p2 rw\n")
    runner = ScriptedRunner()
    runner.expect("lsblk", LSBLK_ARGS, stdout=(DATA / "pi_sd_and_usb_stick.json").read_text())
    devices = BlockDevices(runner, home=Path(HOME), mountinfo=info)
    disk = devices.holding(Path(HOME))
    assert (disk.device, disk.label, disk.mountpoint) == ("/dev/mmcblk0p2", "rootfs", "/")
    assert not disk.removable and disk.free is not None and disk.free > 0


def test_a_data_disk_that_is_no_block_device_is_named_as_mounted(tmp_path):
    runner = ScriptedRunner(not_installed=["lsblk"])
    disk = BlockDevices(runner, home=tmp_path).holding(tmp_path)
    assert disk.mountpoint and disk.fstype and disk.free is not None
    assert disk.size > 0 and not disk.removable
