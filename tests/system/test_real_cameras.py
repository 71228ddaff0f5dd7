"""`eyepi run --headless` with real camera stacks: libgphoto2's virtual DSLR and a network
camera streaming MJPEG over HTTP, both captured on schedule; `eyepi doctor` lists them."""

import json
import os
import time

import cv2
import numpy as np
import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.settings import CameraSettings, NetworkCameraSettings, StationSettings
from tests import gphoto2_virtual
from tests.mjpeg_server import MjpegServer
from tests.system.test_station_process import eyepi, sidecars, stop, wait_for

pytestmark = pytest.mark.system
STREAM_ID = "gate"


@pytest.fixture
def stream():
    server = MjpegServer(width=640, height=480, credentials=("field", "s3cret-pass")).start()
    yield server
    server.stop()


def write_settings(home, stream_url):
    home.mkdir(parents=True, exist_ok=True)
    cameras = {
        gphoto2_virtual.CAMERA_ID: CameraSettings(name="DSLR", interval_s=2, window="always"),
        STREAM_ID: CameraSettings(name="Gate", interval_s=1, window="always", resolution="640x480"),
    }
    station = StationSettings(
        station_name="field-9",
        cameras=cameras,
        network_cameras={STREAM_ID: NetworkCameraSettings(url=stream_url)},
    )
    (home / "station.toml").write_text(cfg.dumps(station))


def with_virtual_dslr():
    return {"VCAMERADIR": os.environ["VCAMERADIR"]}


def test_headless_station_captures_from_a_dslr_and_a_network_camera(tmp_path, stream):
    home = tmp_path / "home"
    write_settings(home, stream.url)
    proc = eyepi("run", "--headless", "--home", str(home), env=with_virtual_dslr())
    try:
        assert wait_for(
            lambda: (
                {d.parent.parent.name for d in sidecars(home)}
                >= {gphoto2_virtual.CAMERA_ID, STREAM_ID}
            ),
            timeout=40,
        ), "no capture from both cameras within 40 s"
        time.sleep(4)
    finally:
        code, _, err = stop(proc)
    assert code == 0, err
    assert (
        "s3cret-pass" not in err
        and "s3cret-pass" not in (home / "logs" / "eyepi.jsonl").read_text()
    )
    images: dict[str, list] = {}
    for path in sidecars(home):
        doc = json.loads(path.read_text())
        assert doc["station"] == "field-9" and not doc["test_shot"]
        assert doc["backend"] in ("gphoto2", "opencv"), "no simulated stand-ins beside real ones"
        images.setdefault(doc["camera_id"], []).append(path.with_name(doc["files"][0]["name"]))
    dslr, gate = images[gphoto2_virtual.CAMERA_ID], images[STREAM_ID]
    assert len(gate) >= len(dslr) >= 2
    assert dslr[0].read_bytes() == gphoto2_virtual.JPEG.read_bytes()
    frame = cv2.imdecode(np.frombuffer(gate[0].read_bytes(), np.uint8), cv2.IMREAD_COLOR)
    assert frame.shape == (480, 640, 3)


def test_doctor_lists_both_cameras_without_the_password(tmp_path, stream):
    home = tmp_path / "home"
    write_settings(home, stream.url)
    proc = eyepi("doctor", "--home", str(home), env=with_virtual_dslr())
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert f"{gphoto2_virtual.CAMERA_ID}: {gphoto2_virtual.MODEL}" in out
    assert f"{STREAM_ID}:" in out and "127.0.0.1" in out
    assert "s3cret-pass" not in out
