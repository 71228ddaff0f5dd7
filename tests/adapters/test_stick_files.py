"""StickFolder on real loop sticks: temp name then rename, nothing followed, and what the
read-back sees. The read-back facts documented in adapters.stick_files are measured here:
a bit flipped in the stick's image behind every cache (the loop device's backing file) is
missed by a plain read on both filesystems, seen on ext4 once the file's pages are dropped,
and on exFAT-FUSE only once the device's own cache is dropped too."""

import hashlib
import os
import stat

import pytest

from eyepi_gui.adapters.blockdev import BlockDevices
from eyepi_gui.adapters.mounts import RemovableVolumes
from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.adapters.stick_files import StickFolder
from eyepi_gui.domain.export import EXPORT_FOLDER, MANIFEST
from eyepi_gui.errors import StorageError
from tests.usb_stick import _find_on_device


def nothing(size):
    """A tick that ignores progress."""


@pytest.fixture
def mounted(usb_stick, tmp_path):
    runner = station_runner()
    devices = BlockDevices(runner, home=tmp_path, extra_removable=[usb_stick.name])
    drives = RemovableVolumes(runner, devices, tmp_path / "mnt")
    mountpoint = drives.mount(usb_stick.device)
    folder = StickFolder(mountpoint, usb_stick.device)
    yield mountpoint, folder, usb_stick
    folder.close()
    drives.unmount(usb_stick.device)


def source(tmp_path, size=3 << 20, name="src.bin"):
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_copy_lands_under_its_name_with_no_temporary_left(mounted, tmp_path):
    mountpoint, folder, _ = mounted
    path, digest = source(tmp_path)
    ticks = []
    folder.copy(str(path), "cam/day/x.bin", ticks.append)
    written = mountpoint / EXPORT_FOLDER / "cam/day/x.bin"
    assert os.listdir(written.parent) == [".x.bin.part"], "its name only once settled"
    folder.settle(["cam/day/x.bin"])
    assert hashlib.sha256(written.read_bytes()).hexdigest() == digest
    assert os.listdir(written.parent) == ["x.bin"]
    assert sum(ticks) == 3 << 20 and len(ticks) == 3  # a tick per MiB: cancel checks
    assert folder.verify("cam/day/x.bin", nothing) == digest


def test_a_leftover_temporary_is_replaced(mounted, tmp_path):
    mountpoint, folder, _ = mounted
    path, _ = source(tmp_path, 1000)
    day = mountpoint / EXPORT_FOLDER / "cam"
    day.mkdir(parents=True)
    (day / ".x.bin.part").write_bytes(b"half a file")
    folder.copy(str(path), "cam/x.bin", nothing)
    folder.settle(["cam/x.bin"])
    assert sorted(os.listdir(day)) == ["x.bin"]


def test_the_manifest_is_appended_and_read_back(mounted):
    _, folder, _ = mounted
    folder.record("a" * 64, "cam/x.bin")
    folder.record("b" * 64, "cam/y.bin")
    folder.sync()
    assert folder.manifest() == {"cam/x.bin": "a" * 64, "cam/y.bin": "b" * 64}


def link(mountpoint, where, outside):
    """A symlink at ``where`` (under the export folder) to a path in ``outside``."""
    target = mountpoint / EXPORT_FOLDER / where
    target.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(outside if where == "cam" else outside / "file", target)


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)  # exFAT holds no links
@pytest.mark.parametrize("where", ["cam", "cam/x.bin", "cam/.x.bin.part"])
def test_links_on_the_stick_are_never_written_through(mounted, tmp_path, where):
    mountpoint, folder, _ = mounted
    outside = tmp_path / "outside"
    outside.mkdir()
    link(mountpoint, where, outside)
    path, digest = source(tmp_path, 1000)
    if where == "cam":
        with pytest.raises(StorageError, match="link"):
            folder.copy(str(path), "cam/x.bin", nothing)
    else:  # the link itself is removed or replaced by the rename
        folder.copy(str(path), "cam/x.bin", nothing)
        folder.settle(["cam/x.bin"])
        assert folder.verify("cam/x.bin", nothing) == digest
        assert not (mountpoint / EXPORT_FOLDER / "cam/x.bin").is_symlink()
    assert os.listdir(outside) == []


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)
def test_a_linked_manifest_is_neither_read_nor_written(mounted, tmp_path):
    mountpoint, folder, _ = mounted
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "file").write_text("a" * 64 + "  cam/x.bin\n")
    link(mountpoint, MANIFEST, outside)
    with pytest.raises(StorageError, match="link"):
        folder.manifest()
    with pytest.raises(StorageError, match="link"):
        folder.record("b" * 64, "cam/y.bin")
    assert (outside / "file").read_text() == "a" * 64 + "  cam/x.bin\n"


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)
def test_a_device_file_on_the_stick_is_never_read(mounted):
    mountpoint, folder, _ = mounted
    node = mountpoint / EXPORT_FOLDER / "cam" / "x.bin"
    node.parent.mkdir(parents=True)
    os.mknod(node, 0o600 | stat.S_IFCHR, os.makedev(1, 3))  # /dev/null's numbers
    with pytest.raises(StorageError, match="not a plain file"):
        folder.verify("cam/x.bin", nothing)


def flip_behind_every_cache(stick, path):
    """Flip a byte of ``path``'s data in the stick's image file: the loop device's page
    cache and the filesystem's keep the old byte."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    os.sync()
    where = _find_on_device(stick.device, head) + 2048
    with open(stick.device, "rb") as device:  # the device's cache holds the file again
        device.read()
    fd = os.open(stick.image, os.O_RDWR)
    try:
        byte = os.pread(fd, 1, where)
        os.pwrite(fd, bytes([byte[0] ^ 1]), where)
        os.fsync(fd)
    finally:
        os.close(fd)


def test_read_back_reaches_the_device_as_measured(mounted, tmp_path):
    mountpoint, folder, stick = mounted
    path, digest = source(tmp_path, 1 << 20)
    folder.copy(str(path), "x.bin", nothing)
    folder.settle(["x.bin"])
    on_stick = mountpoint / EXPORT_FOLDER / "x.bin"
    hashlib.sha256(on_stick.read_bytes()).hexdigest()  # in the page cache now
    flip_behind_every_cache(stick, on_stick)
    plain = hashlib.sha256(on_stick.read_bytes()).hexdigest()
    assert plain == digest, "a plain read answers from the cache"
    file_only = folder.verify("x.bin", nothing)
    if stick.fstype == "ext4":
        assert file_only != digest, "ext4: dropping the file's pages reads the device"
    else:
        assert file_only == digest, "exFAT-FUSE: the device's cache still answers"
    folder.forget_cache()
    assert folder.verify("x.bin", nothing) != digest, "with the device's cache dropped too"


def test_a_line_cut_short_by_a_pull_never_swallows_the_next_one(mounted):
    mountpoint, folder, _ = mounted
    (mountpoint / EXPORT_FOLDER / MANIFEST).write_text("a" * 64 + "  cam/x.bin\n" + "b" * 30)
    folder.record("c" * 64, "cam/y.bin")
    folder.sync()
    assert folder.manifest() == {"cam/x.bin": "a" * 64, "cam/y.bin": "c" * 64}
