"""The station page in a real browser (Debian's Chromium, driven by Playwright) on a real
endpoint run by ``RemoteRunner``: a tech changes every station setting, adds a network camera
by URL (tested first, in place) that then captures, removes it, and moves the endpoint to a
new port: the page gives the new address, the old port is closed, the new one serves."""

from __future__ import annotations

import re
import socket
import tomllib

import pytest

from eyepi_gui.remote_runner import RemoteRunner
from tests.gui.test_remote_browser import CHROMIUM, browser, log_in, shots  # noqa: F401
from tests.mjpeg_server import MjpegServer
from tests.ports import free_port
from tests.principals import ADMIN
from tests.waiting import eventually

pytestmark = pytest.mark.skipif(
    not __import__("pathlib").Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/bootstrap does it)",
)


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture
def runner(services, eyepi_home):
    services.config.update_station(ADMIN, {"remote": {"bind": "127.0.0.1", "port": free_port()}})
    runner = RemoteRunner(services, eyepi_home, delay_s=0.2)
    runner.start()
    yield runner
    runner.stop()


def saved(home):
    return tomllib.loads((home / "station.toml").read_text())


def test_a_tech_runs_the_station_from_the_browser(runner, browser, services, eyepi_home, shots):  # noqa: F811
    page = browser
    page.on("dialog", lambda dialog: dialog.accept())
    old = services.config.current().remote.port
    url = f"http://127.0.0.1:{old}"
    log_in(page, url)
    page.click("nav >> text=Station")
    page.wait_for_url(re.compile(r"/station$"))

    page.fill("[name=station_name]", "field-north")
    page.fill("[name=timezone]", "Europe/Berlin")
    page.fill("[name=free_space_floor_mib]", "64")
    page.fill("[name=capture_timeout_s]", "25")
    page.fill("[name='security.auto_lock_s']", "120")
    page.check("[name='security.viewer_when_locked']")
    page.fill("[name='preview.max_fps']", "6")
    page.screenshot(path=shots / "station-form.png", full_page=True)
    page.click("#save-station")
    page.wait_for_url(re.compile(r"notice=saved"))
    on_disk = saved(eyepi_home)
    assert (on_disk["station_name"], on_disk["timezone"]) == ("field-north", "Europe/Berlin")
    assert (on_disk["free_space_floor_mib"], on_disk["capture_timeout_s"]) == (64, 25)
    assert on_disk["security"]["auto_lock_s"] == 120
    assert on_disk["security"]["viewer_when_locked"] is True
    assert on_disk["preview"]["max_fps"] == 6
    assert services.overview.health().station_name == "field-north"
    assert str(services.config.tz()) == "Europe/Berlin"
    assert services.config.current().security.auto_lock_s == 120

    page.fill("[name=timezone]", "Europe/Atlantis")
    page.click("#save-station")
    assert "use an IANA time zone" in page.inner_text("[id='timezone-problem']")
    assert saved(eyepi_home)["timezone"] == "Europe/Berlin"

    with MjpegServer(width=160, height=120, credentials=("tech", "hunter22")) as camera:
        page.goto(f"{url}/station")
        page.fill("[name=camera_id]", "gate")
        page.fill("[name=url]", f"http://tech@127.0.0.1:{camera.port}/stream.mjpg")
        page.fill("[name=password]", "hunter22")
        page.click("#test-stream")
        page.wait_for_selector("#stream-test:has-text('Stream works')", timeout=15_000)
        assert page.input_value("[name=password]") == "hunter22"  # tested in place
        page.click("#add-stream")
        page.wait_for_url(re.compile(r"notice=camera-added"))
        assert "hunter22" not in page.content()
        assert saved(eyepi_home)["network_cameras"]["gate"]["password"] == "hunter22"
        services.config.update_camera(ADMIN, "gate", {"resolution": "64x48"})
        assert services.cameras.test_shot(ADMIN, "gate")[0].camera_id == "gate"
        page.screenshot(path=shots / "station-cameras.png", full_page=True)
        page.click("[data-network-camera=gate] >> text=Remove gate")
        page.wait_for_url(re.compile(r"notice=camera-removed"))
    assert "gate" not in [info.camera_id for info in services.cameras.cameras()]

    new = free_port()
    page.fill("[name='remote.port']", str(new))
    page.fill("[name='remote.bind']", "0.0.0.0")
    page.check("[name='remote.tls']")
    page.click("#save-station")
    assert f"https://127.0.0.1:{new}" in page.inner_text(".cutoff")
    assert saved(eyepi_home)["remote"]["port"] == old  # nothing before the confirm
    page.click("#confirm-cutoff")
    assert page.inner_text("#new-url") == f"https://127.0.0.1:{new}"
    eventually(lambda: services.endpoint.current().url == f"https://0.0.0.0:{new}")
    assert not answers(old) and services.endpoint.current().fingerprint
    assert saved(eyepi_home)["remote"] == {
        **saved(eyepi_home)["remote"],
        "bind": "0.0.0.0",
        "port": new,
        "tls": True,
    }

    # the station's self-signed certificate: a browser that accepts it (as a tech would)
    secure = page.context.browser.new_context(ignore_https_errors=True)
    try:
        moved = secure.new_page()
        moved.on("dialog", lambda dialog: dialog.accept())
        log_in(moved, f"https://127.0.0.1:{new}")
        moved.goto(f"https://127.0.0.1:{new}/station")
        assert f"Running at https://0.0.0.0:{new}" in moved.inner_text(".endpoint")
        moved.screenshot(path=shots / "station-moved.png", full_page=True)
        moved.uncheck("[name='remote.enabled']")
        moved.click("#save-station")
        assert "turns off" in moved.inner_text(".cutoff")
        moved.click("#confirm-cutoff")
        assert "turning off" in moved.inner_text(".moved")
    finally:
        secure.close()
    eventually(lambda: not services.endpoint.current().running)
    assert not answers(new) and saved(eyepi_home)["remote"]["enabled"] is False
