"""RemovableVolumes' commands where this machine cannot run them for real: a FAT stick the
kernel mounts itself (a Pi's kernel has vfat), a mount that comes out without noexec, and
power-off through udisks2."""

from pathlib import Path

import pytest

from eyepi_gui.adapters.blockdev import BlockDevices
from eyepi_gui.adapters.lsblk import LSBLK_ARGS
from eyepi_gui.adapters.mounts import POWER_OFF, RemovableVolumes
from eyepi_gui.errors import CommandFailed, InvalidInput, Unavailable
from tests.scripted_runner import ScriptedRunner

DATA = Path(__file__).parent.parent / "data" / "lsblk"


def pi(tmp_path, listing="pi_sd_and_usb_stick.json", options="rw,nosuid,nodev,noexec"):
    runner = ScriptedRunner()
    runner.expect("lsblk", LSBLK_ARGS, stdout=(DATA / listing).read_text(), times=None)
    filesystems = tmp_path / "filesystems"
    filesystems.write_text("nodev\tsysfs\n\text4\n\tvfat\n")
    mountinfo = tmp_path / "mountinfo"
    target = tmp_path / "home" / "mnt" / "sda1"
    mountinfo.write_text(f"50 22 8:1 / {target} {options},relatime - vfat /dev/sda1 rw\n")
    devices = BlockDevices(runner, home=tmp_path / "home", mountinfo=mountinfo)
    volumes = RemovableVolumes(
        runner, devices, tmp_path / "home" / "mnt", filesystems=filesystems, mountinfo=mountinfo
    )
    return runner, volumes, target


def test_a_fat_stick_is_mounted_by_the_kernel_with_safe_options(tmp_path):
    runner, volumes, target = pi(tmp_path)
    args = ["-i", "-t", "vfat", "-o", "nosuid,nodev,noexec", "--", "/dev/sda1", str(target)]
    runner.expect("mount", args)
    assert volumes.mount("/dev/sda1") == target
    assert runner.unused() == []
    assert (target.stat().st_mode & 0o777) == 0o700


def test_a_write_protected_stick_is_mounted_read_only(tmp_path):
    runner, volumes, target = pi(tmp_path, "read_only_stick.json", "ro,nosuid,nodev,noexec")
    args = ["-i", "-t", "vfat", "-o", "nosuid,nodev,noexec,ro", "--", "/dev/sda1", str(target)]
    runner.expect("mount", args)
    assert volumes.mount("/dev/sda1") == target


def test_a_mount_without_noexec_is_undone_and_refused(tmp_path):
    runner, volumes, target = pi(tmp_path, options="rw,nosuid,nodev")
    runner.expect(
        "mount", ["-i", "-t", "vfat", "-o", "nosuid,nodev,noexec", "--", "/dev/sda1", str(target)]
    )
    runner.expect("umount", ["--lazy", "--", str(target)])
    with pytest.raises(CommandFailed, match="was not mounted with nosuid,nodev,noexec"):
        volumes.mount("/dev/sda1")
    assert runner.unused() == []


def test_mount_failing_says_why(tmp_path):
    runner, volumes, target = pi(tmp_path)
    runner.expect(
        "mount",
        ["-i", "-t", "vfat", "-o", "nosuid,nodev,noexec", "--", "/dev/sda1", str(target)],
        stderr="mount: /x: can't read superblock on /dev/sda1.\n",
        exit_code=32,
    )
    with pytest.raises(CommandFailed, match="can't read superblock") as err:
        volumes.mount("/dev/sda1")
    assert err.value.exit_code == 32
    assert not target.exists()  # no empty folder left behind


def test_an_empty_card_reader_is_refused(tmp_path):
    _, volumes, _ = pi(tmp_path, "card_reader_no_medium.json")
    with pytest.raises(InvalidInput, match="no medium"):
        volumes.mount("/dev/sda")


def test_the_sd_card_of_the_pi_is_never_mounted(tmp_path):
    _, volumes, _ = pi(tmp_path)
    for device in ("/dev/mmcblk0p1", "/dev/mmcblk0p2"):
        with pytest.raises(InvalidInput, match="not a removable drive"):
            volumes.mount(device)


def test_power_off_goes_through_udisks(tmp_path):
    runner, volumes, _ = pi(tmp_path)
    runner.expect("udisksctl", [*POWER_OFF, "/dev/sda1"])
    volumes.power_off("/dev/sda1")
    assert runner.unused() == []


def test_power_off_without_a_udisks_daemon_says_so(tmp_path):
    runner, volumes, _ = pi(tmp_path)
    runner.expect(
        "udisksctl",
        [*POWER_OFF, "/dev/sda1"],
        exit_code=1,
        stderr="Error connecting to the udisks daemon: Could not connect\n",
    )
    with pytest.raises(Unavailable, match="cannot power /dev/sda1 off: Error connecting"):
        volumes.power_off("/dev/sda1")
