"""Remote focus in a real browser (Debian's Chromium via Playwright) against a real station
served by waitress: an operator focuses a simulated camera using only the live page (clicks
and the score it shows), draws and taps the focus region, locks focus; a viewer sees the
controls off and why. The sim's hidden best focus is read only to check the result.

Screenshots of the page at phone and laptop sizes go to ``artifacts/screenshots/web/``."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from eyepi_gui.adapters.cameras.sim import FOCUS_STEPS, best_focus
from eyepi_gui.domain.camera import FocusStep
from eyepi_gui.domain.roi import Roi
from tests.remote.browser import LAPTOP, PHONE, chromium, log_in, needs_chromium
from tests.remote.conftest import PASSWORDS
from tests.remote.live_server import live_station
from tests.waiting import eventually

pytestmark = needs_chromium

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "artifacts" / "screenshots" / "web"
FINE = FOCUS_STEPS[FocusStep.FINE]
LIVE = "/cameras/sim-1/live"
SETTLED = """() => {
    const shown = document.getElementById('focus-score');
    return !shown.hasAttribute('data-pending') && /^\\d+\\.\\d$/.test(shown.textContent);
}"""
"""The score shown is a number from a frame grabbed after the last change."""
CONTROLS = "#focus button"
TOUCH_PX = 44


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_station(tmp_path_factory.mktemp("focus-browser") / "home") as station:
        yield station


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


@pytest.fixture
def open_live_page(live, browser):
    """Opens the live page of sim-1 as a user, in a fresh browser context of ``viewport``."""
    contexts = []

    def open_page(username, viewport=PHONE):
        context = browser.new_context(viewport=viewport, has_touch=viewport == PHONE)
        contexts.append(context)
        page = context.new_page()
        log_in(page, live.url, username, PASSWORDS[username])
        page.goto(live.url + LIVE)
        return page

    yield open_page
    for context in contexts:
        context.close()


def lens(live) -> float:
    """Where the sim's lens is: for checking only, never for deciding what to press."""
    return live.services.cameras.run("sim-1", lambda device: device.controls().focus)


class Operator:
    """An operator at the live page: presses its buttons and reads the score it shows."""

    def __init__(self, page):
        self.page = page

    def score(self) -> float:
        self.page.wait_for_function(SETTLED, timeout=15_000)
        return float(self.page.locator("#focus-score").text_content())

    def press(self, direction: str, step: str) -> float:
        self.page.get_by_role("button", name=f"{direction.capitalize()}, {step} step").click()
        return self.score()

    def sweep_far(self, step: str, most: int) -> list[float]:
        """Far steps from here until the picture got sharp and went soft again (or ``most``
        presses); the scores by presses made (0: where it started)."""
        scores = [self.score()]
        while len(scores) <= most:
            scores.append(self.press("far", step))
            peak = max(scores)
            if peak > 2 * min(scores) and scores[-1] < peak / 2:
                break
        return scores

    def back(self, step: str, presses: int) -> None:
        for _ in range(presses):
            self.press("near", step)


def middle_of_sharpest(scores: list[float]) -> int:
    """Where the sharp top of a fine sweep is: near the best focus the score is flat within
    noise over a few steps, so the operator stops in the middle of that top."""
    peak = max(scores)
    top = [index for index, score in enumerate(scores) if score >= 0.9 * peak]
    middle = (len(top) - 1) / 2  # of an even count, the sharper of the two middle ones
    return max({top[math.floor(middle)], top[math.ceil(middle)]}, key=scores.__getitem__)


def test_an_operator_finds_the_best_focus_using_only_the_page(live, open_live_page):
    operator = Operator(open_live_page("otto"))
    for _ in range(6):  # to the near end of the lens, whatever it was set to
        operator.press("near", "coarse")
    coarse = operator.sweep_far("medium", most=25)
    operator.back("medium", len(coarse) - coarse.index(max(coarse)))  # one before the sharpest
    fine = operator.sweep_far("fine", most=15)
    operator.back("fine", len(fine) - 1 - middle_of_sharpest(fine))
    final = operator.score()

    assert final >= 0.9 * max(fine), "the page shows the sharp score where the operator stopped"
    assert abs(lens(live) - best_focus(0, "sim-1")) <= FINE + 1e-9
    trend = operator.page.locator("#focus-line").get_attribute("points")
    assert len(trend.split()) >= 20, "the last minute is drawn"
    assert operator.page.locator("#focus-best").text_content().startswith("Best in the last minute")


def test_autofocus_from_the_page(live, open_live_page):
    page = open_live_page("otto", LAPTOP)
    operator = Operator(page)
    operator.press("far", "coarse")
    soft = operator.press("far", "coarse")
    page.get_by_role("button", name="Autofocus").click()
    sharp = operator.score()
    assert page.locator("#focus-status").text_content() == "Autofocus done."
    assert sharp > 5 * soft
    assert abs(lens(live) - best_focus(0, "sim-1")) <= FINE


def test_lock_and_unlock_from_the_page(live, open_live_page):
    page = open_live_page("otto")
    page.get_by_role("button", name="Lock focus").click()
    state = page.locator("#focus-lock-state")
    state.filter(has_text="Locked at score").wait_for(timeout=15_000)
    lock = live.services.config.camera("sim-1").focus_lock
    assert lock is not None and f"{lock.reference:.1f}" in state.text_content()
    assert page.locator("#focus-status").text_content().startswith("Focus locked at score")
    page.get_by_role("button", name="Unlock focus").click()
    state.filter(has_text="Not locked").wait_for(timeout=15_000)
    assert live.services.config.camera("sim-1").focus_lock is None


@pytest.fixture
def centred(live):
    """The focus region starts and ends as the station's default."""
    live.services.focus.set_roi(live.admin, "sim-1", Roi())
    yield
    live.services.focus.set_roi(live.admin, "sim-1", Roi())


def region_becomes(live, expected):
    """Waits until the station measures over ``expected`` (left, top, width, height)."""

    def there():
        return live.services.focus.roi("sim-1").as_tuple() == pytest.approx(expected, abs=0.01)

    eventually(there)


@pytest.mark.usefixtures("centred")
def test_the_region_is_drawn_with_a_mouse_and_moved_with_a_tap(live, open_live_page):
    page = open_live_page("otto", LAPTOP)
    Operator(page).score()
    box = page.locator("#live").bounding_box()

    def point(fx, fy):
        return box["x"] + fx * box["width"], box["y"] + fy * box["height"]

    page.mouse.move(*point(0.2, 0.3))
    page.mouse.down()
    page.mouse.move(*point(0.5, 0.5), steps=5)
    page.mouse.move(*point(0.7, 0.6), steps=5)
    page.mouse.up()
    region_becomes(live, (0.2, 0.3, 0.5, 0.3))
    Operator(page).score()
    shown = page.locator("#focus-roi").bounding_box()
    assert shown["x"] == pytest.approx(box["x"] + 0.2 * box["width"], abs=3)
    assert shown["width"] == pytest.approx(0.5 * box["width"], abs=3)

    page.mouse.click(*point(0.02, 0.95))  # a tap moves the region there, inside the frame
    region_becomes(live, (0.0, 0.7, 0.5, 0.3))
    page.get_by_role("button", name="Centre the region").click()
    region_becomes(live, Roi().as_tuple())


@pytest.mark.usefixtures("centred")
def test_a_tap_on_a_phone_moves_the_region(live, open_live_page):
    page = open_live_page("otto", PHONE)
    Operator(page).score()
    box = page.locator("#live").bounding_box()
    page.touchscreen.tap(box["x"] + 0.8 * box["width"], box["y"] + 0.5 * box["height"])
    third = 1 / 3
    region_becomes(live, (0.8 - third / 2, 0.5 - third / 2, third, third))


def test_a_refusal_is_shown_under_the_controls_in_the_apis_words(live, open_live_page):
    page = open_live_page("otto")
    Operator(page).score()
    before = lens(live)
    page.evaluate("document.querySelector('meta[name=csrf-token]').content = 'forged'")
    page.get_by_role("button", name="Far, coarse step").click()
    error = page.locator("#focus-error")
    error.wait_for(state="visible", timeout=10_000)
    assert error.text_content() == "Missing or wrong CSRF token: reload the page and try again."
    assert lens(live) == before
    assert page.get_by_role("button", name="Far, coarse step").is_enabled()


def test_a_viewer_sees_the_controls_off_and_why(live, open_live_page):
    page = open_live_page("vera")
    Operator(page).score()  # the score is for everyone
    buttons = page.locator(CONTROLS)
    assert buttons.count() == 9
    for index in range(buttons.count()):
        assert buttons.nth(index).is_disabled(), buttons.nth(index).text_content()
    reason = page.locator("#focus-refusal").text_content()
    assert reason == "A viewer may not focus cameras; log in as an operator or admin."
    box = page.locator("#live").bounding_box()
    page.mouse.click(box["x"] + 10, box["y"] + 10)
    page.wait_for_timeout(500)
    assert live.services.focus.roi("sim-1") == Roi(), "a viewer's tap sets no region"
    page.screenshot(path=_shot("live-viewer-phone"), full_page=True)


@pytest.mark.parametrize(("size", "viewport"), [("phone", PHONE), ("laptop", LAPTOP)])
def test_the_controls_are_touch_sized_and_not_clipped(live, open_live_page, size, viewport):
    page = open_live_page("otto", viewport)
    Operator(page).score()
    page.wait_for_function("document.getElementById('focus-line').getAttribute('points') !== ''")
    page.screenshot(path=_shot(f"live-operator-{size}"), full_page=True)
    page.screenshot(path=_shot(f"live-operator-{size}-first-screen"))
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    buttons = page.locator(CONTROLS)
    for index in range(buttons.count()):
        button = buttons.nth(index)
        box = button.bounding_box()
        name = button.get_attribute("aria-label") or button.text_content()
        assert box["width"] >= TOUCH_PX and box["height"] >= TOUCH_PX, (name, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], (name, box)
        fits = button.evaluate(
            "b => b.scrollWidth <= b.clientWidth && b.scrollHeight <= b.clientHeight"
        )
        assert fits, f"the text of {name!r} is cut"


def _shot(name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
