"""UDisksVolumes over a real private D-Bus to FakeUDisks2, backed by real loop-device sticks
(root): what it asks udisks2 for, how the mount really is, and every error over the bus."""

import os
import subprocess
import time
from pathlib import Path

import pytest

from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.adapters.udisks import UDisksVolumes, udisks_running
from eyepi_gui.errors import Busy, CommandFailed, InvalidInput, NotFound, Unavailable

UDISKS_ERROR = "org.freedesktop.UDisks2.Error"


def inventory(fake, home: Path) -> UDisksVolumes:
    roots = [str(fake.media_root)]
    return UDisksVolumes(station_runner(), home=home, address=fake.address, media_roots=roots)


def mount_options(path: Path) -> set[str]:
    for line in Path("/proc/mounts").read_text().splitlines():
        fields = line.split()
        if fields[1].replace("\\040", " ") == str(path):
            return set(fields[3].split(","))
    return set()


@pytest.fixture
def stick(make_usb_stick, fake_udisks):
    made = make_usb_stick("ext4")
    fake_udisks.add_stick(made)
    return made


@pytest.fixture
def drives(fake_udisks, stick, tmp_path):
    return inventory(fake_udisks, tmp_path)


def test_a_stick_is_listed_from_udisks_as_a_removable_usb_drive(drives, stick):
    (volume,) = [v for v in drives.volumes() if v.device == stick.device]
    assert volume.removable and volume.usb and volume.fstype == "ext4"
    assert volume.label == "EYEPI TEST" and volume.size == 64 * 2**20
    assert (volume.vendor, volume.model) == ("eyepi", "Test Stick")


def test_mount_asks_for_nosuid_nodev_noexec_and_the_mount_has_them(drives, stick, fake_udisks):
    path = drives.mount(stick.device)
    assert path == fake_udisks.media_root / "EYEPI TEST"  # udisks2's folder, not the station's
    method, _, options = fake_udisks.calls[-1]
    assert method == "Mount" and options["options"] == "nosuid,nodev,noexec"
    assert options["auth.no_user_interaction"] is True
    assert {"nosuid", "nodev", "noexec", "rw"} <= mount_options(path)
    program = path / "run-me"
    program.write_bytes(b"#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    with pytest.raises(PermissionError):
        os.execv(program, [str(program)])
    assert drives.mount(stick.device) == path
    assert [c[0] for c in fake_udisks.calls] == ["Mount"]  # the second found it mounted


def test_a_read_only_stick_is_mounted_read_only(make_usb_stick, fake_udisks, tmp_path):
    made = make_usb_stick("ext4", read_only=True)
    fake_udisks.add_stick(made)
    path = inventory(fake_udisks, tmp_path).mount(made.device)
    assert fake_udisks.calls[-1][2]["options"] == "nosuid,nodev,noexec,ro"
    assert "ro" in mount_options(path)


def test_a_mount_without_noexec_is_undone_and_refused(drives, stick, fake_udisks):
    fake_udisks.drop_options = {"noexec"}
    with pytest.raises(CommandFailed) as err:
        drives.mount(stick.device)
    assert "nosuid,nodev,noexec" in str(err.value)
    assert stick.mounts() == []
    assert [c[0] for c in fake_udisks.calls] == ["Mount", "Unmount"]


def test_a_stick_mounted_by_someone_else_is_busy_and_left_alone(drives, stick, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(["mount", stick.device, str(elsewhere)], check=True)
    with pytest.raises(Busy) as err:
        drives.mount(stick.device)
    assert str(elsewhere) in str(err.value)
    drives.unmount(stick.device)  # not the station's: nothing happens
    assert stick.mounts() == [str(elsewhere)]
    with pytest.raises(Busy):
        drives.power_off(stick.device)


def test_an_open_file_keeps_the_stick_mounted_and_says_busy(drives, stick):
    path = drives.mount(stick.device)
    with open(path / "open.txt", "w") as handle:
        handle.write("kept open")
        with pytest.raises(Busy) as err:
            drives.unmount(stick.device)
    assert "busy" in str(err.value)
    assert stick.mounts() == [str(path)]
    drives.unmount(stick.device)
    assert stick.mounts() == [] and not path.exists()


def test_a_pulled_stick_needs_no_unmount(drives, stick):
    device = stick.device
    drives.mount(device)
    stick.pull()
    drives.unmount(device)  # udisks2 lists it no more: nothing to do
    with pytest.raises(NotFound):
        drives.mount(device)


def test_power_off_reaches_the_drive_and_the_stick_goes(drives, stick, fake_udisks):
    device = stick.device
    drives.power_off(device)
    method, path, _ = fake_udisks.calls[-1]
    assert method == "PowerOff" and path.startswith("/org/freedesktop/UDisks2/drives/")
    assert stick.device is None and device not in [v.device for v in drives.volumes()]


def test_a_drive_that_cannot_power_off_is_unavailable_without_asking(
    make_usb_stick, fake_udisks, tmp_path
):
    made = make_usb_stick("ext4")
    fake_udisks.add_stick(made, can_power_off=False)
    with pytest.raises(Unavailable):
        inventory(fake_udisks, tmp_path).power_off(made.device)
    assert fake_udisks.calls == []


def test_a_fixed_disk_from_udisks_is_refused(fake_udisks, tmp_path):
    fixed = fake_udisks.add_fixed("/dev/vda1")
    drives = inventory(fake_udisks, tmp_path)
    with pytest.raises(InvalidInput) as err:
        drives.mount(fixed.device)
    assert err.value.field == "device" and fake_udisks.calls == []


def test_exfat_without_kernel_support_fails_naming_udisks(make_usb_stick, fake_udisks, tmp_path):
    made = make_usb_stick("exfat")
    fake_udisks.add_stick(made)
    with pytest.raises(CommandFailed) as err:
        inventory(fake_udisks, tmp_path).mount(made.device)
    assert err.value.program == "udisks2" and "Error mounting" in str(err.value)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (f"{UDISKS_ERROR}.Failed", CommandFailed),
        (f"{UDISKS_ERROR}.Timedout", CommandFailed),
        (f"{UDISKS_ERROR}.DeviceBusy", Busy),
        (f"{UDISKS_ERROR}.AlreadyMounted", Busy),
        (f"{UDISKS_ERROR}.NotAuthorizedCanObtain", Unavailable),
        (f"{UDISKS_ERROR}.NotSupported", InvalidInput),
        ("org.freedesktop.DBus.Error.UnknownObject", NotFound),
    ],
)
def test_a_udisks_error_on_mount_maps_to_the_error_tree(
    drives, stick, fake_udisks, error, expected
):
    fake_udisks.fail_next["Mount"] = (error, "said udisks")
    with pytest.raises(expected) as err:
        drives.mount(stick.device)
    assert type(err.value) is expected
    assert "said udisks" in str(err.value) or expected is CommandFailed
    assert stick.mounts() == []


def test_an_error_on_power_off_maps_too(drives, stick, fake_udisks):
    fake_udisks.fail_next["PowerOff"] = (f"{UDISKS_ERROR}.DeviceBusy", "drive in use")
    with pytest.raises(Busy, match="drive in use"):
        drives.power_off(stick.device)


def test_a_mount_outside_the_media_folders_is_undone_and_refused(stick, fake_udisks, tmp_path):
    drives = UDisksVolumes(
        station_runner(), home=tmp_path, address=fake_udisks.address, media_roots=["/media"]
    )
    with pytest.raises(CommandFailed, match="not in a media folder"):
        drives.mount(stick.device)
    assert stick.mounts() == []


def test_unmount_answered_not_mounted_is_done(drives, stick, fake_udisks):
    drives.mount(stick.device)
    fake_udisks.fail_next["Unmount"] = (f"{UDISKS_ERROR}.NotMounted", "is not mounted")
    drives.unmount(stick.device)  # unmounted meanwhile (by udisks2 itself): nothing to do
    assert [c[0] for c in fake_udisks.calls] == ["Mount"]


@pytest.mark.parametrize("method", ["GetManagedObjects", "Mount"])
def test_a_hung_udisks_is_command_failed_within_the_timeout(stick, fake_udisks, tmp_path, method):
    drives = UDisksVolumes(
        station_runner(),
        home=tmp_path,
        address=fake_udisks.address,
        list_timeout_s=0.3,
        act_timeout_s=0.3,
    )
    fake_udisks.silent = {method}
    started = time.monotonic()
    with pytest.raises(CommandFailed, match=r"no answer within 0\.3 s"):
        drives.mount(stick.device)
    assert time.monotonic() - started < 2.0


def test_udisks_gone_from_the_bus_is_command_failed(drives, stick, fake_udisks):
    assert udisks_running(fake_udisks.address)
    fake_udisks.stop()
    assert not udisks_running(fake_udisks.address)
    with pytest.raises(CommandFailed) as err:
        drives.volumes()
    assert err.value.program == "udisks2" and "not running" in str(err.value)
    with pytest.raises(Unavailable):
        drives.power_off(stick.device)


def test_no_bus_at_all_is_command_failed(tmp_path):
    drives = UDisksVolumes(station_runner(), home=tmp_path, address=f"unix:path={tmp_path}/none")
    with pytest.raises(CommandFailed, match="cannot be reached"):
        drives.volumes()
    assert not udisks_running(f"unix:path={tmp_path}/none")


def test_the_data_disk_is_the_filesystem_holding_home(drives, tmp_path):
    disk = drives.holding(tmp_path)
    assert not disk.removable and disk.mountpoint and disk.free is not None
