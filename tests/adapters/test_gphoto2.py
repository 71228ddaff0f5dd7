"""The gphoto2 backend against libgphoto2's own virtual camera (a real ptp2 session over vusb).

What the virtual camera does (checked, and asserted here): it reports serial number "0.1",
shutter speed, f-number, capture target (Internal RAM / Memory card), battery level; a capture
adds the folder's JPEG to the camera's memory as a new file, and file_delete removes it from
the camera's listing; it has no live view ([-6]) and never saves RAW. With its folder gone it
stays detected, but a capture fails with libgphoto2's generic error [-1].

tests.gphoto2_virtual sets VCAMERADIR when imported; none of the imports here loads gphoto2.
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.cameras.gphoto2 import Gphoto2Backend
from eyepi_gui.adapters.cameras.gphoto2_camera import Gphoto2Camera
from eyepi_gui.domain.camera import ExposureControls, StillRequest
from eyepi_gui.errors import CameraFault, InvalidInput, NotFound, Unavailable
from eyepi_gui.settings import CAMERA_ID
from eyepi_gui.station import Station
from tests import gphoto2_virtual as virtual
from tests.fakes import FakeHasher
from tests.principals import ADMIN

ROOT = Path(__file__).resolve().parents[2]
STILL = StillRequest(width=640, height=480, formats=("jpg",))
CAPTURE_BOUND_S = 10.0  # a failing capture must answer well within the station's timeout


@pytest.fixture(scope="module", autouse=True)
def virtual_camera():
    reason = virtual.available()
    if reason is not None:
        pytest.skip(reason)


@pytest.fixture
def backend():
    return Gphoto2Backend()


@pytest.fixture
def device(backend):
    opened = backend.open(virtual.CAMERA_ID)
    yield opened
    opened.close()


@pytest.fixture
def session():
    """A raw libgphoto2 session on the virtual camera, wrapped by the adapter's device; the
    test keeps the raw camera to look at the camera's own file listing."""
    import gphoto2 as gp

    camera = gp.Camera()
    camera.init()
    info = Gphoto2Backend().discover()[0]
    device = Gphoto2Camera(camera, info, release=lambda port: None)
    yield camera, device
    device.close()


def camera_files(camera, folder="/"):
    """Every file path the camera lists, recursively."""
    files = camera.folder_list_files(folder)
    folders = camera.folder_list_folders(folder)
    paths = [f"{folder.rstrip('/')}/{files.get_name(i)}" for i in range(files.count())]
    for i in range(folders.count()):
        paths += camera_files(camera, f"{folder.rstrip('/')}/{folders.get_name(i)}")
    return paths


def test_the_virtual_camera_is_found_by_its_serial_number(backend):
    (info,) = backend.discover()
    assert info.camera_id == virtual.CAMERA_ID and CAMERA_ID.fullmatch(info.camera_id)
    assert info.identity == f"serial {virtual.SERIAL}"
    assert (info.model, info.port, info.backend) == (virtual.MODEL, virtual.PORT, "gphoto2")
    assert info.formats == ("jpg",) and not info.sized_stills and not info.live_view
    assert info.max_resolution == (2048, 1536)  # the largest "imagesize" it reports
    assert backend.status().available


def test_open_finds_the_camera_again_and_refuses_a_second_open(backend, device):
    assert device.info == backend.discover()[0]
    with pytest.raises(Unavailable, match="open already"):
        backend.open(virtual.CAMERA_ID)
    with pytest.raises(NotFound):
        backend.open("gphoto2-no-such-serial")


def test_settings_come_from_the_config_tree(device):
    settings = {setting.name: setting for setting in device.settings()}
    assert list(settings) == [
        "shutterspeed",
        "f-number",
        "capturetarget",
        "batterylevel",
        "serialnumber",
    ]
    assert settings["shutterspeed"].value in settings["shutterspeed"].choices
    assert "f/8" in settings["f-number"].choices
    assert settings["serialnumber"].value == virtual.SERIAL and settings["serialnumber"].read_only
    assert settings["batterylevel"].read_only


def test_opening_sets_the_capture_target_to_ram(backend, device):
    assert device.set_setting("capturetarget", "Memory card").value == "Memory card"
    device.close()
    reopened = backend.open(virtual.CAMERA_ID)
    try:
        assert {s.name: s.value for s in reopened.settings()}["capturetarget"] == "Internal RAM"
    finally:
        reopened.close()


def test_shutter_speed_is_set_and_read_back(device):
    shutter = next(s for s in device.settings() if s.name == "shutterspeed")
    other = next(choice for choice in shutter.choices if choice != shutter.value)
    assert device.set_setting("shutterspeed", other).value == other
    assert {s.name: s.value for s in device.settings()}["shutterspeed"] == other


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("serialnumber", "123"),  # read-only
        ("shutterspeed", "1/8000"),  # not among the camera's choices
        ("exposurecompensation", "0"),  # the camera has it, the station does not offer it
        ("no-such-setting", "1"),
    ],
)
def test_refused_settings_name_the_setting(device, name, value):
    with pytest.raises(InvalidInput) as refused:
        device.set_setting(name, value)
    assert refused.value.field == name


def test_controls_map_to_the_nearest_shutter_speed(device):
    device.set_controls(ExposureControls(focus=0.3, shutter_s=1 / 22, iso=400))
    assert {s.name: s.value for s in device.settings()}["shutterspeed"] == "0.0500s"
    assert device.controls() == ExposureControls(focus=0.3, shutter_s=0.05, iso=200)
    with pytest.raises(InvalidInput):
        device.set_controls(ExposureControls(shutter_s=0))


def test_live_view_is_refused_without_capture_preview(device):
    with pytest.raises(Unavailable, match="no live view"):
        device.live_frame()


def test_a_capture_is_downloaded_whole_and_deleted_from_the_camera(session):
    camera, device = session
    before = camera_files(camera)
    still = device.capture_still(STILL)
    assert still.files == {"jpg": virtual.JPEG.read_bytes()}
    image = cv2.imdecode(np.frombuffer(still.files["jpg"], np.uint8), cv2.IMREAD_COLOR)
    assert (still.width, still.height) == virtual.SIZE == image.shape[1::-1]
    (name,) = still.metadata["camera_files"]
    assert name.endswith(".JPG")
    assert camera_files(camera) == before  # the captured file is gone from the camera again
    assert not any(path.endswith(name) for path in camera_files(camera))


def test_a_test_shot_through_the_station_lands_in_the_image_folder(tmp_path):
    station = Station(
        tmp_path / "home", fallback=Gphoto2Backend(), log_to_console=False, hasher=FakeHasher()
    )
    services = station.open()
    try:
        station.start()
        (record,) = services.cameras.test_shot(ADMIN, virtual.CAMERA_ID)
    finally:
        station.stop()
    image = Path(record.path)
    assert image.parent.parent == tmp_path / "home" / "images" / virtual.CAMERA_ID
    stamp = re.fullmatch(
        rf"{virtual.CAMERA_ID}_(\d{{4}})_(\d\d)_(\d\d)_[\d_]{{8}}_test\.jpg", image.name
    )
    assert stamp and image.parent.name == "-".join(stamp.groups())
    assert image.read_bytes() == virtual.JPEG.read_bytes()
    sidecar = json.loads(image.with_suffix(".json").read_text())
    assert sidecar["test_shot"] is True


def test_a_vanished_camera_fails_the_capture_and_works_again_when_back(backend, device):
    with virtual.camera_vanished():
        started = time.monotonic()
        with pytest.raises(Unavailable) as failed:
            device.capture_still(STILL)
        assert time.monotonic() - started < CAPTURE_BOUND_S
        assert isinstance(failed.value, CameraFault)  # vusb answers [-1], not a USB error
    assert device.capture_still(STILL).files["jpg"] == virtual.JPEG.read_bytes()
    device.close()
    assert [info.camera_id for info in backend.discover()] == [virtual.CAMERA_ID]
    reopened = backend.open(virtual.CAMERA_ID)
    reopened.close()


def test_without_the_library_the_backend_says_how_to_install_it(monkeypatch, backend):
    monkeypatch.setitem(sys.modules, "gphoto2", None)
    status = backend.status()
    assert not status.available and "pip install 'eyepi[gphoto2]'" in status.reason
    assert backend.discover() == []
    with pytest.raises(Unavailable, match="not installed"):
        backend.open(virtual.CAMERA_ID)


CHILD = """
from eyepi_gui.adapters.cameras.gphoto2 import Gphoto2Backend
from eyepi_gui.errors import NotFound
backend = Gphoto2Backend()
try:
    backend.open("gphoto2-0-1")
except NotFound:
    print(backend.status().available, backend.discover())
"""


def test_without_a_camera_nothing_is_found():
    env = {key: value for key, value in os.environ.items() if key != "VCAMERADIR"}
    result = subprocess.run(
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True []"
