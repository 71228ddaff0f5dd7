"""Network cameras through the service: tested, added and removed while the station runs
(the camera captures without a restart), the password write-only everywhere."""

import logging

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.errors import Forbidden, InvalidInput, NotFound
from tests.mjpeg_server import MjpegServer

ADA = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7")
OTTO = Principal("otto", Role.OPERATOR, Origin.KIOSK)
SECRET = "p@ss:w/rd?#%"  # every character a URL treats specially
LOGIN = ("tech", SECRET)


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def toml(accounts_station):
    return accounts_station.home / "station.toml"


@pytest.fixture
def camera_server():
    with MjpegServer(width=160, height=120, credentials=LOGIN) as server:
        yield server


def url_of(server):
    return f"http://tech@127.0.0.1:{server.port}/stream.mjpg"


def test_a_stream_is_tested_with_its_password_before_saving(services, camera_server):
    found = services.network_cameras.test(ADA, url_of(camera_server), SECRET)
    assert found.ok and (found.width, found.height) == (160, 120)
    assert SECRET not in found.message
    wrong = services.network_cameras.test(ADA, url_of(camera_server), "not it")
    assert not wrong.ok and "not it" not in wrong.message
    entries = services.audit.recent(ADA, 5, action="network_camera_test")
    assert [e.ok for e in entries] == [False, True]
    assert all(SECRET not in e.target + e.detail for e in entries)


def test_an_unreachable_stream_is_a_result_not_an_error(services):
    found = services.network_cameras.test(ADA, "http://127.0.0.1:9/stream.mjpg", None)
    assert not found.ok and found.width is None and "127.0.0.1:9" in found.message


def test_an_added_camera_captures_at_once_and_its_password_is_never_shown(
    services, toml, camera_server, caplog
):
    with caplog.at_level(logging.DEBUG):
        view = services.network_cameras.add(ADA, "gate", url_of(camera_server), SECRET)
        assert view.camera_id == "gate" and view.has_password and SECRET not in view.url
        assert "gate" in [info.camera_id for info in services.cameras.cameras()]
        services.config.update_camera(ADA, "gate", {"resolution": "64x48"})
        records = services.cameras.test_shot(ADA, "gate")
    assert records and records[0].camera_id == "gate"
    saved = cfg.loads(toml.read_text()).network_cameras["gate"]
    assert (saved.url, saved.password) == (url_of(camera_server), SECRET)
    assert services.network_cameras.list() == [view]
    assert SECRET not in repr(services.config.current())
    assert SECRET not in caplog.text
    audit = services.audit.recent(ADA, 20)
    assert all(SECRET not in e.target + e.detail for e in audit)
    assert any(e.target == "network_cameras.gate" and e.detail == "saved" for e in audit)


def test_a_removed_camera_stops_and_leaves_station_toml(services, toml, camera_server):
    services.network_cameras.add(ADA, "gate", url_of(camera_server), SECRET)
    services.network_cameras.remove(ADA, "gate")
    assert "gate" not in [info.camera_id for info in services.cameras.cameras()]
    assert "gate" not in cfg.loads(toml.read_text()).network_cameras
    assert services.network_cameras.list() == []
    with pytest.raises(NotFound):
        services.network_cameras.remove(ADA, "gate")


BAD = [
    ({"camera_id": "Gate"}, "camera_id"),
    ({"camera_id": "-gate"}, "camera_id"),
    ({"camera_id": "gate\n"}, "camera_id"),
    ({"camera_id": "sim-1"}, "camera_id"),  # a camera's id already
    ({"url": "ftp://192.0.2.5/live"}, "url"),
    ({"url": "rtsp://"}, "url"),
    ({"url": "rtsp://192.0.2.5/a b"}, "url"),
    ({"url": "192.0.2.5/live"}, "url"),
    ({"password": "x"}, "password"),  # no user in the URL for it to go with
    ({"url": "rtsp://u:inline@192.0.2.5/live", "password": "x"}, "password"),
    ({"url": "rtsp://u@192.0.2.5/live", "password": "a\nb"}, "password"),
    ({"url": "rtsp://u@192.0.2.5/live", "password": "x" * 257}, "password"),
]


@pytest.mark.parametrize(("given", "field"), BAD, ids=[str(g) for g, _ in BAD])
def test_a_bad_camera_is_refused_naming_its_field_and_nothing_is_saved(
    services, toml, given, field
):
    before = toml.read_bytes()
    values = {"camera_id": "gate", "url": "rtsp://192.0.2.5/live", "password": None} | given
    with pytest.raises(InvalidInput) as refused:
        services.network_cameras.add(ADA, **values)
    assert refused.value.field == field
    assert toml.read_bytes() == before and services.network_cameras.list() == []


def test_a_duplicate_network_camera_is_refused(services, toml):
    services.config.set_network_camera(
        ADA, "gate", cfg.NetworkCameraSettings(url="http://127.0.0.1:9/a")
    )
    with pytest.raises(InvalidInput) as refused:
        services.network_cameras.add(ADA, "gate", "http://127.0.0.1:9/b")
    assert refused.value.field == "camera_id"
    assert cfg.loads(toml.read_text()).network_cameras["gate"].url == "http://127.0.0.1:9/a"


@pytest.mark.parametrize("call", ["add", "remove", "test"])
def test_operators_are_refused_at_the_service(services, toml, call):
    before = toml.read_bytes()
    calls = {
        "add": lambda: services.network_cameras.add(OTTO, "gate", "http://127.0.0.1:9/a"),
        "remove": lambda: services.network_cameras.remove(OTTO, "sim-1"),
        "test": lambda: services.network_cameras.test(OTTO, "http://127.0.0.1:9/a"),
    }
    with pytest.raises(Forbidden):
        calls[call]()
    assert toml.read_bytes() == before
