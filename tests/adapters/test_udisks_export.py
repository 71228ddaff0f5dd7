"""A USB export end to end through the udisks adapter: a day of a sim camera copied to a real
loop-device stick that FakeUDisks2 mounts, verified, unmounted and powered off (root)."""

import pytest

from eyepi_gui.adapters.runner import station_runner
from eyepi_gui.adapters.udisks import UDisksVolumes
from eyepi_gui.domain.jobs import JobState
from tests.export_world import DAY, ExportWorld, sources
from tests.principals import ADMIN


@pytest.fixture
def world(tmp_path, make_usb_stick, fake_udisks):
    stick = make_usb_stick("ext4")
    fake_udisks.add_stick(stick)
    roots = [str(fake_udisks.media_root)]
    drives = UDisksVolumes(
        station_runner(), home=tmp_path / "home", address=fake_udisks.address, media_roots=roots
    )
    made = ExportWorld(tmp_path / "home", stick, drives=drives)
    yield made
    made.close()


def test_an_export_through_udisks_ends_powered_off_with_every_file_verified(world, fake_udisks):
    captured = sources(world, world.day(6))
    device = world.stick.device
    selection = {"cameras": ["sim-1"], "first_day": DAY, "last_day": DAY}
    job = world.wait(world.services.export.export(ADMIN, device, **selection))
    assert job.state is JobState.DONE, job.error
    assert job.result.endswith("unmounted and powered off, safe to remove")
    assert [c[0] for c in fake_udisks.calls] == ["Mount", "Unmount", "PowerOff"]
    assert fake_udisks.calls[0][2]["options"] == "nosuid,nodev,noexec"
    assert world.stick.device is None  # powered off: the drive is gone
    world.stick.reinsert()
    _, files, manifest = world.on_stick()
    assert files == captured == manifest
    world.drives.unmount(world.stick.device)
