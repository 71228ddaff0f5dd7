"""RemovableVolumes on real loop-device sticks (root): ext4 and exFAT through FUSE."""

import contextlib
import os
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from eyepi_gui.adapters.blockdev import BlockDevices
from eyepi_gui.adapters.mounts import RemovableVolumes
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.errors import Busy, InvalidInput, NotFound, Unavailable
from tests.usb_stick import fuse_pids, stick_names

MIB = 2**20


def inventory(home: Path, *sticks) -> RemovableVolumes:
    runner = station_runner()
    devices = BlockDevices(runner, home=home, extra_removable=stick_names(*sticks))
    return RemovableVolumes(runner, devices, home / "mnt")


def listed(volumes: RemovableVolumes, device: str):
    return {v.device: v for v in volumes.volumes()}.get(device)


def mount_options(path: Path) -> set[str]:
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        if fields[1] == str(path):
            return set(fields[3].split(","))
    return set()


def write_through(handle, data: bytes) -> None:
    handle.write(data)
    handle.flush()
    os.fsync(handle.fileno())


def test_a_stick_is_listed_with_its_filesystem_and_label(usb_stick, tmp_path):
    volume = listed(inventory(tmp_path, usb_stick), usb_stick.device)
    assert volume.removable and volume.fstype == usb_stick.fstype
    assert volume.label == "EYEPI TEST" and volume.size == 64 * MIB
    assert volume.mountpoint is None and volume.free is None


def test_a_mount_is_nosuid_nodev_noexec_in_a_private_folder(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    assert path == tmp_path / "mnt" / usb_stick.name and os.path.ismount(path)
    assert {"nosuid", "nodev", "noexec", "rw"} <= mount_options(path)
    assert stat.S_IMODE((tmp_path / "mnt").stat().st_mode) == 0o700
    program = path / "run-me"
    program.write_bytes(b"#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    with pytest.raises(PermissionError):
        os.execv(program, [str(program)])  # noexec: refused before anything runs
    assert volumes.mount(usb_stick.device) == path  # mounted here already


def test_free_space_is_the_filesystems_and_follows_what_is_written(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    before = listed(volumes, usb_stick.device)
    st = os.statvfs(path)
    assert before.free == st.f_bavail * st.f_frsize
    assert 40 * MIB < before.free < 64 * MIB
    (path / "ten.bin").write_bytes(os.urandom(10 * MIB))
    os.sync()
    after = listed(volumes, usb_stick.device)
    assert abs((before.free - after.free) - 10 * MIB) < MIB


def test_unmount_writes_and_leaves_nothing_mounted(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    (path / "kept.txt").write_text("field data\n")
    volumes.unmount(usb_stick.device)
    assert usb_stick.mounts() == [] and not path.exists()
    assert fuse_pids(usb_stick.device) == []
    assert listed(volumes, usb_stick.device).mountpoint is None
    volumes.unmount(usb_stick.device)  # not mounted: nothing to do
    again = volumes.mount(usb_stick.device)
    assert (again / "kept.txt").read_text() == "field data\n"
    volumes.unmount(usb_stick.device)


def test_a_file_let_go_of_within_a_second_does_not_stop_the_unmount(usb_stick, tmp_path):
    """A file indexer looking at a new mount lets go soon: unmount waits for it."""
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    held = (path / "looked-at.txt").open("w")
    threading.Timer(0.2, held.close).start()
    volumes.unmount(usb_stick.device)
    assert held.closed and usb_stick.mounts() == []


def test_a_file_kept_open_makes_unmount_busy_and_the_stick_stays_mounted(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    with (path / "kept-open.txt").open("w"), pytest.raises(Busy, match="target is busy"):
        volumes.unmount(usb_stick.device)
    assert usb_stick.mounts() == [str(path)]
    volumes.unmount(usb_stick.device)
    assert usb_stick.mounts() == []


def test_pulling_the_stick_mid_write_fails_clearly_and_unmount_cleans_up(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    device = usb_stick.device
    path = volumes.mount(device)
    handle = open(path / "copy.bin", "wb")  # noqa: SIM115 - closed below, failing
    handle.write(os.urandom(4 * MIB))
    usb_stick.pull(unmount=False)  # gone mid-copy, still mounted
    with pytest.raises(OSError):
        write_through(handle, os.urandom(4 * MIB))
    with contextlib.suppress(OSError):
        handle.close()  # FUSE reports the lost writes at close too
    gone = listed(volumes, device)  # a real stick vanishes; a mounted loop device empties
    assert gone is None or not gone.has_medium
    with pytest.raises((NotFound, InvalidInput)):
        volumes.mount(device)
    try:
        volumes.unmount(device)
    except Unavailable as err:  # the writes could not reach the stick: said, not a crash
        assert "lost writes" in str(err) and usb_stick.fstype == "ext4"
    assert not os.path.ismount(path)
    assert fuse_pids(device) == []


def test_a_reinserted_stick_mounts_again_with_what_reached_it(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    (path / "before.txt").write_text("safe\n")
    volumes.unmount(usb_stick.device)
    usb_stick.pull()
    device = usb_stick.reinsert()
    assert (volumes.mount(device) / "before.txt").read_text() == "safe\n"
    volumes.unmount(device)


def test_a_lazily_unmounted_stick_is_no_longer_mounted(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    volumes.mount(usb_stick.device)
    usb_stick.pull(detach=False)
    assert listed(volumes, usb_stick.device).mountpoint is None
    volumes.unmount(usb_stick.device)


def test_flip_bit_corrupts_one_byte_on_the_device(usb_stick, tmp_path):
    volumes = inventory(tmp_path, usb_stick)
    path = volumes.mount(usb_stick.device)
    data = os.urandom(256 * 1024)
    (path / "image.jpg").write_bytes(data)
    usb_stick.flip_bit(path / "image.jpg")
    read = (path / "image.jpg").read_bytes()
    assert len(read) == len(data)
    assert [i for i in range(len(data)) if read[i] != data[i]] == [2048]
    volumes.unmount(usb_stick.device)


def test_a_stick_without_filesystem_is_refused(make_usb_stick, tmp_path):
    blank = make_usb_stick(None)
    volumes = inventory(tmp_path, blank)
    assert listed(volumes, blank.device).fstype is None
    with pytest.raises(InvalidInput, match="no filesystem") as err:
        volumes.mount(blank.device)
    assert err.value.field == "device"


def test_a_read_only_stick_mounts_read_only(make_usb_stick, tmp_path):
    locked = make_usb_stick("ext4", read_only=True)
    volumes = inventory(tmp_path, locked)
    assert listed(volumes, locked.device).read_only
    path = volumes.mount(locked.device)
    assert {"ro", "nosuid", "nodev", "noexec"} <= mount_options(path)
    with pytest.raises(OSError):
        (path / "x").write_text("no")
    volumes.unmount(locked.device)


def test_a_drive_not_removable_is_refused(make_usb_stick, tmp_path):
    other = make_usb_stick("ext4")
    volumes = inventory(tmp_path)  # the loop device not named removable
    with pytest.raises(InvalidInput, match="not a removable drive"):
        volumes.mount(other.device)
    assert other.mounts() == []


@pytest.mark.parametrize("device", ["/etc/passwd", "/dev/../etc", "sdb1", "/dev/-o", "/dev/"])
def test_a_device_named_otherwise_than_listed_is_refused(device, tmp_path):
    with pytest.raises(InvalidInput, match="as the station lists it"):
        inventory(tmp_path).mount(device)


def test_a_device_not_listed_is_not_found(tmp_path):
    with pytest.raises(NotFound):
        inventory(tmp_path).mount("/dev/sdzz9")


def test_a_stick_mounted_elsewhere_is_busy(make_usb_stick, tmp_path):
    elsewhere = make_usb_stick("ext4")
    place = tmp_path / "desktop"
    place.mkdir()
    subprocess.run(["mount", elsewhere.device, str(place)], check=True)  # a desktop's automount
    volumes = inventory(tmp_path, elsewhere)
    with pytest.raises(Busy, match=str(place)):
        volumes.mount(elsewhere.device)


def test_power_off_says_why_it_cannot(make_usb_stick, tmp_path):
    stick = make_usb_stick("ext4")
    volumes = inventory(tmp_path, stick)
    path = volumes.mount(stick.device)
    with pytest.raises(Busy):
        volumes.power_off(stick.device)
    volumes.unmount(stick.device)
    assert not path.exists()
    with pytest.raises(Unavailable, match="udisksctl not installed"):
        volumes.power_off(stick.device)  # no udisks2 daemon here (and maybe no udisksctl)
