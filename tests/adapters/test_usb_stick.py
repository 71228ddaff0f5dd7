"""The usb_stick fixture itself: it skips saying why, and cleans up whatever the test did."""

import contextlib
import os
import subprocess
from pathlib import Path

import pytest

from tests import usb_stick as module
from tests.usb_stick import fuse_pids, usb_stick_at


def test_not_root_skips_saying_so(monkeypatch):
    monkeypatch.setattr(module.os, "geteuid", lambda: 1000)
    with pytest.raises(pytest.skip.Exception, match="needs root"):
        module.skip_unless_possible("ext4")


def test_a_missing_program_skips_naming_it_and_the_packages(monkeypatch):
    monkeypatch.setattr(module.os, "geteuid", lambda: 0)
    monkeypatch.setattr(
        module.shutil, "which", lambda name: None if name == "mount.exfat-fuse" else "/bin/x"
    )
    module.skip_unless_possible("ext4")  # ext4 needs no FUSE
    with pytest.raises(pytest.skip.Exception, match=r"needs mount\.exfat-fuse .*exfat-fuse"):
        module.skip_unless_possible("exfat")


def attached(image: Path) -> bool:
    listing = subprocess.run(
        ["losetup", "--list", "--noheadings", "--output", "BACK-FILE"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return str(image) in listing


def fail_with_the_stick_mounted(folder, fstype, place, seen):
    """Mount a stick made in ``folder`` on ``place``, keep a file open on it, then fail."""
    helper = "mount.exfat-fuse" if fstype == "exfat" else "mount"
    with usb_stick_at(folder, fstype) as stick:
        seen.update(device=stick.device, image=stick.image)
        subprocess.run([helper, stick.device, str(place)], check=True)
        seen["held"] = open(place / "open.txt", "w")  # noqa: SIM115 - kept open on purpose
        assert stick.mounts() == [str(place)]
        raise RuntimeError("the test failed")


@pytest.mark.parametrize("fstype", ["ext4", "exfat"])
def test_clean_up_runs_when_the_test_fails_with_the_stick_mounted(fstype, tmp_path):
    place, seen = tmp_path / "m", {}
    place.mkdir()
    with pytest.raises(RuntimeError, match="the test failed"):
        fail_with_the_stick_mounted(tmp_path, fstype, place, seen)
    with contextlib.suppress(OSError):  # FUSE's server is gone: "not connected"
        seen["held"].close()
    assert not os.path.ismount(place)
    assert fuse_pids(seen["device"]) == []
    assert not attached(seen["image"])


def test_pull_then_reinsert_keeps_what_had_reached_the_stick(tmp_path):
    with usb_stick_at(tmp_path, "ext4") as stick:
        place = tmp_path / "m"
        place.mkdir()
        subprocess.run(["mount", stick.device, str(place)], check=True)
        (place / "kept.txt").write_text("synced\n")
        os.sync()
        stick.pull()
        assert stick.device is None and not os.path.ismount(place)
        device = stick.reinsert()
        subprocess.run(["mount", device, str(place)], check=True)
        assert (place / "kept.txt").read_text() == "synced\n"
