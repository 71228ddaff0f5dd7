"""The live page's focus controls as served: on for operators, off with the reason for
viewers, and off with the camera's reason where the lens cannot be driven."""

import re
from pathlib import Path

import numpy as np
import pytest

import remote
from eyepi_gui.domain.access import Origin
from eyepi_gui.station import Station
from remote.app import create_app
from tests.fakes import FakeHasher, PictureBackend
from tests.principals import ADMIN
from tests.remote.conftest import PASSWORDS, Web

BUTTON = re.compile(r"<button type=\"button\"[^>]*>")
LENS = re.compile(r"<button type=\"button\" class=\"lens-step\"[^>]*>")
HTML_SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.html\(")


def buttons(page, pattern=BUTTON):
    return pattern.findall(page)


def html(response):
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["otto", "ada"])
def test_operators_get_every_control(web, username):
    page = html(web.login(username).client.get("/cameras/sim-1/live"))
    assert len(buttons(page, LENS)) == 6
    found = buttons(page)
    assert len(found) == 9 and not [b for b in found if " disabled" in b]
    for step in ("fine", "medium", "coarse"):
        for direction in ("Near", "Far"):
            assert f'aria-label="{direction}, {step} step"' in page
    assert 'id="focus-refusal"' not in page
    assert 'class="live-frame can-draw"' in page


def test_a_viewer_gets_every_control_off_and_the_reason(web):
    page = html(web.login("vera").client.get("/cameras/sim-1/live"))
    found = buttons(page)
    assert len(found) == 9 and all(" disabled" in b for b in found)
    assert "A viewer may not focus cameras; log in as an operator or admin." in page
    assert "can-draw" not in page
    assert '<output id="focus-score"' in page, "the score is for everyone"


def test_a_locked_camera_offers_unlock(web, services):
    web.login("otto")
    services.focus.lock(ADMIN, "sim-1")
    page = html(web.client.get("/cameras/sim-1/live"))
    assert 'data-locked="yes"' in page and ">Unlock focus</button>" in page
    assert "Locked at score" in page


@pytest.fixture
def picture_client(tmp_path):
    """A station whose only camera has a live view but no lens to drive."""
    station = Station(
        tmp_path / "home",
        fallback=PictureBackend(np.zeros((48, 64, 3), np.uint8)),
        log_to_console=False,
        hasher=FakeHasher(),
    )
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    services.inventory.start()
    yield create_app(services, services.config.current().remote, testing=True).test_client()
    station.stop()


def test_a_camera_without_a_lens_to_drive_says_so(picture_client):
    web = Web(picture_client).login("ada")
    page = html(picture_client.get("/cameras/pic-1/live"))
    assert "This camera&#39;s lens cannot be driven from the station." in page
    assert all(" disabled" in b for b in buttons(page, LENS))
    autofocus = next(b for b in buttons(page) if 'id="focus-autofocus"' in b)
    assert " disabled" in autofocus
    lock = next(b for b in buttons(page) if 'id="focus-lock"' in b)
    assert " disabled" not in lock, "a still is all a lock needs"
    refused = picture_client.post(
        "/api/v1/cameras/pic-1/focus/drive",
        json={"direction": "far", "step": "fine"},
        headers=web.headers(),
    )
    assert refused.status_code == 503
    assert refused.get_json()["message"] == "this test camera has no lens to drive"
    support = picture_client.get("/api/v1/cameras/pic-1/focus/support").get_json()
    assert support == {"drive": False, "autofocus": False, "live_zoom": []}


def test_no_script_puts_html_in_the_page(client):
    """Station data reaches the page as text and attributes only (CSP blocks inline code,
    this blocks markup built from data)."""
    static = Path(remote.__file__).parent / "static"
    scripts = sorted(static.glob("*.js"))
    assert {"focus.js", "live.js"} <= {script.name for script in scripts}
    for script in scripts:
        assert HTML_SINKS.search(script.read_text()) is None, script.name
        assert client.get(f"/static/{script.name}").status_code == 200
