"""The Cameras card's count line, also while state.db cannot be read."""

from dataclasses import replace

from eyepi_gui.domain.camera import CameraInfo, CameraState
from eyepi_gui.kiosk.formatting import counts_text
from eyepi_gui.services.overview import CameraOverview
from eyepi_gui.settings import CameraSettings

CAMERA = CameraOverview(
    info=CameraInfo("sim-1", "sim", "simulated", (640, 480)),
    settings=CameraSettings(name="Left"),
    state=CameraState.IDLE,
    detail="",
    next_capture=None,
    expected_so_far=12,
    planned_today=200,
    actual_today=11,
    latest_image=None,
    latest_at=None,
)


def test_counts_say_expected_taken_and_planned():
    assert counts_text(CAMERA) == "12 expected / 11 taken (planned 200)"


def test_counts_say_unknown_while_the_database_is_busy():
    assert counts_text(replace(CAMERA, actual_today=None)) == (
        "12 expected / ? taken (planned 200; database busy)"
    )
