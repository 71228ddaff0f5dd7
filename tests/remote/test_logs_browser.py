"""The log page in real Chromium (Debian's, via Playwright) at phone and laptop sizes: a
viewer opens Logs from the nav; lines the running station logs appear on top within a
second; while the viewer reads further down, new lines come in above without moving what
they read (a link counts them); a filter narrows what is shown and what comes in; an
entry opens to every field; nothing is wider than the screen. Screenshots go to
``artifacts/screenshots/web/``."""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path

import pytest

from tests.remote.browser import LAPTOP, PHONE, chromium, log_in, needs_chromium
from tests.remote.conftest import PASSWORDS
from tests.remote.live_server import live_station

pytestmark = needs_chromium

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots" / "web"
EARLIER = 80
WITHIN_S = 1.0
MARKUP = '<img src=x onerror="document.title=1">'
_log = logging.getLogger("eyepi.test.browser")
FIRST_MESSAGE = "() => document.querySelector('#log-entries .log-message')?.textContent"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_station(tmp_path_factory.mktemp("logs-browser") / "home") as station:
        for n in range(EARLIER):
            say(f"earlier line {n}: sim-1 captured {n} frames in a row without trouble")
        yield station


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def say(message, level=logging.INFO, **fields):
    """A line through the running station's own logger."""
    _log.log(level, message, extra={"event": "browser_note", "fields": fields})


def fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def appears(page, message) -> float:
    """Seconds from logging ``message`` until it is the page's top row."""
    began = time.monotonic()
    say(message, camera="sim-1")
    page.wait_for_function(f"{FIRST_MESSAGE} === {message!r}", timeout=5000)
    return time.monotonic() - began


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_viewer_follows_the_log_live_and_filters_it(live, browser, viewport):
    size = "phone" if viewport == PHONE else "laptop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, has_touch=viewport == PHONE)
    page = context.new_page()
    try:
        log_in(page, live.url, "vera", PASSWORDS["vera"])
        page.click("nav >> text=Logs")
        page.wait_for_url(re.compile(r"/logs$"))
        assert page.locator("#log-entries > li").count() == 50
        fits(page, viewport)

        took = [appears(page, f"{size}: appended {n}") for n in range(3)]
        print(f"\n{size}: logged lines on top after {', '.join(f'{t:.2f}' for t in took)} s")
        assert max(took) < WITHIN_S, took
        appears(page, MARKUP)  # text from the log goes in as text
        assert page.locator("#log-entries img").count() == 0
        appears(page, f"{size}: after the markup")
        assert page.get_attribute("#log-entries > li", "class") == "log-entry level-info"
        assert page.text_content("#log-entries .log-camera") == "sim-1"
        page.screenshot(path=SHOTS / f"logs-{size}.png", full_page=False)

        # reading further down: new lines come in above, what is read stays put
        reading = page.locator("#log-entries > li").nth(30).element_handle()
        reading.scroll_into_view_if_needed()
        page.evaluate("window.scrollBy(0, 40)")
        before = reading.bounding_box()["y"]
        for n in range(3):
            say(f"{size}: while reading {n}")
        page.wait_for_function(
            "() => document.getElementById('log-new-link').textContent === '3 new entries above'",
            timeout=5000,
        )
        assert abs(reading.bounding_box()["y"] - before) <= 2
        assert page.evaluate(FIRST_MESSAGE) == f"{size}: while reading 2"
        assert page.is_visible("#log-new")
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"logs-reading-{size}.png", full_page=False)
        page.click("#log-new-link")
        page.wait_for_function("() => window.scrollY === 0")

        # a filter narrows what is shown, and what comes in
        page.check("input[name=levels][value=WARNING]")
        page.fill("#f-text", f"bed 7 ({size})")
        page.click("#show-logs")
        page.wait_for_url(re.compile(r"/logs\?.*text=bed\+7"))
        assert page.locator("#log-entries > li").count() == 0
        assert page.is_visible("#no-entries")
        say(f"focus drift on bed 7 ({size})", logging.WARNING)
        say(f"bed 7 ({size}) is fine", logging.INFO)
        say(f"focus drift on bed 8 ({size})", logging.WARNING)
        page.wait_for_function(
            f"{FIRST_MESSAGE} === {f'focus drift on bed 7 ({size})'!r}", timeout=5000
        )
        time.sleep(0.8)  # a poll or two more: nothing else passes the filter
        assert page.locator("#log-entries > li").count() == 1
        assert not page.is_visible("#no-entries")

        # an entry opens to every field
        page.click("#log-entries > li summary")
        fields = page.text_content("#log-entries > li pre.log-fields")
        assert '"level": "WARNING"' in fields and '"logger": "eyepi.test.browser"' in fields
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"logs-filtered-{size}.png", full_page=True)
    finally:
        context.close()
