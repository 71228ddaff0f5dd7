"""The station settings and network cameras API (Flask test client): reads for everyone,
changes for admins with a recently confirmed password, errors naming the field."""

import socket
import tomllib

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from tests.mjpeg_server import MjpegServer
from tests.ports import free_port

SETTINGS = "/api/v1/station/settings"
CAMERAS = "/api/v1/network-cameras"


@pytest.fixture
def ada(web):
    web.login("ada")
    web.confirm("ada")
    return web


def saved(station):
    return tomllib.loads((station.home / "station.toml").read_text())


def test_everyone_logged_in_reads_the_settings(web):
    web.login("vera")
    body = web.client.get(SETTINGS).get_json()
    assert body["station_name"] == "eyepi" and body["remote"]["port"] == 8080
    assert set(body["security"]) == {"auto_lock_s", "viewer_when_locked"}
    assert body["endpoint"] == {"running": False, "url": None, "fingerprint": None, "problem": None}


def test_an_admin_changes_every_setting_in_one_patch(ada, station):
    port = free_port()
    change = {
        "station_name": "field-north",
        "timezone": "Pacific/Auckland",
        "free_space_floor_mib": 800,
        "capture_timeout_s": 30,
        "security": {"auto_lock_s": 120, "viewer_when_locked": True},
        "preview": {"max_fps": 5},
        "remote": {"enabled": True, "bind": "127.0.0.1", "port": port, "tls": True},
    }
    reply = ada.client.patch(SETTINGS, json=change, headers=ada.headers())
    assert reply.status_code == 200, reply.get_json()
    body = reply.get_json()
    assert body["timezone"] == "Pacific/Auckland" and body["remote"]["port"] == port
    on_disk = saved(station)
    assert on_disk["station_name"] == "field-north" and on_disk["security"]["auto_lock_s"] == 120
    assert on_disk["remote"] == {**on_disk["remote"], "bind": "127.0.0.1", "tls": True}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Atlantis/Capital"}, "timezone"),
        ({"timezone": "Factory"}, "timezone"),
        ({"remote": {"port": 65536}}, "remote.port"),
        ({"remote": {"enabled": "yes"}}, "remote.enabled"),
        ({"remote": {"bind": "192.0.2.1"}}, "remote.bind"),
        ({"remote": {"max_body_kib": 9}}, "remote.max_body_kib"),  # station.toml only
        ({"security": {"viewer_when_locked": 1}}, "security.viewer_when_locked"),
        ({"security": {"auto_lock_s": 5}}, "security.auto_lock_s"),
        ({"preview": {"max_fps": 0}}, "preview.max_fps"),
        ({"free_space_floor_mib": -1}, "free_space_floor_mib"),
        ({"capture_timeout_s": "60"}, "capture_timeout_s"),
        ({"station_name": ""}, "station_name"),
    ],
)
def test_a_bad_value_is_a_400_naming_the_field_and_nothing_changes(ada, station, change, field):
    before = (station.home / "station.toml").read_bytes()
    reply = ada.client.patch(SETTINGS, json=change, headers=ada.headers())
    assert reply.status_code == 400
    assert reply.get_json()["field"] == field
    assert (station.home / "station.toml").read_bytes() == before


def test_a_port_in_use_is_a_400_on_remote_port(ada):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        change = {"remote": {"bind": "127.0.0.1", "port": other.getsockname()[1]}}
        reply = ada.client.patch(SETTINGS, json=change, headers=ada.headers())
    assert reply.status_code == 400 and reply.get_json()["field"] == "remote.port"


@pytest.mark.parametrize("who", ["otto", "vera"])
def test_operators_and_viewers_are_refused(web, station, who):
    web.login(who)
    web.confirm(who)
    before = (station.home / "station.toml").read_bytes()
    for method, url, body in [
        ("patch", SETTINGS, {"station_name": "mine"}),
        ("post", CAMERAS, {"camera_id": "gate", "url": "http://127.0.0.1:9/a"}),
        ("post", f"{CAMERAS}/test", {"url": "http://127.0.0.1:9/a"}),
        ("delete", f"{CAMERAS}/gate", None),
    ]:
        reply = getattr(web.client, method)(url, json=body, headers=web.headers())
        assert reply.status_code == 403, (method, url)
    assert (station.home / "station.toml").read_bytes() == before


def test_changes_need_the_password_typed_recently(web, clock):
    web.login("ada")
    clock.set(clock.now() + 301)  # remote.reauth_s after the login
    reply = web.client.patch(SETTINGS, json={"station_name": "x"}, headers=web.headers())
    assert reply.status_code == 401 and reply.get_json()["error"] == "reauth_required"


def test_an_api_token_may_not_change_the_station(client, services):
    ada = Principal("ada", Role.ADMIN, Origin.REMOTE)
    _, token = services.tokens.create(ada, "script")
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get(SETTINGS, headers=auth).status_code == 200
    assert client.patch(SETTINGS, json={"station_name": "x"}, headers=auth).status_code == 403


def test_a_network_camera_is_tested_added_listed_and_removed(ada, station, services):
    with MjpegServer(width=160, height=120, credentials=("tech", "hunter22")) as camera:
        url = f"http://tech@127.0.0.1:{camera.port}/stream.mjpg"
        wanted = {"url": url, "password": "hunter22"}
        tested = ada.client.post(f"{CAMERAS}/test", json=wanted, headers=ada.headers())
        assert tested.get_json() == {
            "ok": True,
            "width": 160,
            "height": 120,
            "message": tested.get_json()["message"],
        }
        added = ada.client.post(
            CAMERAS, json={"camera_id": "gate", **wanted}, headers=ada.headers()
        )
        assert added.status_code == 201
        listed = ada.client.get(CAMERAS).get_json()
        assert listed == [
            {
                "camera_id": "gate",
                "url": f"http://***@127.0.0.1:{camera.port}/stream.mjpg",
                "has_password": True,
            }
        ]
        assert "gate" in [c["id"] for c in ada.client.get("/api/v1/cameras").get_json()]
        assert "hunter22" not in (tested.get_data(as_text=True) + added.get_data(as_text=True))
        removed = ada.client.delete(f"{CAMERAS}/gate", headers=ada.headers())
        assert removed.status_code == 204
    assert ada.client.get(CAMERAS).get_json() == []
    assert "gate" not in saved(station).get("network_cameras", {})


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"camera_id": "Gate!", "url": "rtsp://192.0.2.5/a"}, "camera_id"),
        ({"camera_id": "gate", "url": "ftp://192.0.2.5/a"}, "url"),
        ({"camera_id": "gate", "url": "rtsp://192.0.2.5/a", "password": "x"}, "password"),
        ({"camera_id": "sim-1", "url": "rtsp://192.0.2.5/a"}, "camera_id"),
        ({"camera_id": "gate"}, "url"),
    ],
)
def test_a_bad_camera_is_a_400_naming_the_field(ada, body, field):
    reply = ada.client.post(CAMERAS, json=body, headers=ada.headers())
    assert reply.status_code == 400 and reply.get_json()["field"] == field


def test_removing_an_unknown_network_camera_is_a_404(ada):
    assert ada.client.delete(f"{CAMERAS}/nowhere", headers=ada.headers()).status_code == 404
