"""The capture browser in real Chromium (Debian's, via Playwright) at phone and laptop sizes:
a viewer opens Images from the nav, sees the day's thumbnails (decoded by the browser), the
drifted image marked, opens one full size, swipes to the next, and downloads the day's zip;
nothing runs off the side of the screen. Screenshots go to ``artifacts/screenshots/web/``."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest

from tests.browse_day import fill_day
from tests.remote.browser import LAPTOP, PHONE, chromium, log_in, needs_chromium
from tests.remote.conftest import PASSWORDS
from tests.remote.live_server import live_station

pytestmark = needs_chromium

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots" / "web"
COUNT = 30


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_station(tmp_path_factory.mktemp("browse-browser") / "home") as station:
        services = station.services
        lock = {"reference": 40.0, "roi": [0.25, 0.25, 0.5, 0.5], "drift_fraction": 0.5}
        services.config.update_camera(station.admin, "sim-1", {"focus_lock": lock})
        start = datetime(2026, 5, 30, 6, 0, tzinfo=services.config.tz()).timestamp()
        scores = [50.0, 10.0] + [41.0] * (COUNT - 2)
        filled = fill_day(station.station, "sim-1", start, COUNT, scores=scores, size=(640, 480))
        yield station, filled


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_viewer_browses_a_day_and_downloads_it(live, browser, viewport):
    station, day = live
    context = browser.new_context(
        viewport=viewport, has_touch=viewport == PHONE, accept_downloads=True
    )
    page = context.new_page()
    try:
        log_in(page, station.url, "vera", PASSWORDS["vera"])
        page.click("nav >> text=Images")
        page.wait_for_url(re.compile(r"/captures$"))
        assert page.locator("#thumbs li").count() == COUNT
        assert page.locator("#thumbs li.drifted").count() == 1
        first = page.locator("#thumbs img").first
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=first.element_handle()
        )
        assert first.evaluate("img => img.naturalWidth") == 160
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        SHOTS.mkdir(parents=True, exist_ok=True)
        size = "phone" if viewport == PHONE else "laptop"
        page.screenshot(path=SHOTS / f"captures-{size}.png")
        with page.expect_download() as caught:
            page.click("#day-zip")
        data = Path(caught.value.path()).read_bytes()
        assert zipfile.ZipFile(io.BytesIO(data)).namelist() == [p.name for p in day.paths]

        page.locator("#thumbs a").nth(1).click()
        page.wait_for_url(re.compile(rf"/captures/{day.ids[1]}$"))
        assert "focus drifted" in page.text_content("figcaption")
        image = page.locator("#full-image")
        page.wait_for_function(
            "img => img.complete && img.naturalWidth === 640", arg=image.element_handle()
        )
        box = image.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"] + 1
        page.screenshot(path=SHOTS / f"capture-full-{size}.png")
        swipe(page, box)
        page.wait_for_url(re.compile(rf"/captures/{day.ids[2]}$"))
        page.click("#before")
        page.wait_for_url(re.compile(rf"/captures/{day.ids[1]}$"))
    finally:
        context.close()


def swipe(page, box) -> None:
    """A finger (or mouse) drawn from right to left across the image: the later image."""
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.8, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=5)
    page.mouse.up()
