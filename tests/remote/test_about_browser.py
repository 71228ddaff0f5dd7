""" "This station" in real Chromium (Debian's, driven by Playwright) over HTTPS: a viewer opens
the page from the nav at phone and laptop sizes, and the QR code in the screenshot decodes to
the URL the page shows, which is the endpoint's own."""

import re
import shutil
from pathlib import Path

import cv2
import numpy as np
import pytest

from tests.remote.conftest import PASSWORDS
from tests.remote.live_server import live_station

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
FLAGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/bootstrap does it)",
)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_station(tmp_path_factory.mktemp("home"), tls=True) as live:
        live.services.endpoint.started(live.server.url, live.server.fingerprint)
        yield live


@pytest.fixture(scope="module")
def chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield browser
        browser.close()


def decode_png(png: bytes) -> str:
    image = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_GRAYSCALE)
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert points is not None, "no QR code in the screenshot"
    return text


@pytest.mark.parametrize("size", SIZES)
def test_a_viewer_scans_the_code_the_page_shows(live, chromium, size, tmp_path):
    width, height = SIZES[size]
    context = chromium.new_context(
        viewport={"width": width, "height": height}, ignore_https_errors=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live.url}/login")
        page.fill("input[name=username]", "vera")
        page.fill("input[name=password]", PASSWORDS["vera"])
        page.click("button[type=submit]")
        page.wait_for_url(re.compile(r"/$"))
        page.click("nav >> text=This station")
        page.wait_for_url(re.compile(r"/station/about$"))
        shown = page.text_content("#primary-url")
        assert shown == live.url
        assert page.text_content("#fingerprint") == live.server.fingerprint
        box = page.locator("#qr svg").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, "the code fits the screen"
        png = page.screenshot(path=tmp_path / f"about-{size}.png", full_page=True)
        assert decode_png(png) == shown
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert "eyepi " in page.text_content("footer")
        first = page.text_content("#clock")
        page.wait_for_function(
            "t => document.getElementById('clock').textContent !== t", arg=first, timeout=3000
        )
    finally:
        context.close()
