"""The network page in real Chromium (Debian's, driven by Playwright) against a live station
on a FakeNetwork: at phone and laptop sizes an admin opens it from the nav, sees the address
that reaches the station, the HTML-looking SSIDs as literal text (no dialog, no injected
element), joins a network with the form, watches the countdown run and confirms; nothing
is wider than the screen. Another browser without a login keeps a change with one tap on
the link its maker got (the key from the link's fragment, never in the address bar after).

Screenshots of the page go to ``artifacts/screenshots/web/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.remote.browser import LAPTOP, PHONE, chromium, log_in, needs_chromium
from tests.remote.conftest import HOSTILE_SSIDS, LAB_WIFI, PASSWORDS
from tests.remote.live_server import live_station

pytestmark = needs_chromium

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots" / "web"
SIZES = [("phone", PHONE), ("laptop", LAPTOP)]


@pytest.fixture
def live(tmp_path):
    with live_station(tmp_path / "home") as station:
        yield station


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def fits(page, width):
    """Nothing on the page is wider than the screen (no sideways scrolling)."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    wide = page.evaluate(
        """w => [...document.querySelectorAll('main *')]
            .filter(e => e.getBoundingClientRect().right > w + 0.5)
            .map(e => e.tagName + '#' + e.id + '.' + e.className)""",
        width,
    )
    assert wide == [], wide


@pytest.mark.parametrize(("size", "viewport"), SIZES, ids=[s for s, _ in SIZES])
def test_an_admin_joins_wifi_and_confirms_on_the_page(live, browser, size, viewport):
    context = browser.new_context(viewport=viewport, has_touch=viewport == PHONE)
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        log_in(page, live.url, "ada", PASSWORDS["ada"])
        page.click("nav >> text=Network")
        page.wait_for_url(re.compile(r"/network$"))
        assert page.locator(".reachable .address").first.text_content() == "192.168.1.50"
        for ssid in HOSTILE_SSIDS:
            shown = page.locator(".wifi-row .ssid", has_text=ssid)
            assert shown.count() == 1 and shown.text_content() == ssid
            assert shown.is_visible()
        assert page.locator("main img").count() == 0, "an SSID became an element"
        fits(page, viewport["width"])
        page.screenshot(path=_shot(f"network-admin-{size}"), full_page=True)
        page.screenshot(path=_shot(f"network-admin-{size}-first-screen"))

        lab = page.locator(".wifi-row", has_text=LAB_WIFI[0])
        lab.locator("summary", has_text="Join").click()
        password = lab.locator("input[name=password]")
        assert password.get_attribute("type") == "password"
        assert password.get_attribute("autocomplete") == "new-password"
        password.fill(LAB_WIFI[1])
        lab.screenshot(path=_shot(f"network-join-form-{size}"))
        lab.get_by_role("button", name=f"Join {LAB_WIFI[0]}").click()
        page.wait_for_url(re.compile(r"/network/wifi/join$"))  # the page itself, no redirect
        assert page.locator("#keep-url").is_visible()
        countdown = page.locator("#countdown")
        first = countdown.text_content()
        assert re.fullmatch(r"\d+ s", first), first
        page.wait_for_function(
            "t => document.getElementById('countdown').textContent !== t", arg=first, timeout=3000
        )
        assert LAB_WIFI[1] not in page.content()
        fits(page, viewport["width"])
        page.screenshot(path=_shot(f"network-pending-{size}"), full_page=True)
        page.click("#confirm-change")
        page.wait_for_url(re.compile(r"/network\?notice=kept$"))
        assert page.locator(".notice").text_content() == "Confirmed: the change stays."
        connected = page.locator(".wifi-row", has_text=LAB_WIFI[0])
        assert "connected" in connected.text_content()
        assert live.network.checkpoints() == []
        assert dialogs == [], "an SSID ran a script"
    finally:
        context.close()


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"


@pytest.mark.parametrize(("size", "viewport"), SIZES, ids=[s for s, _ in SIZES])
def test_the_link_keeps_a_change_with_one_tap_without_a_login(live, browser, size, viewport):
    maker = browser.new_context(viewport=viewport, has_touch=viewport == PHONE)
    other = browser.new_context(viewport=viewport, has_touch=viewport == PHONE)
    try:
        page = maker.new_page()
        log_in(page, live.url, "otto", PASSWORDS["otto"])
        page.goto(live.url + "/network")
        lab = page.locator(".wifi-row", has_text=LAB_WIFI[0])
        lab.locator("summary", has_text="Join").click()
        lab.locator("input[name=password]").fill(LAB_WIFI[1])
        lab.get_by_role("button", name=f"Join {LAB_WIFI[0]}").click()
        page.wait_for_url(re.compile(r"/network/wifi/join$"))
        link = page.locator("#keep-url").get_attribute("href")
        path, _, key = link.partition("#")
        assert key and path.startswith(live.url + "/network/confirm/")
        fits(page, viewport["width"])
        page.screenshot(path=_shot(f"network-keep-link-{size}"), full_page=True)

        tap = other.new_page()  # no session: e.g. the admin's browser on the new address
        tap.goto(link)
        tap.wait_for_function("() => location.hash === ''")
        assert key not in tap.url
        assert tap.locator("#key-field").is_hidden()
        fits(tap, viewport["width"])
        tap.screenshot(path=_shot(f"network-keep-page-{size}"), full_page=True)
        tap.click("#keep")
        tap.wait_for_selector("#kept")
        assert live.network.checkpoints() == []
        assert live.services.network.pending() is None
    finally:
        maker.close()
        other.close()
