"""The station page through the Flask test client: every setting in one form, errors under
their fields, a confirm before a change that cuts the browser off, network cameras."""

import re
import socket
import tomllib

import pytest

from tests.mjpeg_server import MjpegServer


@pytest.fixture
def ada(web):
    web.login("ada")
    return web


def toml(station):
    return tomllib.loads((station.home / "station.toml").read_text())


def form_of(web, **changed):
    values = {
        "csrf_token": web.csrf,
        "station_name": "eyepi",
        "timezone": "",
        "free_space_floor_mib": "500",
        "capture_timeout_s": "60",
        "security.auto_lock_s": "300",
        "preview.max_fps": "15",
        "remote.enabled": "on",
        "remote.bind": "0.0.0.0",
        "remote.port": "8080",
    }
    return {key: value for key, value in (values | changed).items() if value is not None}


def test_the_page_lists_the_zones_and_the_nav_links_it_for_admins_only(ada, web):
    page = ada.client.get("/station").get_data(as_text=True)
    assert '<option value="Europe/Berlin">' in page and 'value="Factory"' not in page
    assert 'href="/station"' in page and 'list="zones"' in page


def test_operators_see_no_link_and_may_not_change(web, station):
    web.login("otto")
    assert 'href="/station"' not in web.client.get("/").get_data(as_text=True)
    page = web.client.get("/station").get_data(as_text=True)
    assert "may not change station settings" in page and "<fieldset disabled>" in page
    before = (station.home / "station.toml").read_bytes()
    refused = web.client.post("/station", data=form_of(web, station_name="mine"))
    assert refused.status_code == 403
    assert (station.home / "station.toml").read_bytes() == before


def test_every_setting_saves_from_the_form(ada, station, services):
    data = form_of(
        ada,
        station_name="field-north",
        timezone="Europe/Berlin",
        free_space_floor_mib="900",
        capture_timeout_s="20",
        **{
            "security.auto_lock_s": "120",
            "security.viewer_when_locked": "on",
            "preview.max_fps": "5",
        },
    )
    reply = ada.client.post("/station", data=data)
    assert reply.status_code == 303 and reply.headers["Location"] == "/station?notice=saved"
    saved = toml(station)
    assert (saved["station_name"], saved["timezone"]) == ("field-north", "Europe/Berlin")
    assert saved["free_space_floor_mib"] == 900 and saved["capture_timeout_s"] == 20
    assert saved["security"]["auto_lock_s"] == 120 and saved["security"]["viewer_when_locked"]
    assert saved["preview"]["max_fps"] == 5
    assert services.overview.health().station_name == "field-north"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("timezone", "Mars/Olympus"),
        ("timezone", "Factory"),
        ("free_space_floor_mib", "-3"),
        ("free_space_floor_mib", "lots"),
        ("capture_timeout_s", "nan"),
        ("security.auto_lock_s", "5"),
        ("preview.max_fps", "0"),
        ("station_name", ""),
    ],
)
def test_a_bad_value_is_said_under_its_field_and_nothing_is_saved(ada, station, field, value):
    before = (station.home / "station.toml").read_bytes()
    reply = ada.client.post("/station", data=form_of(ada, **{field: value}))
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400
    assert f'id="{field}-problem"' in page and f'value="{value}"' in page
    assert (station.home / "station.toml").read_bytes() == before


def test_a_port_change_is_confirmed_first_then_the_page_gives_the_new_address(ada, station):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = form_of(ada, **{"remote.port": str(port), "remote.tls": "on"})
    before = (station.home / "station.toml").read_bytes()
    asked = ada.client.post("/station", data=data)
    page = asked.get_data(as_text=True)
    assert asked.status_code == 200 and "This change cuts off this browser" in page
    assert f"https://localhost:{port}" in page
    assert (station.home / "station.toml").read_bytes() == before
    done = ada.client.post("/station", data=data | {"confirm_cutoff": "1"})
    moved = done.get_data(as_text=True)
    assert done.status_code == 200 and f'href="https://localhost:{port}/station"' in moved
    assert toml(station)["remote"]["port"] == port and toml(station)["remote"]["tls"] is True


def test_turning_the_endpoint_off_says_so_first(ada, station):
    data = form_of(ada, **{"remote.enabled": None})
    asked = ada.client.post("/station", data=data).get_data(as_text=True)
    assert "turns <strong>off</strong>" in asked
    done = ada.client.post("/station", data=data | {"confirm_cutoff": "1"})
    assert "turning <strong>off</strong>" in done.get_data(as_text=True)
    assert toml(station)["remote"]["enabled"] is False


def test_a_port_in_use_is_said_under_the_port_after_the_confirm(ada, station):
    with socket.socket() as other:
        other.bind(("0.0.0.0", 0))
        other.listen()
        data = form_of(ada, **{"remote.port": str(other.getsockname()[1])})
        reply = ada.client.post("/station", data=data | {"confirm_cutoff": "1"})
    assert reply.status_code == 400
    assert re.search(r'id="remote.port-problem">port \d+ is in use', reply.get_data(as_text=True))


def test_a_network_camera_is_tested_added_and_removed_from_the_page(ada, station, services):
    with MjpegServer(width=160, height=120, credentials=("tech", "hunter22")) as camera:
        url = f"http://tech@127.0.0.1:{camera.port}/stream.mjpg"
        typed = {"csrf_token": ada.csrf, "camera_id": "gate", "url": url, "password": "hunter22"}
        tested = ada.client.post("/station/cameras/test", data=typed).get_data(as_text=True)
        assert "Stream works: " in tested and "160x120" in tested and "hunter22" not in tested
        added = ada.client.post("/station/cameras", data=typed)
        assert added.status_code == 303
        page = ada.client.get(added.headers["Location"]).get_data(as_text=True)
        assert 'data-network-camera="gate"' in page and "password kept" in page
        assert "hunter22" not in page
        removed = ada.client.post("/station/cameras/gate/remove", data={"csrf_token": ada.csrf})
        assert removed.status_code == 303
    assert "network_cameras" not in toml(station) or not toml(station)["network_cameras"]


def test_a_bad_camera_is_said_under_its_field(ada, station):
    typed = {"csrf_token": ada.csrf, "camera_id": "gate", "url": "ftp://192.0.2.5/x"}
    reply = ada.client.post("/station/cameras", data=typed)
    page = reply.get_data(as_text=True)
    assert reply.status_code == 400 and 'id="url-problem"' in page
    assert 'value="ftp://192.0.2.5/x"' in page
