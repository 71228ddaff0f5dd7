"""An opened OpenCV camera as a V4L2 webcam drives it, against a small fake VideoCapture:
the properties it reports become settings, sizes are asked once, focus drives the lens."""

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.opencv_camera import OpencvCamera, Source
from eyepi_gui.domain.camera import CameraInfo, ExposureControls, StillRequest
from eyepi_gui.errors import InvalidInput, Unavailable


def decode(data):
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


class FakeV4l2Capture:
    """A webcam as OpenCV's V4L2 backend shows it: -1 for properties it lacks."""

    def __init__(self):
        self.props = {
            cv2.CAP_PROP_FRAME_WIDTH: 640.0,
            cv2.CAP_PROP_FRAME_HEIGHT: 480.0,
            cv2.CAP_PROP_BRIGHTNESS: 128.0,
            cv2.CAP_PROP_EXPOSURE: 156.0,
            cv2.CAP_PROP_FOCUS: 51.0,
            cv2.CAP_PROP_AUTOFOCUS: 1.0,
        }
        self.refuse = {cv2.CAP_PROP_EXPOSURE}
        self.sets = []
        self.plugged = True
        self.released = 0

    def isOpened(self):
        return True

    def grab(self):
        return self.plugged

    def read(self):
        if not self.plugged:
            return False, None
        size = int(self.props[cv2.CAP_PROP_FRAME_HEIGHT]), int(self.props[cv2.CAP_PROP_FRAME_WIDTH])
        return True, np.full((*size, 3), 90, np.uint8)

    def get(self, prop):
        return self.props.get(prop, -1.0)

    def set(self, prop, value):
        self.sets.append((prop, value))
        if prop in self.refuse or prop not in self.props:
            return False
        if prop == cv2.CAP_PROP_FRAME_WIDTH:  # the driver picks its nearest mode
            value = min(value, 1280)
        if prop == cv2.CAP_PROP_FRAME_HEIGHT:
            value = min(value, 720)
        self.props[prop] = float(value)
        return True

    def release(self):
        self.released += 1


@pytest.fixture
def fake():
    return FakeV4l2Capture()


@pytest.fixture
def webcam(fake):
    info = CameraInfo("usb-046d-0826-x", "opencv", "HD Webcam", (3840, 2160), "USB 046d:0826")
    return OpencvCamera(Source(info, "/dev/video0", "/dev/video0", stream=False), fake)


def test_webcam_settings_are_the_properties_it_reports(webcam):
    settings = {setting.name: setting for setting in webcam.settings()}
    assert list(settings) == ["brightness", "exposure", "focus", "autofocus", "resolution"]
    assert settings["brightness"].value == "128" and not settings["brightness"].read_only
    assert settings["resolution"].read_only and settings["resolution"].value == "640x480"


def test_webcam_settings_are_numbers_the_device_accepts(webcam):
    assert webcam.set_setting("brightness", " 140.5 ").value == "140.5"
    for value in ("bright", "", "nan", "1e999", "\u202e1"):
        with pytest.raises(InvalidInput) as refused:
            webcam.set_setting("brightness", value)
        assert refused.value.field == "brightness"
    with pytest.raises(InvalidInput, match="refused"):
        webcam.set_setting("exposure", "5000")
    with pytest.raises(InvalidInput):
        webcam.set_setting("gain", "1")  # this webcam has none


def test_a_still_asks_the_device_for_the_size_once(webcam, fake):
    for _ in range(2):
        still = webcam.capture_still(StillRequest(1920, 1080, ("jpg",)))
    size_sets = [
        s for s in fake.sets if s[0] in (cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT)
    ]
    assert size_sets == [(cv2.CAP_PROP_FRAME_WIDTH, 1920), (cv2.CAP_PROP_FRAME_HEIGHT, 1080)]
    assert still.metadata["frame_size"] == "1280x720"
    assert decode(still.files["jpg"]).shape == (1080, 1920, 3)


def test_focus_control_drives_the_lens(webcam, fake):
    assert webcam.controls().focus == pytest.approx(51 / 255)
    webcam.set_controls(webcam.controls())
    assert fake.sets == []  # nothing changed, nothing sent
    webcam.set_controls(ExposureControls(focus=1.0))
    assert fake.props[cv2.CAP_PROP_AUTOFOCUS] == 0 and fake.props[cv2.CAP_PROP_FOCUS] == 255
    with pytest.raises(InvalidInput) as refused:
        webcam.set_controls(ExposureControls(focus=1.5))
    assert refused.value.field == "focus"


def test_an_unplugged_webcam_is_unavailable_and_closes_once(webcam, fake):
    fake.plugged = False
    with pytest.raises(Unavailable, match="/dev/video0"):
        webcam.capture_still(StillRequest(640, 480, ("jpg",)))
    webcam.close()
    webcam.close()
    assert fake.released == 1


class ModeWebcam(FakeV4l2Capture):
    """A webcam with fixed modes whose driver answers with the smallest mode at least as
    large as asked (or its largest), as many UVC drivers do."""

    MODES = ((640, 480), (1280, 720), (1920, 1080), (3840, 2160))

    def __init__(self):
        super().__init__()
        self.wanted = [640, 480]

    def set(self, prop, value):
        if prop not in (cv2.CAP_PROP_FRAME_WIDTH, cv2.CAP_PROP_FRAME_HEIGHT):
            return super().set(prop, value)
        self.wanted[prop == cv2.CAP_PROP_FRAME_HEIGHT] = int(value)
        fits = [m for m in self.MODES if m[0] >= self.wanted[0] and m[1] >= self.wanted[1]]
        width, height = fits[0] if fits else self.MODES[-1]
        self.props[cv2.CAP_PROP_FRAME_WIDTH] = float(width)
        self.props[cv2.CAP_PROP_FRAME_HEIGHT] = float(height)
        return True


@pytest.mark.parametrize(
    ("asked", "mode"),
    [((1920, 1080), (1920, 1080)), ((1600, 900), (1280, 720)), ((800, 600), (640, 480))],
)
def test_a_webcam_uses_its_best_mode_up_to_the_configured_size(asked, mode):
    info = CameraInfo("usb-046d-0826-x", "opencv", "HD Webcam", (3840, 2160), "USB 046d:0826")
    device = ModeWebcam()
    camera = OpencvCamera(Source(info, "/dev/video0", "/dev/video0", stream=False), device)
    still = camera.capture_still(StillRequest(*asked, ("jpg",)))
    assert (still.width, still.height) == asked
    assert still.metadata["frame_size"] == "{}x{}".format(*mode)
