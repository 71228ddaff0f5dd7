"""The remote endpoint in a real browser (Debian's Chromium, driven by Playwright), beside the
kiosk on the same services: a tech logs in, opens the dashboard, changes a camera's interval,
and the change is in station.toml and on the kiosk's settings form; the live view receives
frames. Screenshots go to the test's tmp folder (``EYEPI_SHOTS`` to keep them)."""

from __future__ import annotations

import os
import re
import time
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.settings import RemoteSettings
from remote.app import create_app
from remote.server import RemoteServer
from tests.gui.conftest import ADMIN_PASSWORD
from tests.remote.browser import CHROMIUM, FLAGS, needs_chromium

pytestmark = needs_chromium


@pytest.fixture
def remote(services, eyepi_home):
    settings = RemoteSettings(bind="127.0.0.1", port=0)
    server = RemoteServer(create_app(services, settings), settings, eyepi_home)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        context = browser.new_context(viewport={"width": 412, "height": 860})  # a phone
        yield context.new_page()
        context.close()
        browser.close()


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("EYEPI_SHOTS", tmp_path / "shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def log_in(page, url):
    page.goto(f"{url}/")
    assert "/login" in page.url
    page.fill("input[name=username]", "ada")
    page.fill("input[name=password]", ADMIN_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r"/$"))


def test_a_tech_changes_an_interval_from_a_phone_and_the_kiosk_sees_it(
    remote, browser, services, eyepi_home, make_window, qtbot, shots
):
    window = make_window(services)
    cameras = window.panel(CamerasPanel)
    qtbot.waitUntil(lambda: "sim-1" in cameras.cards)
    log_in(browser, remote.url)
    assert browser.locator("article.camera").count() == 2
    browser.screenshot(path=shots / "remote-dashboard.png", full_page=True)

    browser.click("article[data-camera=sim-1] >> text=Settings")
    browser.fill("input[name=interval_s]", "45")
    browser.click("button:has-text('Save')")
    browser.wait_for_url(re.compile(r"saved"))
    browser.screenshot(path=shots / "remote-settings.png", full_page=True)

    saved = tomllib.loads((eyepi_home / "station.toml").read_text())
    assert saved["cameras"]["sim-1"]["interval_s"] == 45.0
    assert services.config.camera("sim-1").interval_s == 45.0
    qtbot.mouseClick(cameras.cards["sim-1"].settings_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: cameras.form is not None and cameras.form.isVisible())
    assert cameras.form.interval_edit.text() == "45"


PIXELS = """() => {
    const img = document.getElementById('live');
    if (!img.complete || img.naturalWidth === 0) return null;
    const canvas = document.createElement('canvas');
    canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(img, 0, 0);
    return Array.from(context.getImageData(0, 0, canvas.width, canvas.height).data).join(',');
}"""


def test_the_live_view_page_receives_stream_frames(remote, browser, services, shots):
    log_in(browser, remote.url)
    browser.goto(f"{remote.url}/cameras/sim-1/live")
    browser.wait_for_function(f"({PIXELS})() !== null")
    assert services.streams.viewers == 1
    first = browser.evaluate(PIXELS)
    browser.wait_for_function(f"({PIXELS})() !== {first!r}", timeout=10_000)
    browser.wait_for_function(
        "/\\d/.test(document.getElementById('focus-score').textContent)", timeout=10_000
    )
    browser.screenshot(path=shots / "remote-live.png")
    browser.goto(f"{remote.url}/")
    deadline = time.monotonic() + 10
    while services.streams.viewers and time.monotonic() < deadline:
        browser.wait_for_timeout(100)
    assert services.streams.viewers == 0, "leaving the page ends the stream"
