"""Contract tests every camera backend passes (the backends are listed in conftest.py).

What a camera may differ in is stated by its CameraInfo: the formats it delivers, whether
stills come at the requested size, whether it has a live view. Everything else is the same.
"""

import contextlib

import cv2
import numpy as np
import pytest

from eyepi_gui.domain.camera import FocusDirection, FocusStep, FocusSupport, StillRequest
from eyepi_gui.errors import CameraFault, InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import CameraDevice
from eyepi_gui.settings import CAMERA_ID


@pytest.fixture
def device(backend_under_test):
    cameras = backend_under_test.discover()
    assert cameras, f"the {backend_under_test.name} fixture attached no camera"
    opened = backend_under_test.open(cameras[0].camera_id)
    yield opened
    opened.close()


def decode(data):
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def test_status_names_the_backend(backend_under_test):
    status = backend_under_test.status()
    assert status.name == backend_under_test.name
    assert status.available or status.reason


def test_discover_gives_unique_valid_ids_with_an_identity(backend_under_test):
    cameras = backend_under_test.discover()
    assert len({info.camera_id for info in cameras}) == len(cameras)
    for info in cameras:
        assert CAMERA_ID.fullmatch(info.camera_id), info.camera_id
        assert info.backend == backend_under_test.name
        assert info.identity and info.model
        assert info.max_resolution[0] > 0 and info.max_resolution[1] > 0
        assert "jpg" in info.formats


def test_discover_twice_gives_the_same_ids(backend_under_test):
    first = [info.camera_id for info in backend_under_test.discover()]
    assert [info.camera_id for info in backend_under_test.discover()] == first


def test_open_unknown_id_raises_not_found(backend_under_test):
    with pytest.raises(NotFound):
        backend_under_test.open("no-such-camera")


def test_device_implements_the_port(device):
    assert isinstance(device, CameraDevice)


def test_every_offered_format_is_delivered_with_a_jpg(device):
    for fmt in device.info.formats:
        still = device.capture_still(StillRequest(width=640, height=480, formats=(fmt,)))
        assert {fmt, "jpg"} <= set(still.files)
        image = decode(still.files["jpg"])
        assert image is not None and image.shape[2] == 3
        if device.info.sized_stills:
            assert (still.width, still.height) == (640, 480) == image.shape[1::-1]
        else:
            assert (still.width, still.height) == image.shape[1::-1]


def test_settings_come_from_the_camera_and_round_trip(device):
    settings = device.settings()
    assert settings, "a camera offers at least one setting"
    for setting in settings:
        assert setting.name and setting.label
        if setting.choices:
            assert setting.value in setting.choices, setting
    changeable = [s for s in settings if not s.read_only and len(s.choices) > 1]
    for setting in changeable[:3]:
        other = next(choice for choice in setting.choices if choice != setting.value)
        assert device.set_setting(setting.name, other).value == other
        assert device.set_setting(setting.name, setting.value).value == setting.value


def test_bad_settings_are_refused_naming_the_setting(device):
    with pytest.raises(InvalidInput) as refused:
        device.set_setting("no-such-setting", "1")
    assert refused.value.field == "no-such-setting"
    for setting in device.settings():
        if setting.choices and not setting.read_only:
            with pytest.raises(InvalidInput) as refused:
                device.set_setting(setting.name, "\u202enot a choice")
            assert refused.value.field == setting.name
            break


def test_current_controls_can_be_set_again(device):
    device.set_controls(device.controls())


def test_live_frame_is_rgb_uint8_or_refused(device):
    if not device.info.live_view:
        with pytest.raises(Unavailable):
            device.live_frame()
        return
    frame = device.live_frame()
    assert frame.ndim == 3 and frame.shape[2] == 3 and frame.dtype == np.uint8


def test_close_is_idempotent(device):
    device.close()
    device.close()


def test_focus_support_is_stated(device):
    support = device.focus_support()
    assert isinstance(support, FocusSupport)
    assert all(isinstance(level, int) and level >= 1 for level in support.live_zoom)


def test_focus_drive_moves_both_ways_or_is_refused(device):
    if not device.focus_support().drive:
        with pytest.raises(Unavailable):
            device.drive_focus(FocusDirection.FAR, FocusStep.FINE)
        return
    for step in FocusStep:
        device.drive_focus(FocusDirection.FAR, step)
        device.drive_focus(FocusDirection.NEAR, step)


def test_autofocus_runs_or_is_refused(device):
    if not device.focus_support().autofocus:
        with pytest.raises(Unavailable):
            device.autofocus()
        return
    with contextlib.suppress(CameraFault):  # a scene it cannot lock on is a fault, not a crash
        device.autofocus()


def test_live_zoom_takes_offered_levels_and_refuses_others(device):
    levels = device.focus_support().live_zoom
    if not levels:
        with pytest.raises(Unavailable):
            device.set_live_zoom(2, (0.5, 0.5))
        return
    for level in levels:
        device.set_live_zoom(level, (0.25, 0.75))
    with pytest.raises(InvalidInput) as refused:
        device.set_live_zoom(max(levels) + 1, (0.5, 0.5))
    assert refused.value.field == "level"
    device.set_live_zoom(1, (0.5, 0.5))
