"""Network cameras given as a function are read at every scan and open: one added while the
station runs is found and opened with its password, one removed is gone."""

import pytest

from eyepi_gui.adapters.cameras.opencv import OpencvBackend
from eyepi_gui.domain.camera import StillRequest
from eyepi_gui.domain.network_cameras import login_of, redact, with_password
from eyepi_gui.errors import NotFound
from tests.mjpeg_server import MjpegServer


def test_cameras_come_and_go_with_the_settings_and_open_with_the_password():
    streams = {}
    backend = OpencvBackend(lambda: dict(streams), sysfs_root=None, open_timeout_s=2)
    assert backend.discover() == []
    with MjpegServer(width=160, height=120, credentials=("tech", "a:b@c/d")) as server:
        url = f"http://tech@127.0.0.1:{server.port}/stream.mjpg"
        streams["gate"] = with_password(url, "a:b@c/d")
        (info,) = backend.discover()
        assert info.camera_id == "gate" and "a:b@c/d" not in info.port
        camera = backend.open("gate")
        try:
            still = camera.capture_still(StillRequest(64, 48, ("jpg",), 90))
            assert still.files["jpg"][:2] == b"\xff\xd8"
        finally:
            camera.close()
    del streams["gate"]
    assert backend.discover() == []
    with pytest.raises(NotFound):
        backend.open("gate")


@pytest.mark.parametrize(
    ("url", "password", "opened"),
    [
        ("rtsp://admin@h/live", "p@ss/w:rd", "rtsp://admin:p%40ss%2Fw%3Ard@h/live"),
        ("rtsp://admin@h/live", None, "rtsp://admin@h/live"),
        ("http://h:81/a?x=1", None, "http://h:81/a?x=1"),
    ],
)
def test_the_password_goes_after_the_user_name_encoded(url, password, opened):
    assert with_password(url, password) == opened
    assert redact(with_password(url, password)) == redact(url).replace("admin@", "***@")


def test_the_login_of_a_url():
    assert login_of("rtsp://u:p@h/") == ("u", True)
    assert login_of("rtsp://u@h/") == ("u", False)
    assert login_of("rtsp://h/") == ("", False)
