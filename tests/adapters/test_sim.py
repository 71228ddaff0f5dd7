"""The simulated camera: determinism, lens, exposure and injected faults."""

import itertools
import threading

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend, best_focus
from eyepi_gui.domain.camera import ExposureControls, StillRequest
from eyepi_gui.errors import CameraFault, InvalidInput, NotFound, Unavailable

SMALL = StillRequest(width=320, height=240, formats=("png",))


@pytest.fixture
def backend():
    backend = SimBackend(count=2, seed=7, capture_delay_s=0.0)
    yield backend
    for info in ("sim-1", "sim-2"):
        backend.faults(info).release()


@pytest.fixture
def camera(backend):
    camera = backend.open("sim-1")
    yield camera
    camera.close()


def grey(still, ext="png"):
    image = cv2.imdecode(np.frombuffer(still.files[ext], np.uint8), cv2.IMREAD_GRAYSCALE)
    return image.astype(np.float64)


def focus_score(camera, focus):
    camera.set_controls(ExposureControls(focus=focus))
    return cv2.Laplacian(grey(camera.capture_still(StillRequest(640, 480, ("png",)))), -1).var()


def mean_brightness(camera, shutter_s, iso):
    camera.set_controls(ExposureControls(shutter_s=shutter_s, iso=iso))
    return grey(camera.capture_still(SMALL)).mean()


def test_same_request_and_controls_give_the_same_bytes(backend, camera):
    request = StillRequest(width=800, height=600, formats=("jpg", "png"), jpeg_quality=80)
    first = camera.capture_still(request)
    assert camera.capture_still(request).files == first.files
    other = SimBackend(count=2, seed=7, capture_delay_s=0.0).open("sim-1")
    assert other.capture_still(request).files == first.files


def test_metadata_names_the_controls_but_keeps_best_focus_secret(camera):
    camera.set_controls(ExposureControls(focus=0.4, shutter_s=1 / 250, iso=800))
    metadata = camera.capture_still(SMALL).metadata
    assert metadata["backend"] == "sim"
    assert (metadata["focus"], metadata["shutter_s"], metadata["iso"]) == (0.4, 1 / 250, 800)
    assert not any("best" in key for key in metadata)


def test_focus_score_peaks_at_the_hidden_best_focus(camera):
    best = best_focus(7, "sim-1")
    offsets = [-0.3, -0.12, -0.04, 0.0, 0.04, 0.12, 0.3]
    scores = [focus_score(camera, best + offset) for offset in offsets]
    peak = offsets.index(0.0)
    rising, falling = scores[: peak + 1], scores[peak:]
    assert all(a < b for a, b in itertools.pairwise(rising))
    assert all(a > b for a, b in itertools.pairwise(falling))


def test_best_focus_differs_between_cameras_and_seeds():
    values = {best_focus(seed, camera) for seed in (0, 1) for camera in ("sim-1", "sim-2")}
    assert len(values) == 4
    assert all(0.3 <= value <= 0.7 for value in values)


def test_brightness_rises_with_shutter(camera):
    levels = [mean_brightness(camera, shutter, 200) for shutter in (1 / 1000, 1 / 250, 1 / 60)]
    assert levels == sorted(levels)
    assert levels[0] < levels[2] - 20


def test_brightness_rises_with_iso(camera):
    levels = [mean_brightness(camera, 1 / 125, iso) for iso in (50, 200, 800)]
    assert levels == sorted(levels)
    assert levels[0] < levels[2] - 20


def test_live_frame_is_720p_rgb(camera):
    frame = camera.live_frame()
    assert frame.shape == (720, 1280, 3)
    assert frame.dtype == np.uint8


def test_live_frame_follows_the_focus(camera):
    sharp, blurred = best_focus(7, "sim-1"), 0.95
    scores = []
    for focus in (sharp, blurred, sharp):
        camera.set_controls(ExposureControls(focus=focus))
        scores.append(cv2.Laplacian(camera.live_frame()[100:, :, 1], cv2.CV_64F).var())
    assert scores[1] < scores[0] / 4
    assert scores[2] > scores[1] * 4


@pytest.mark.parametrize("size", [(4057, 3040), (4056, 3041), (0, 480), (640, -1)])
def test_resolution_outside_the_sensor_is_rejected(camera, size):
    with pytest.raises(InvalidInput) as caught:
        camera.capture_still(StillRequest(*size, formats=("jpg",)))
    assert caught.value.field == "resolution"


def test_unknown_format_is_rejected(camera):
    with pytest.raises(InvalidInput) as caught:
        camera.capture_still(StillRequest(320, 240, formats=("tiff",)))
    assert caught.value.field == "formats"


@pytest.mark.parametrize(
    ("controls", "field"),
    [
        (ExposureControls(focus=1.5), "focus"),
        (ExposureControls(focus=float("nan")), "focus"),
        (ExposureControls(shutter_s=0.0), "shutter_s"),
        (ExposureControls(shutter_s=float("inf")), "shutter_s"),
        (ExposureControls(iso=0), "iso"),
    ],
)
def test_impossible_controls_are_rejected(camera, controls, field):
    with pytest.raises(InvalidInput) as caught:
        camera.set_controls(controls)
    assert caught.value.field == field
    assert camera.controls() == ExposureControls()


def test_fail_next_fails_exactly_once(backend, camera):
    backend.faults("sim-1").fail_next("shutter jammed")
    with pytest.raises(CameraFault, match="shutter jammed"):
        camera.capture_still(SMALL)
    assert "png" in camera.capture_still(SMALL).files


def test_faults_are_per_camera(backend, camera):
    backend.faults("sim-2").fail_next()
    camera.capture_still(SMALL)
    with pytest.raises(CameraFault):
        backend.open("sim-2").capture_still(SMALL)


def capture_in_thread(camera):
    outcome = {}

    def run():
        try:
            outcome["still"] = camera.capture_still(SMALL)
        except Exception as err:
            outcome["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_hang_blocks_until_released(backend, camera):
    faults = backend.faults("sim-1")
    faults.hang()
    thread, outcome = capture_in_thread(camera)
    thread.join(timeout=0.2)
    assert thread.is_alive()
    faults.release()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert "still" in outcome
    camera.capture_still(SMALL)


def test_hang_with_seconds_ends_by_itself(backend, camera):
    backend.faults("sim-1").hang(0.05)
    assert "png" in camera.capture_still(SMALL).files


def test_unplug_ends_a_hang_with_unavailable(backend, camera):
    faults = backend.faults("sim-1")
    faults.hang()
    thread, outcome = capture_in_thread(camera)
    faults.unplug()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), Unavailable)
    faults.replug()


def test_unplugged_camera_is_unavailable_and_hidden(backend, camera):
    faults = backend.faults("sim-1")
    faults.unplug()
    for call in (lambda: camera.capture_still(SMALL), camera.live_frame, camera.controls):
        with pytest.raises(Unavailable, match="unplugged"):
            call()
    with pytest.raises(Unavailable):
        backend.open("sim-1")
    assert [info.camera_id for info in backend.discover()] == ["sim-2"]
    faults.replug()
    assert [info.camera_id for info in backend.discover()] == ["sim-1", "sim-2"]
    assert "png" in camera.capture_still(SMALL).files


def test_closed_camera_is_unavailable(camera):
    camera.close()
    with pytest.raises(Unavailable, match="closed"):
        camera.live_frame()


def test_faults_of_an_unknown_camera_raise_not_found(backend):
    with pytest.raises(NotFound):
        backend.faults("sim-9")


def test_capture_delay_is_cut_short_by_unplug():
    backend = SimBackend(count=1, capture_delay_s=60.0)
    camera = backend.open("sim-1")
    thread, outcome = capture_in_thread(camera)
    backend.faults("sim-1").unplug()
    thread.join(timeout=5)
    assert not thread.is_alive()
    assert isinstance(outcome.get("error"), Unavailable)
