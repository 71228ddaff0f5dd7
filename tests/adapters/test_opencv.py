"""The opencv backend for real: a local MJPEG HTTP camera (with a login that must never
show), a recorded file, a missing USB device from a fake sysfs tree; URL redaction."""

import contextlib
import socket
import threading
import time

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.opencv import OpencvBackend, redact, stream_host
from eyepi_gui.domain.camera import CameraState, StillRequest
from eyepi_gui.errors import InvalidInput, NotFound, Unavailable
from eyepi_gui.services.camera_worker import CameraWorker
from tests.adapters.test_v4l2 import add_usb_node
from tests.mjpeg_server import MjpegServer

SECRET = "s3cret-pw"
VGA_BOTH = StillRequest(640, 480, ("jpg", "png"))


@pytest.fixture
def server():
    with MjpegServer(credentials=("tech", SECRET)) as running:
        yield running


@pytest.fixture
def no_usb(tmp_path):
    return tmp_path / "no-sysfs"


@pytest.fixture
def backend(server, no_usb):
    cameras = {"yard": server.url, "gone": "rtsp://tech:s3cret-pw@127.0.0.1:9/live?token=abc"}
    return OpencvBackend(cameras, sysfs_root=no_usb, open_timeout_s=2, read_timeout_s=1)


@pytest.fixture
def yard(backend):
    camera = backend.open("yard")
    yield camera
    camera.close()


def decode(data):
    return cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)


def first_failure(action, tries=100):
    """Call ``action`` until it raises Unavailable (frames already buffered still arrive);
    returns the error and the seconds it took."""
    started = time.monotonic()
    for _ in range(tries):
        try:
            action()
        except Unavailable as err:
            return err, time.monotonic() - started
    pytest.fail(f"still delivering after {tries} calls")


def shows_no_secret(*texts):
    return all(SECRET not in str(text) and "abc" not in str(text) for text in texts)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("rtsp://admin:pw@10.0.0.5:554/Streaming/101", "rtsp://***@10.0.0.5:554/Streaming/101"),
        (
            "http://cam.local/video.cgi?user=admin&pwd=pw",
            "http://cam.local/video.cgi?user=***&pwd=***",
        ),
        ("https://cam/live?token=pw#x", "https://cam/live?token=***"),
        ("rtsp://10.0.0.5/user=admin_password=pw_channel=1.sdp", "rtsp://10.0.0.5/user=***"),
        ("rtsp://admin:p@w/d?pw@10.0.0.5/live", "rtsp://***@10.0.0.5/live"),
        ("http://[fe80::1]:8080/x;sid=pw", "http://[fe80::1]:8080/x;sid=***"),
        ("admin:pw@host/x", "***@host/x"),
        ("http://cam:8080/stream.mjpg", "http://cam:8080/stream.mjpg"),
    ],
)
def test_redact_keeps_logins_and_tokens_out(url, shown):
    assert redact(url) == shown
    assert stream_host(url) in shown


def test_status_names_opencv(backend):
    status = backend.status()
    assert status.name == "opencv" and status.available


def test_network_cameras_are_listed_with_the_host_only(backend, server):
    infos = {info.camera_id: info for info in backend.discover()}
    assert list(infos) == ["yard", "gone"]
    yard = infos["yard"]
    assert yard.identity == f"stream at 127.0.0.1:{server.port}"
    assert yard.port == f"http://***@127.0.0.1:{server.port}/stream.mjpg"
    assert yard.model == "network stream (HTTP)" and yard.backend == "opencv"
    assert shows_no_secret(*infos.values())


def test_a_stream_with_credentials_delivers_sized_stills(yard):
    still = yard.capture_still(VGA_BOTH)
    assert set(still.files) == {"jpg", "png"}
    for data in still.files.values():
        assert decode(data).shape == (480, 640, 3)
    assert (still.width, still.height) == (640, 480)
    assert still.metadata["frame_size"] == "640x480"


def test_stills_are_scaled_and_cropped_to_the_request(yard):
    wide = yard.capture_still(StillRequest(1280, 720, ("jpg",)))
    small = yard.capture_still(StillRequest(320, 240, ("png",)))
    assert decode(wide.files["jpg"]).shape == (720, 1280, 3)
    assert decode(small.files["png"]).shape == (240, 320, 3)


def test_live_frames_are_rgb(yard):
    frame = yard.live_frame()
    assert frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    ramp_end = frame[5, -5]  # the test image is a grey ramp: equal channels either way
    assert abs(int(ramp_end[0]) - int(ramp_end[2])) < 10


def test_stream_settings_are_read_only_and_redacted(yard):
    settings = {setting.name: setting for setting in yard.settings()}
    assert settings["resolution"].value == "640x480"
    assert settings["source"].value.startswith("http://***@127.0.0.1:")
    assert all(setting.read_only for setting in settings.values())
    assert shows_no_secret(*settings.values())
    for name in ("resolution", "source", "brightness", "nonsense"):
        with pytest.raises(InvalidInput) as refused:
            yard.set_setting(name, "1")
        assert refused.value.field == name
    yard.set_controls(yard.controls())


def test_a_stopped_server_makes_the_camera_unavailable_quickly(yard, server):
    yard.capture_still(VGA_BOTH)
    server.stop()
    lost, seconds = first_failure(lambda: yard.capture_still(VGA_BOTH))
    assert seconds < 3.0
    assert shows_no_secret(lost)


def test_a_hung_stream_times_out(yard, server):
    yard.live_frame()
    server.pause()
    _, seconds = first_failure(yard.live_frame)
    assert seconds < 3.0  # read_timeout_s is 1 s


def test_an_unreachable_stream_is_offline_at_open(backend):
    started = time.monotonic()
    with pytest.raises(Unavailable) as refused:
        backend.open("gone")
    assert time.monotonic() - started < 2.5
    assert shows_no_secret(refused.value)
    assert "rtsp://***@127.0.0.1:9/live?token=***" in str(refused.value)


def test_a_wrong_password_is_refused_without_showing_it(server, no_usb):
    url = server.url.replace(SECRET, "wrong-pw")
    with pytest.raises(Unavailable) as refused:
        OpencvBackend({"yard": url}, sysfs_root=no_usb).open("yard")
    assert "wrong-pw" not in str(refused.value)


def test_unknown_ids_are_not_found(backend):
    with pytest.raises(NotFound):
        backend.open("usb-046d-0826-a1b2c3d4")


def test_urls_other_than_streams_are_refused_without_echoing_them(no_usb):
    with pytest.raises(InvalidInput) as refused:
        OpencvBackend({"cam": "ftp://tech:s3cret-pw@host/x"}, sysfs_root=no_usb)
    assert refused.value.field == "network_cameras.cam.url"
    assert shows_no_secret(refused.value)


def test_the_worker_reconnects_after_the_stream_comes_back(backend, server):
    states = []
    info = next(info for info in backend.discover() if info.camera_id == "yard")
    worker = CameraWorker(info, backend, lambda _id, state, why: states.append((state, why)))
    worker.start()
    try:
        assert worker.submit(lambda cam: cam.capture_still(VGA_BOTH)).result(10).width == 640
        port = server.port
        server.stop()
        with pytest.raises(Unavailable):
            worker.submit(lambda cam: cam.capture_still(VGA_BOTH)).result(10)
        assert states[-1][0] is CameraState.OFFLINE and shows_no_secret(states)
        with MjpegServer(credentials=("tech", SECRET), port=port):
            assert worker.submit(lambda cam: cam.live_frame()).result(10).shape[2] == 3
        assert states[-1] == (CameraState.IDLE, "")
    finally:
        assert worker.stop(timeout=10)


@pytest.fixture
def clip(tmp_path):
    """A 12-frame 320x240 MJPG AVI of a moving bar."""
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (320, 240))
    for n in range(12):
        frame = np.zeros((240, 320, 3), np.uint8)
        frame[:, n * 20 : n * 20 + 40] = (0, 128, 255)
        writer.write(frame)
    writer.release()
    return path


def test_a_recording_plays_as_a_camera_and_starts_over(clip, no_usb):
    backend = OpencvBackend({"replay": clip.as_uri()}, sysfs_root=no_usb)
    [info] = backend.discover()
    assert (info.identity, info.model) == ("video file clip.avi", "video file")
    camera = backend.open("replay")
    try:
        for _ in range(8):  # 3 frames a still: runs past the 12-frame end twice
            still = camera.capture_still(StillRequest(640, 480, ("jpg",)))
            assert decode(still.files["jpg"]).shape == (480, 640, 3)
        assert still.metadata["frame_size"] == "320x240"
    finally:
        camera.close()
        camera.close()
    with pytest.raises(Unavailable):
        camera.live_frame()


def test_a_missing_usb_device_is_offline_within_a_second(tmp_path):
    klass = add_usb_node(tmp_path / "sys", "video99")
    backend = OpencvBackend(sysfs_root=klass)
    [info] = backend.discover()
    assert (info.camera_id, info.port) == ("usb-046d-0826-a1b2c3d4", "/dev/video99")
    assert info.identity == "USB 046d:0826 serial A1B2C3D4"
    started = time.monotonic()
    with pytest.raises(Unavailable, match="/dev/video99"):
        backend.open(info.camera_id)
    assert time.monotonic() - started < 1.0


@pytest.fixture
def silent_server():
    """An HTTP camera that accepts connections and never answers (a hung camera)."""
    listener = socket.create_server(("127.0.0.1", 0))
    held = []

    def accept():
        with contextlib.suppress(OSError):
            while True:
                held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/stream.mjpg"
    listener.close()
    for connection in held:
        connection.close()


def test_a_hung_camera_does_not_hold_up_another_cameras_open(server, silent_server, no_usb):
    """OpenCV's lock around every FFmpeg open made a camera that never answers delay the
    other's first capture by its whole open timeout (issue 11)."""
    cameras = {"yard": server.url, "hung": silent_server}
    backend = OpencvBackend(cameras, sysfs_root=no_usb, open_timeout_s=3, read_timeout_s=1)
    hung_open = threading.Thread(target=first_failure, args=(lambda: backend.open("hung"), 1))
    hung_open.start()
    time.sleep(0.3)  # the hung camera's open is under way
    started = time.monotonic()
    camera = backend.open("yard")
    opened_in = time.monotonic() - started
    camera.close()
    hung_open.join()
    assert opened_in < 1.0, f"the open waited {opened_in:.1f} s for the hung camera's"
