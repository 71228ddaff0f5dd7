"""The VolumeInventory contract, over FakeVolumes, the lsblk+mount adapter on a loop-device
stick (root) and the udisks2 adapter over a private bus to FakeUDisks2 backed by a loop-device
stick (root; ext4: the fake mounts with the kernel, which has no exFAT here). Each world gives
an inventory, a removable stick's device and its filesystem, a volume that is not removable,
and whether the drive can be powered off (only through udisks2)."""

from dataclasses import dataclass
from pathlib import Path

import pytest

from eyepi_gui.adapters.blockdev import BlockDevices
from eyepi_gui.adapters.mounts import RemovableVolumes
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.adapters.udisks import UDisksVolumes
from eyepi_gui.errors import Busy, InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import VolumeInventory
from tests.fake_volumes import FakeVolumes, stick


@dataclass
class World:
    inventory: VolumeInventory
    stick: str
    fixed: str
    home: Path
    fstype: str = "exfat"
    powers_off: bool = False


@pytest.fixture
def fake_world(tmp_path):
    volumes = FakeVolumes(tmp_path / "mnt")
    volumes.plug(stick("sdb1", label="EYEPI TEST"))
    return World(volumes, "/dev/sdb1", volumes.data_disk.device, tmp_path)


@pytest.fixture
def loop_world(make_usb_stick, tmp_path):
    made = make_usb_stick("exfat")
    runner = station_runner()
    devices = BlockDevices(runner, home=tmp_path, extra_removable=[made.name])
    fixed = next(v.device for v in devices.volumes() if not v.removable and v.has_medium)
    return World(RemovableVolumes(runner, devices, tmp_path / "mnt"), made.device, fixed, tmp_path)


@pytest.fixture
def udisks_world(fake_udisks, make_usb_stick, tmp_path):
    made = make_usb_stick("ext4")
    fake_udisks.add_stick(made)
    fixed = fake_udisks.add_fixed()
    runner = station_runner()
    drives = UDisksVolumes(
        runner, home=tmp_path, address=fake_udisks.address, media_roots=[str(tmp_path / "media")]
    )
    return World(drives, made.device, fixed.device, tmp_path, "ext4", powers_off=True)


@pytest.fixture(params=["fake_world", "loop_world", "udisks_world"])
def world(request):
    return request.getfixturevalue(request.param)


def volume(world, device):
    return {v.device: v for v in world.inventory.volumes()}.get(device)


def test_a_stick_is_listed_removable_with_filesystem_and_label(world):
    listed = volume(world, world.stick)
    assert listed.removable and listed.has_medium and listed.label == "EYEPI TEST"
    assert listed.fstype == world.fstype and listed.mountpoint is None and listed.free is None


def test_mount_gives_a_folder_the_listing_then_shows_with_free_space(world):
    path = world.inventory.mount(world.stick)
    assert path.is_dir() and path.is_relative_to(world.home)
    listed = volume(world, world.stick)
    assert listed.mountpoint == str(path) and listed.free is not None and listed.free > 0
    assert world.inventory.mount(world.stick) == path
    world.inventory.unmount(world.stick)
    assert volume(world, world.stick).mountpoint is None and not path.exists()
    world.inventory.unmount(world.stick)  # nothing mounted: nothing happens


def test_a_volume_that_is_not_removable_is_refused(world):
    with pytest.raises(InvalidInput) as err:
        world.inventory.mount(world.fixed)
    assert err.value.field == "device"


@pytest.mark.parametrize("device", ["/etc/shadow", "/dev/../sda1", "sda1", "/dev/-rf", ""])
def test_a_device_not_named_as_listed_is_refused(world, device):
    with pytest.raises(InvalidInput):
        world.inventory.mount(device)
    with pytest.raises(InvalidInput):
        world.inventory.unmount(device)


def test_a_device_not_listed_is_not_found(world):
    with pytest.raises(NotFound):
        world.inventory.mount("/dev/sdzz7")


def test_power_off_needs_an_unmounted_drive_and_says_why_it_cannot(world):
    world.inventory.mount(world.stick)
    with pytest.raises(Busy):
        world.inventory.power_off(world.stick)
    world.inventory.unmount(world.stick)
    if world.powers_off:
        world.inventory.power_off(world.stick)
        assert volume(world, world.stick) is None  # powered off: gone from the list
    else:
        with pytest.raises(Unavailable):
            world.inventory.power_off(world.stick)  # no udisks2 in these worlds


def test_the_data_disk_is_never_removable(world):
    disk = world.inventory.holding(world.home)
    assert not disk.removable and disk.free is not None and disk.mountpoint
