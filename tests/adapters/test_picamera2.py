"""The picamera2 adapter against a fake of the library (tests/fake_picamera2.py), and the same
checks against the real library on a Raspberry Pi with a camera (marked ``hardware``)."""

import contextlib
import subprocess
import sys

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.picamera2 import INSTALL_HINT, Picamera2Backend, load_picamera2
from eyepi_gui.domain.camera import (
    NO_FOCUS,
    ExposureControls,
    FocusDirection,
    FocusStep,
    FocusSupport,
    StillRequest,
)
from eyepi_gui.errors import CameraFault, InvalidInput, NotFound, Unavailable
from eyepi_gui.settings import CAMERA_ID
from tests.fake_picamera2 import AfModeEnum, FakeSensor, fake_library

ON_PI = "needs a Raspberry Pi camera (picamera2)"
AF_SETTINGS = ["ExposureTime", "AnalogueGain", "LensPosition", "AfMode", "Brightness", "Contrast"]


@pytest.fixture
def af_sensor():
    return FakeSensor("imx708", bus="i2c@88000", size=(4608, 2592))


@pytest.fixture
def fixed_sensor():
    return FakeSensor("imx477", bus="i2c@80000", size=(4056, 3040), autofocus=False)


@pytest.fixture
def backend(af_sensor, fixed_sensor):
    return Picamera2Backend(loader=lambda: fake_library(af_sensor, fixed_sensor))


@pytest.fixture
def camera(backend):
    camera = backend.open("picam-imx708-0")
    yield camera
    camera.close()


@pytest.fixture
def fixed_camera(backend):
    camera = backend.open("picam-imx477-1")
    yield camera
    camera.close()


def decode(data):
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def test_discovery_gives_model_and_csi_port(backend, af_sensor):
    first, second = backend.discover()
    assert (first.camera_id, second.camera_id) == ("picam-imx708-0", "picam-imx477-1")
    assert first.identity == "imx708 on CSI port 0" and first.model == "imx708"
    assert first.port == af_sensor.id
    assert first.max_resolution == (4608, 2592) and second.max_resolution == (4056, 3040)
    assert first.formats == ("jpg", "png") and first.sized_stills and first.live_view


def test_discovery_reads_each_sensor_size_once_and_releases_it(backend, af_sensor):
    backend.discover()
    backend.discover()
    assert af_sensor.opened == 1 and not af_sensor.acquired


def test_usb_cameras_are_left_to_the_opencv_backend(af_sensor):
    webcam = FakeSensor("uvc", id="/base/axi/pcie@120000/rp1/usb@200000-1:1.0-046d:0825")
    backend = Picamera2Backend(loader=lambda: fake_library(af_sensor, webcam))
    assert [info.camera_id for info in backend.discover()] == ["picam-imx708-0"]


def test_camera_ids_are_sanitised():
    odd = FakeSensor("OV5647/Wide Cam " + "x" * 80)
    (info,) = Picamera2Backend(loader=lambda: fake_library(odd)).discover()
    assert CAMERA_ID.fullmatch(info.camera_id) and info.camera_id.startswith(
        "picam-ov5647-wide-cam-"
    )
    assert info.camera_id.endswith("-0") and len(info.camera_id) == 64


def test_a_held_camera_is_unavailable_and_left_out_of_discovery(backend, fixed_sensor):
    fixed_sensor.held = True
    assert [info.camera_id for info in backend.discover()] == ["picam-imx708-0"]
    with pytest.raises(Unavailable, match="busy") as refused:
        backend.open("picam-imx477-1")
    assert isinstance(refused.value.__cause__, RuntimeError)


def test_open_unknown_id_raises_not_found(backend):
    with pytest.raises(NotFound):
        backend.open("picam-imx999-0")


def test_camera_streams_full_resolution_main_and_yuv_lores(camera, af_sensor):
    config = af_sensor.configured
    assert config["main"]["size"] == (4608, 2592)
    assert config["lores"] == config["lores"] | {"size": (640, 360), "format": "YUV420"}


def test_stills_come_at_the_requested_size_in_jpg_and_png(camera):
    still = camera.capture_still(StillRequest(640, 360, ("jpg", "png")))
    assert set(still.files) == {"jpg", "png"} and (still.width, still.height) == (640, 360)
    for ext in ("jpg", "png"):
        bgr = decode(still.files[ext])
        assert bgr.shape == (360, 640, 3)
        blue, red = bgr[..., 0].mean(), bgr[..., 2].mean()
        assert abs(red - 200) < 4 and abs(blue - 40) < 4, ext
    assert still.metadata["backend"] == "picamera2" and still.metadata["model"] == "imx708"


def test_stills_are_cropped_to_the_requested_aspect_not_stretched(camera):
    bgr = decode(camera.capture_still(StillRequest(300, 300, ("png",))).files["png"])
    cropped_away = (4608 - 2592) / 2 / 4607  # the share of the width left of the square
    assert abs(bgr[:, 0, 1].mean() - 255 * cropped_away) < 3


def test_impossible_requests_are_refused(camera):
    with pytest.raises(InvalidInput) as refused:
        camera.capture_still(StillRequest(9000, 3000, ("jpg",)))
    assert refused.value.field == "resolution"
    with pytest.raises(InvalidInput) as refused:
        camera.capture_still(StillRequest(640, 480, ("tif",)))
    assert refused.value.field == "formats"


def test_live_frames_are_rgb_from_the_lores_stream(camera):
    frame = camera.live_frame()
    assert frame.shape == (360, 640, 3) and frame.dtype == np.uint8
    assert abs(frame[..., 0].mean() - 200) < 4 and abs(frame[..., 2].mean() - 40) < 4


def test_live_frames_lose_the_row_padding():
    narrow = FakeSensor("ov9281", size=(600, 400), autofocus=False)
    camera = Picamera2Backend(loader=lambda: fake_library(narrow)).open("picam-ov9281-0")
    assert narrow.configured["lores"]["stride"] == 640
    frame = camera.live_frame()
    camera.close()
    assert frame.shape == (400, 600, 3) and frame.flags.c_contiguous
    assert frame[:, -1, 1].mean() > 250  # the right edge of the scene, not padding


def test_focus_maps_onto_the_lens_position_range_in_manual_focus(camera, af_sensor):
    camera.set_controls(ExposureControls(focus=0.0))
    assert af_sensor.controls_set[-1]["LensPosition"] == 0.0
    camera.set_controls(ExposureControls(focus=1.0))
    assert af_sensor.controls_set[-1]["LensPosition"] == 15.0
    assert af_sensor.controls_set[-1]["AfMode"] == AfModeEnum.Manual
    assert camera.controls().focus == 1.0


def test_shutter_and_iso_map_to_exposure_time_and_gain(camera, af_sensor):
    camera.set_controls(ExposureControls(focus=0.5, shutter_s=1 / 100, iso=400))
    applied = af_sensor.controls_set[-1]
    assert (applied["ExposureTime"], applied["AnalogueGain"]) == (10_000, 4.0)
    assert applied["ExposureTimeMode"] == applied["AnalogueGainMode"] == 1
    assert camera.controls() == ExposureControls(focus=0.5, shutter_s=0.01, iso=400)


def test_exposure_beyond_the_sensor_is_clamped(camera):
    camera.set_controls(ExposureControls(iso=6400))
    assert camera.controls().iso == 1600


def test_impossible_controls_are_refused(camera):
    with pytest.raises(InvalidInput) as refused:
        camera.set_controls(ExposureControls(focus=1.5))
    assert refused.value.field == "focus"


def test_current_controls_can_be_set_again(camera, fixed_camera):
    for device in (camera, fixed_camera):
        before = device.controls()
        device.set_controls(before)
        assert device.controls() == before


def test_a_lens_without_a_motor_keeps_focus_as_given(fixed_camera, fixed_sensor):
    fixed_camera.set_controls(ExposureControls(focus=0.3))
    assert fixed_camera.controls().focus == 0.3
    assert "LensPosition" not in fixed_sensor.controls_set[-1]


def test_autofocus_runs_a_cycle(camera, af_sensor):
    camera.set_controls(ExposureControls(focus=0.0))
    camera.autofocus()
    assert af_sensor.autofocus_cycles == 1
    assert camera.controls().focus == pytest.approx(2.5 / 15)
    assert {s.name: s.value for s in camera.settings()}["AfMode"] == "Auto"


def test_autofocus_that_finds_no_focus_is_a_camera_fault(camera, af_sensor):
    af_sensor.af_finds_focus = False
    with pytest.raises(CameraFault, match="imx708"):
        camera.autofocus()
    assert af_sensor.autofocus_cycles == 1


def test_a_camera_without_a_lens_motor_refuses_every_focus_command(fixed_camera):
    assert fixed_camera.focus_support() == NO_FOCUS
    commands = [
        lambda: fixed_camera.autofocus(),
        lambda: fixed_camera.drive_focus(FocusDirection.FAR, FocusStep.FINE),
        lambda: fixed_camera.set_live_zoom(2, (0.5, 0.5)),
    ]
    for command in commands:
        with pytest.raises(Unavailable, match="imx477"):
            command()


def test_focus_support_of_an_autofocus_camera(camera):
    assert camera.focus_support() == FocusSupport(drive=True, autofocus=True, live_zoom=())
    with pytest.raises(Unavailable, match="zoom"):
        camera.set_live_zoom(2, (0.5, 0.5))


@pytest.mark.parametrize(
    ("direction", "step", "lens"),
    [
        (FocusDirection.FAR, FocusStep.FINE, 4.85),  # towards 0 dioptres (infinity)
        (FocusDirection.FAR, FocusStep.MEDIUM, 4.25),
        (FocusDirection.NEAR, FocusStep.COARSE, 8.0),  # towards the maximum (closest)
    ],
)
def test_drive_moves_the_lens_a_fraction_of_its_range(camera, af_sensor, direction, step, lens):
    camera.set_controls(ExposureControls(focus=1 / 3))  # LensPosition 5 of 0..15
    camera.drive_focus(direction, step)
    applied = af_sensor.controls_set[-1]
    assert applied["LensPosition"] == pytest.approx(lens)
    assert applied["AfMode"] == AfModeEnum.Manual
    assert camera.controls().focus == pytest.approx(lens / 15)


def test_drive_stops_at_the_ends_of_the_lens_range(camera, af_sensor):
    camera.set_controls(ExposureControls(focus=0.99))
    camera.drive_focus(FocusDirection.NEAR, FocusStep.COARSE)
    assert af_sensor.controls_set[-1]["LensPosition"] == 15.0
    camera.set_controls(ExposureControls(focus=0.01))
    camera.drive_focus(FocusDirection.FAR, FocusStep.COARSE)
    assert af_sensor.controls_set[-1]["LensPosition"] == 0.0


def test_drive_after_autofocus_starts_where_the_autofocus_left_the_lens(camera, af_sensor):
    camera.autofocus()
    camera.drive_focus(FocusDirection.NEAR, FocusStep.MEDIUM)
    assert af_sensor.controls_set[-1]["LensPosition"] == pytest.approx(2.5 + 0.75)


def test_settings_are_the_curated_controls_the_camera_has(camera, fixed_camera):
    settings = {s.name: s for s in camera.settings()}
    assert list(settings) == AF_SETTINGS
    assert settings["AfMode"].choices == ("Manual", "Auto", "Continuous")
    assert settings["AfMode"].value == "Manual" and settings["ExposureTime"].value == "20000"
    assert settings["Contrast"].value == "1" and settings["LensPosition"].value == "1"
    assert [s.name for s in fixed_camera.settings()] == [
        "ExposureTime",
        "AnalogueGain",
        "Brightness",
        "Contrast",
    ]


def test_set_setting_applies_and_reports_the_value(camera, af_sensor):
    assert camera.set_setting("Brightness", "0.25").value == "0.25"
    assert af_sensor.controls_set[-1] == {"Brightness": 0.25}
    assert camera.set_setting("ExposureTime", "12000").value == "12000"
    assert af_sensor.controls_set[-1]["ExposureTime"] == 12_000
    assert af_sensor.controls_set[-1]["ExposureTimeMode"] == 1
    assert "AnalogueGainMode" not in af_sensor.controls_set[-1]
    assert camera.set_setting("AfMode", "Continuous").value == "Continuous"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("NoSuchControl", "1"),
        ("AfTrigger", "0"),
        ("LensPosition", "15.5"),
        ("Brightness", "bright"),
        ("Contrast", "nan"),
        ("AfMode", "Sideways"),
    ],
)
def test_bad_settings_are_refused_naming_the_setting(camera, af_sensor, name, value):
    before = len(af_sensor.controls_set)
    with pytest.raises(InvalidInput) as refused:
        camera.set_setting(name, value)
    assert refused.value.field == name
    assert len(af_sensor.controls_set) == before


def test_a_camera_without_autofocus_has_no_lens_setting(fixed_camera):
    with pytest.raises(InvalidInput) as refused:
        fixed_camera.set_setting("LensPosition", "1")
    assert refused.value.field == "LensPosition"


def test_a_failed_capture_is_a_camera_fault(camera, af_sensor):
    af_sensor.fail_capture = True
    with pytest.raises(CameraFault) as failed:
        camera.capture_still(StillRequest(640, 360, ("jpg",)))
    assert isinstance(failed.value.__cause__, RuntimeError)


def test_a_stalled_camera_times_out_and_is_flushed(camera, af_sensor):
    af_sensor.stall = True
    with pytest.raises(CameraFault, match="no frame"):
        camera.live_frame()
    assert af_sensor.flushes == 1


def test_close_releases_the_camera_once(backend, camera, af_sensor):
    camera.close()
    camera.close()
    assert not af_sensor.acquired
    with pytest.raises(Unavailable):
        camera.live_frame()
    backend.open("picam-imx708-0").close()


def test_missing_library_makes_the_backend_unavailable():
    def missing():
        raise ImportError("No module named 'picamera2'")

    backend = Picamera2Backend(loader=missing)
    status = backend.status()
    assert not status.available and INSTALL_HINT in status.reason
    assert backend.discover() == []
    with pytest.raises(Unavailable):
        backend.open("picam-imx477-0")


def test_status_with_the_library(backend):
    assert backend.status().available


def test_importing_the_adapter_imports_no_camera_library():
    code = (
        "import sys, eyepi_gui.adapters.cameras.picamera2\n"
        "assert not {'picamera2', 'libcamera', 'cv2'} & set(sys.modules), sys.modules.keys()"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


# On a Raspberry Pi with a camera: the same checks against the real library.


@pytest.fixture
def real_camera():
    try:
        load_picamera2()
    except ImportError:
        pytest.skip(ON_PI)
    backend = Picamera2Backend()
    cameras = backend.discover()
    if not cameras:
        pytest.skip(ON_PI)
    camera = backend.open(cameras[0].camera_id)
    yield camera
    camera.close()


@pytest.mark.hardware
def test_real_camera_identity(real_camera):
    info = real_camera.info
    assert CAMERA_ID.fullmatch(info.camera_id) and " on CSI port " in info.identity
    assert info.max_resolution[0] >= 640


@pytest.mark.hardware
def test_real_stills_and_live_view(real_camera):
    still = real_camera.capture_still(StillRequest(640, 480, ("jpg", "png")))
    for ext in ("jpg", "png"):
        assert decode(still.files[ext]).shape == (480, 640, 3)
    frame = real_camera.live_frame()
    assert frame.ndim == 3 and frame.shape[2] == 3 and frame.dtype == np.uint8


@pytest.mark.hardware
def test_real_controls_and_settings(real_camera):
    real_camera.set_controls(real_camera.controls())
    with pytest.raises(InvalidInput) as refused:
        real_camera.set_setting("Brightness", "7")
    assert refused.value.field == "Brightness"
    if any(s.name == "LensPosition" for s in real_camera.settings()):
        real_camera.set_controls(ExposureControls(focus=0.0))
        assert real_camera.controls().focus == pytest.approx(0.0, abs=0.05)
        with contextlib.suppress(CameraFault):  # a scene it cannot lock on is a fault
            real_camera.autofocus()
        real_camera.drive_focus(FocusDirection.NEAR, FocusStep.COARSE)
        assert real_camera.controls().focus > 0.0
