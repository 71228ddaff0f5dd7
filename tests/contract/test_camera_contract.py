"""Contract tests every camera backend passes. Add a backend by adding a factory to BACKENDS."""

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.camera import ExposureControls, StillRequest
from eyepi_gui.errors import NotFound
from eyepi_gui.ports import CameraDevice

BACKENDS = [
    pytest.param(lambda: SimBackend(count=2, capture_delay_s=0.0), id="sim"),
]


@pytest.fixture(params=BACKENDS)
def backend_under_test(request):
    return request.param()


@pytest.fixture
def device(backend_under_test):
    cameras = backend_under_test.discover()
    if not cameras:
        pytest.skip(f"no {backend_under_test.name} camera attached")
    opened = backend_under_test.open(cameras[0].camera_id)
    yield opened
    opened.close()


def decode(data):
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def test_status_names_the_backend(backend_under_test):
    status = backend_under_test.status()
    assert status.name == backend_under_test.name
    assert status.available or status.reason


def test_discover_returns_unique_ids_of_this_backend(backend_under_test):
    cameras = backend_under_test.discover()
    assert len({info.camera_id for info in cameras}) == len(cameras)
    for info in cameras:
        assert info.backend == backend_under_test.name
        assert info.max_resolution[0] > 0
        assert info.max_resolution[1] > 0


def test_open_unknown_id_raises_not_found(backend_under_test):
    with pytest.raises(NotFound):
        backend_under_test.open("no-such-camera")


def test_device_implements_the_port(device):
    assert isinstance(device, CameraDevice)


@pytest.mark.parametrize("formats", [("jpg",), ("png",), ("png", "jpg")])
def test_capture_still_encodes_every_format_plus_jpg(device, formats):
    still = device.capture_still(StillRequest(width=640, height=480, formats=formats))
    assert set(still.files) == {*formats, "jpg"}
    assert (still.width, still.height) == (640, 480)
    for data in still.files.values():
        assert decode(data).shape == (480, 640, 3)


def test_controls_round_trip(device):
    wanted = ExposureControls(focus=0.25, shutter_s=1 / 60, iso=400)
    device.set_controls(wanted)
    assert device.controls() == wanted


def test_live_frame_is_rgb_uint8(device):
    frame = device.live_frame()
    assert frame.ndim == 3
    assert frame.shape[2] == 3
    assert frame.dtype == np.uint8


def test_close_is_idempotent(device):
    device.close()
    device.close()
