"""`eyepi doctor` shows each camera as the station would: the simulated stand-ins when no
camera is found, each with the station.toml problems the station shows for it (a section
asking for more than the camera delivers), and free space in a unit that fits the disk."""

from eyepi_gui import doctor
from eyepi_gui import settings as cfg
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.domain.sizes import GIB, MIB
from eyepi_gui.settings import CameraSettings, StationSettings


class Disk:
    """A volume of ``total`` bytes with ``free`` of them free."""

    def __init__(self, free, total):
        self.free, self.total = free, total

    def free_bytes(self, path):
        return self.free

    def total_bytes(self, path):
        return self.total


def test_a_simulated_camera_shows_its_resolution_problem(tmp_path, monkeypatch):
    monkeypatch.setattr(doctor, "camera_backends", lambda settings: [])  # no hardware
    section = CameraSettings(name="Left", resolution="6000x4000")
    AtomicTextFile(tmp_path / "station.toml").write(
        cfg.dumps(StationSettings(cameras={"sim-1": section}))
    )
    lines = doctor._backends(doctor._station_loaded(tmp_path / "station.toml"))
    assert lines[-3:] == [
        "    sim-1: eyepi simulated camera, simulated camera 1, at none (simulated)",
        "      station.toml: cameras.sim-1.resolution: this camera takes at most 4056x3040 px "
        "(camera sim-1 captures jpg at 4056x2704 px)",
        "    sim-2: eyepi simulated camera, simulated camera 2, at none (simulated)",
    ]


def test_free_space_is_told_in_a_unit_that_fits_the_disk(tmp_path):
    small = doctor._free(Disk(int(2.95 * MIB), 8 * MIB), tmp_path, 4 * MIB)
    assert small == "2.9 MiB of 8 MiB, below the free-space floor of 4 MiB: capture pauses"
    assert doctor._free(Disk(900 * MIB, GIB), tmp_path, 0) == "900 MiB of 1.0 GiB"
    assert doctor._free(Disk(int(75.25 * GIB), 252 * GIB), tmp_path, 0) == "75.2 GiB of 252.0 GiB"
