"""The log page in real Chromium (Debian's, via Playwright) at phone and laptop sizes: a
viewer opens Logs from the nav; lines the running station logs appear on top within a
second; while the viewer reads further down, new lines come in above without moving what
they read (a link counts them); typing a filter narrows what is shown and what comes in,
without Show and without loading the page again (focus and caret stay in the field, the
address follows the filter); a bad regular expression is refused under the field while
typing; "More filters" is folded on a phone; an entry opens to every field; nothing is wider
than the screen. Screenshots go to
``artifacts/screenshots/web/``."""

from __future__ import annotations

import contextlib
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
COUNT = "document.querySelectorAll('#log-entries > li').length"
"""(Inside an arrow function: the page's CSP refuses a bare string to evaluate.)"""
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


def types(page, text) -> None:
    """Key by key into "Message holds", as a person types."""
    page.focus("#f-text")
    page.keyboard.type(text, delay=30)


def still_typing(page, text) -> bool:
    """The page was not loaded again and the caret is at the end of ``text`` in the field."""
    return page.evaluate(
        "([text]) => window.notReloaded === true && document.activeElement.id === 'f-text'"
        " && document.activeElement.value === text"
        " && document.activeElement.selectionStart === text.length",
        [text],
    )


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
        second = page.locator("#log-entries > li").nth(1).bounding_box()
        print(f"\n{size}: the second row ends {second['y'] + second['height']:.0f} px down")
        if viewport == PHONE:  # "More filters" folded: the form leaves room for rows
            assert second["y"] + second["height"] <= viewport["height"]

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

        # typing in "Message holds" narrows the list: no Show, no page load, focus stays
        page.evaluate("window.notReloaded = true")
        more_open = "() => document.getElementById('more-filters').open"
        assert page.evaluate(more_open) is (viewport == LAPTOP), "folded on a phone only"
        types(page, "earlier line 7")
        page.wait_for_function(f"() => {COUNT} === 11", timeout=5000)
        assert page.evaluate(FIRST_MESSAGE).startswith("earlier line 79:")
        assert "text=earlier+line+7" in page.url
        assert still_typing(page, "earlier line 7")

        # a filter narrows what is shown, and what comes in
        if viewport == PHONE:
            page.click("#more-filters > summary")
        page.check("input[name=levels][value=WARNING]")
        page.fill("#f-text", "")
        types(page, f"bed 7 ({size})")
        page.wait_for_function(
            "() => location.search.includes('text=bed+7') && location.search.includes('WARNING')"
        )
        page.wait_for_selector("#no-entries", state="visible", timeout=5000)
        assert page.locator("#log-entries > li").count() == 0
        assert still_typing(page, f"bed 7 ({size})")
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

        # a bad regular expression is refused under the field while typing
        page.check("input[name=regex]")
        page.click("#f-text")
        page.keyboard.press("End")
        types(page, " (unclosed")
        page.wait_for_selector("#text-problem", state="visible", timeout=5000)
        assert "#text-problem" in f"#{page.get_attribute('#f-text', 'aria-describedby')}"
        assert page.is_visible("#logs-refused")
        assert still_typing(page, f"bed 7 ({size}) (unclosed")
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"logs-bad-regex-{size}.png", full_page=False)
        types(page, ")")  # mended: the error goes, and the list is followed again
        page.wait_for_function(f"() => {COUNT} === 0 && !document.getElementById('text-problem')")
        assert page.is_visible("#no-entries") and page.is_visible("#log-follow")
        matching = f"a pattern: bed 7 {size} unclosed"
        say(matching, logging.WARNING)
        page.wait_for_function(f"{FIRST_MESSAGE} === {matching!r}", timeout=5000)
        assert page.get_attribute("#f-text", "aria-invalid") is None
        assert still_typing(page, f"bed 7 ({size}) (unclosed)")
        page.reload()  # the address holds the filter
        assert page.locator("#log-entries > li").count() == 1
        assert page.evaluate(FIRST_MESSAGE) == matching
        assert page.input_value("#f-text") == f"bed 7 ({size}) (unclosed)"
        assert page.is_checked("input[name=regex]")
    finally:
        context.close()


def test_without_javascript_show_filters(live, browser):
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, live.url, "vera", PASSWORDS["vera"])
        page.goto(f"{live.url}/logs")
        page.fill("#f-text", "earlier line 7")
        page.wait_for_timeout(600)  # nothing asks while typing
        assert page.locator("#log-entries > li").count() == 50
        page.click("#show-logs")
        page.wait_for_url(re.compile(r"/logs\?text=earlier\+line\+7&"))
        assert page.locator("#log-entries > li").count() == 11
        assert page.input_value("#f-text") == "earlier line 7"
    finally:
        context.close()


def test_a_late_answer_to_an_older_filter_is_dropped(live, browser):
    """The answer for "earlier line 1" is held back until "earlier line 13" is shown: then
    let through, it changes nothing."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    held = []
    try:
        log_in(page, live.url, "vera", PASSWORDS["vera"])
        page.goto(f"{live.url}/logs")

        def hold(route):
            held.append(route)

        page.route(re.compile(r"/logs\?text=earlier\+line\+1(&|$)"), hold)
        types(page, "earlier line 1")
        page.wait_for_timeout(700)
        assert len(held) == 1, "the older question was asked"
        types(page, "3")
        page.wait_for_function(f"() => {COUNT} === 1", timeout=5000)
        with contextlib.suppress(Exception):  # the page may have aborted it already
            held[0].continue_()
        page.wait_for_timeout(700)
        assert page.locator("#log-entries > li").count() == 1
        assert page.evaluate(FIRST_MESSAGE).startswith("earlier line 13:")
        assert "text=earlier+line+13" in page.url
    finally:
        context.close()
