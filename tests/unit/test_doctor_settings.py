"""`eyepi doctor` says how the station reads station.toml: valid, used in part (each problem
and what runs instead, bad parts from the last good copy), or unusable."""

from eyepi_gui import doctor
from eyepi_gui import settings as cfg
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.settings import CameraSettings, StationSettings


def test_doctor_names_each_bad_part_and_what_runs_instead(tmp_path):
    path = tmp_path / "station.toml"
    AtomicTextFile(path).write(
        cfg.dumps(StationSettings(cameras={"left": CameraSettings(name="Left")}))
    )
    assert doctor._settings(path) == "station.toml is valid (1 camera section(s))"
    path.write_text('[cameras.left]\nname = "Left"\nwindow = "05:00-24:00"\n')
    said = doctor._settings(path)
    assert said.startswith("station.toml has problems, the rest of it is used: ")
    assert "cameras.left.window" in said and "camera left runs on its last good settings" in said
    path.write_text("[cameras\n")
    assert doctor._settings(path).startswith("station.toml is unusable")
