"""USB export in real Chromium (Debian's, via Playwright) at phone and laptop sizes, to a real
ext4 loop-device stick: an operator opens Storage from the nav, picks the stick's Export…,
ticks a sim camera and a day, starts; the job's page (its script polling the API) goes from
"Waiting to start" to "safe to remove" without a reload, and still says so after one; the
files are on the stick, verified; nothing is wider than the screen. Screenshots go to
``artifacts/screenshots/web/``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eyepi_gui.domain.access import Origin
from eyepi_gui.settings import RemoteSettings
from remote.app import create_app
from remote.server import RemoteServer
from tests.export_world import DAY, ExportWorld, sources
from tests.job_work import COUNT, until_cancelled
from tests.principals import ADMIN
from tests.remote.browser import LAPTOP, PHONE, chromium, log_in, needs_chromium
from tests.remote.conftest import PASSWORDS

pytestmark = [needs_chromium, pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots" / "web"
SLOTS = 3
DONE_WAIT_MS = 60_000


@pytest.fixture
def live(tmp_path, usb_stick):
    """An ExportWorld (a day of sim-1 on DAY, the stick plugged in) served on 127.0.0.1."""
    world = ExportWorld(tmp_path / "home", usb_stick)
    users = world.services.users
    admin = users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    users.add_user(admin, "otto", PASSWORDS["otto"], "operator")
    paths = world.day(SLOTS)
    settings = RemoteSettings(bind="127.0.0.1", port=0)
    server = RemoteServer(create_app(world.services, settings), settings, world.home)
    server.start()
    try:
        yield world, server.url, paths
    finally:
        server.stop()
        world.close()


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def fits(page, viewport) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_an_operator_exports_a_day_and_watches_it_to_safe_to_remove(live, browser, viewport):
    world, url, paths = live
    size = "phone" if viewport == PHONE else "laptop"
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=viewport, has_touch=viewport == PHONE)
    page = context.new_page()
    blockers = []
    try:
        log_in(page, url, "otto", PASSWORDS["otto"])
        page.click("nav >> text=Storage")
        page.wait_for_url(re.compile(r"/storage$"))
        row = page.locator(f"#drive-{world.stick.name}")
        assert "EYEPI TEST" in row.text_content()
        export = row.locator("text=Export…")
        colours = export.evaluate(
            "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
        )
        assert colours[0] != colours[1], "the button's words are readable"
        for button in (export, row.locator("text=Eject"), page.locator("#look-again")):
            assert button.bounding_box()["height"] >= 44
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"storage-{size}.png", full_page=True)

        export.click()
        page.wait_for_url(re.compile(r"/storage/export\?device="))
        assert page.input_value("#f-device") == world.stick.device
        page.check("input[name=cameras][value=sim-1]")
        page.check("input[name=what][value=days]")
        page.fill("#f-first_day", DAY)
        page.fill("#f-last_day", DAY)
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"storage-export-{size}.png", full_page=True)

        # every worker busy: the export waits, so the page is seen before it ends
        blockers = [
            world.services.jobs.start(ADMIN, COUNT, "Hold", until_cancelled()) for _ in range(2)
        ]
        page.click("#start-export")
        page.wait_for_url(re.compile(r"/jobs/\w+$"))
        assert page.text_content("#job-state") == "Waiting to start"
        assert page.is_visible("#cancel-job")
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"job-waiting-{size}.png", full_page=True)

        for blocker in blockers:
            world.services.jobs.cancel(ADMIN, blocker.job_id)
        page.wait_for_function(
            "() => document.getElementById('job-result').textContent.endsWith('safe to remove')",
            timeout=DONE_WAIT_MS,
        )
        assert page.text_content("#job-state") == "Done"
        assert page.text_content("#job-items") == f"{SLOTS} of {SLOTS} items"
        assert not page.is_visible("#cancel-job")
        assert page.get_attribute("#job-bar", "value") == "1000"
        fits(page, viewport)
        page.screenshot(path=SHOTS / f"job-safe-{size}.png", full_page=True)

        page.reload()
        assert page.text_content("#job-result").endswith("safe to remove")
        assert page.text_content("#job-state") == "Done"

        page.click("text=Back to Storage")
        page.wait_for_url(re.compile(r"/storage$"))
        assert "otto (operator, remote" in page.text_content("#history")
        fits(page, viewport)
    finally:
        for blocker in blockers:
            world.services.jobs.cancel(ADMIN, blocker.job_id)
        context.close()
    assert not world.stick.mounts(), "ejected"
    _, files, manifest = world.on_stick()
    world.drives.unmount(world.stick.device)
    expected = sources(world, [p for p in paths if "/sim-1/" in p])
    assert files == expected and manifest == expected
