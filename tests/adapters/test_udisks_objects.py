"""udisks2's object tree read into volumes (pure: objects shaped as jeepney unwraps
GetManagedObjects of a Pi with an SD card system disk, a USB stick, a card reader and loops)."""

import pytest

from eyepi_gui.adapters.udisks_objects import read_objects

U = "org.freedesktop.UDisks2"
BLOCKS = "/org/freedesktop/UDisks2/block_devices"
DRIVES = "/org/freedesktop/UDisks2/drives"


def block(device, size, drive="/", fstype="", label="", mounts=(), **more):
    props = {
        "Device": ("ay", device.encode() + b"\0"),
        "Size": ("t", size),
        "Drive": ("o", drive),
        "IdUsage": ("s", "filesystem" if fstype else ""),
        "IdType": ("s", fstype),
        "IdLabel": ("s", label),
        "ReadOnly": ("b", more.pop("read_only", False)),
    }
    interfaces = {f"{U}.Block": props}
    if fstype:
        points = [m.encode() + b"\0" for m in mounts]
        interfaces[f"{U}.Filesystem"] = {"MountPoints": ("aay", points)}
    if "table" in more:
        interfaces[f"{U}.Partition"] = {"Table": ("o", more.pop("table")), "Number": ("u", 1)}
    if more.pop("has_table", False):
        interfaces[f"{U}.PartitionTable"] = {"Type": ("s", "dos")}
    if more.pop("swap", False):
        interfaces[f"{U}.Swapspace"] = {"Active": ("b", True)}
    return interfaces


def drive(bus="usb", removable=True, model="Cruzer Blade    ", vendor=" SanDisk", power=True):
    props = {
        "ConnectionBus": ("s", bus),
        "Removable": ("b", removable),
        "Model": ("s", model),
        "Vendor": ("s", vendor),
        "CanPowerOff": ("b", power),
    }
    return {f"{U}.Drive": props}


def pi_objects():
    sd, stick, reader = f"{DRIVES}/SD_card", f"{DRIVES}/SanDisk_Cruzer", f"{DRIVES}/Reader"
    return {
        "/org/freedesktop/UDisks2/Manager": {f"{U}.Manager": {"Version": ("s", "2.9.4")}},
        sd: drive(bus="sdio", removable=True, model="SC32G", vendor=""),
        f"{BLOCKS}/mmcblk0": block("/dev/mmcblk0", 32 * 10**9, sd, has_table=True),
        f"{BLOCKS}/mmcblk0p1": block(
            "/dev/mmcblk0p1", 512 * 2**20, sd, "vfat", "bootfs", ["/boot/firmware"]
        ),
        f"{BLOCKS}/mmcblk0p2": block("/dev/mmcblk0p2", 31 * 10**9, sd, "ext4", "rootfs", ["/"]),
        stick: drive(),
        f"{BLOCKS}/sda": block("/dev/sda", 16 * 10**9, stick, has_table=True),
        f"{BLOCKS}/sda1": block(
            "/dev/sda1", 16 * 10**9, stick, "exfat", "FIELD 1", ["/media/pi/FIELD 1"]
        ),
        reader: drive(model="Card Reader", power=False),
        f"{BLOCKS}/sdb": block("/dev/sdb", 0, reader),
        f"{BLOCKS}/loop0": block("/dev/loop0", 0),
        f"{BLOCKS}/loop1": block("/dev/loop1", 64 * 2**20, fstype="ext4", label="LOOP"),
    }


def by_device(volumes):
    return {found.volume.device: found for found in volumes}


def test_partitions_and_disks_without_a_table_are_volumes():
    listed = by_device(read_objects(pi_objects()))
    assert sorted(listed) == [
        "/dev/loop1",
        "/dev/mmcblk0p1",
        "/dev/mmcblk0p2",
        "/dev/sda1",
        "/dev/sdb",
    ]  # a disk with a partition table and an unattached loop device are not


def test_a_usb_stick_reads_with_label_filesystem_mount_and_drive():
    found = by_device(read_objects(pi_objects()))["/dev/sda1"]
    volume = found.volume
    assert volume.removable and volume.usb and volume.name == "sda1"
    assert (volume.fstype, volume.label, volume.size) == ("exfat", "FIELD 1", 16 * 10**9)
    assert volume.mountpoint == "/media/pi/FIELD 1"  # NUL terminator gone
    assert (volume.vendor, volume.model) == ("SanDisk", "Cruzer Blade")
    assert found.drive == f"{DRIVES}/SanDisk_Cruzer" and found.can_power_off
    assert found.block == f"{BLOCKS}/sda1"


def test_the_system_card_is_never_removable_though_its_drive_says_so():
    listed = by_device(read_objects(pi_objects()))
    assert not listed["/dev/mmcblk0p1"].volume.removable
    assert not listed["/dev/mmcblk0p2"].volume.removable


def test_an_empty_card_reader_is_a_removable_volume_without_medium():
    volume = by_device(read_objects(pi_objects()))["/dev/sdb"].volume
    assert volume.removable and not volume.has_medium and volume.fstype is None


def test_a_loop_device_is_removable_only_when_named():
    assert not by_device(read_objects(pi_objects()))["/dev/loop1"].volume.removable
    named = by_device(read_objects(pi_objects(), extra_removable=["/dev/loop1"]))
    assert named["/dev/loop1"].volume.removable and named["/dev/loop1"].drive is None


def test_a_partitioned_loop_device_is_named_by_its_disk():
    objects = {
        f"{BLOCKS}/loop2": block("/dev/loop2", 64 * 2**20, has_table=True),
        f"{BLOCKS}/loop2p1": block(
            "/dev/loop2p1", 63 * 2**20, fstype="ext4", table=f"{BLOCKS}/loop2"
        ),
    }
    (found,) = read_objects(objects, extra_removable=["loop2"])
    assert found.volume.device == "/dev/loop2p1" and found.volume.removable


@pytest.mark.parametrize(
    "system",
    [
        {"mounts": ["/"]},
        {"mounts": ["/boot"]},
        {"mounts": ["/srv/eyepi"]},  # holds the station's home
        {"swap": True},
    ],
)
def test_a_usb_disk_holding_the_system_is_not_removable(system):
    ssd = f"{DRIVES}/USB_SSD"
    fstype = "" if system.get("swap") else "ext4"
    objects = {
        ssd: drive(),
        f"{BLOCKS}/sda1": block("/dev/sda1", 10**9, ssd, "ext4", "DATA"),
        f"{BLOCKS}/sda2": block("/dev/sda2", 10**9, ssd, fstype, **system),
    }
    listed = read_objects(objects, system_paths=["/srv/eyepi/home"])
    assert [found.volume.removable for found in listed] == [False, False]


def test_a_volume_without_a_filesystem_has_no_type_and_a_read_only_one_says_so():
    stick = f"{DRIVES}/Stick"
    objects = {
        stick: drive(),
        f"{BLOCKS}/sdc": block("/dev/sdc", 10**9, stick, read_only=True),
    }
    (found,) = read_objects(objects)
    assert found.volume.fstype is None and found.volume.label is None
    assert found.volume.read_only and found.mountpoints == ()


def test_an_ejectable_drive_is_removable_and_a_fixed_sata_disk_is_not():
    cd, sata = f"{DRIVES}/Firewire_Disk", f"{DRIVES}/SATA_Disk"
    ejectable = drive(bus="ieee1394", removable=False)
    ejectable[f"{U}.Drive"]["Ejectable"] = ("b", True)
    objects = {
        cd: ejectable,
        f"{BLOCKS}/sdd1": block("/dev/sdd1", 10**9, cd, "ext4"),
        sata: drive(bus="", removable=False),
        f"{BLOCKS}/sde1": block("/dev/sde1", 10**9, sata, "ext4", mounts=["/srv/data"]),
    }
    listed = by_device(read_objects(objects))
    assert listed["/dev/sdd1"].volume.removable and not listed["/dev/sdd1"].volume.usb
    assert not listed["/dev/sde1"].volume.removable
