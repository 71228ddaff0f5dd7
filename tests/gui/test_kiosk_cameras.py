"""The Cameras panel on a real station with simulated cameras."""

from __future__ import annotations

import os
import time
from functools import partial

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.images import ImageFolder
from eyepi_gui.domain.access import Origin
from eyepi_gui.errors import EyepiError
from eyepi_gui.kiosk.formatting import next_capture_text
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.widgets.images import load_scaled
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
SHOT_TIMEOUT_MS = 20_000


def expected_next(services, camera_id):
    enabled = services.config.camera(camera_id).enabled
    slot = services.scheduler.next_capture(camera_id)
    return next_capture_text(enabled, slot, services.config.tz(), time.time())


def test_cards_show_name_source_state_and_counts(panel, services, qtbot):
    card = panel.cards["sim-1"]
    qtbot.waitUntil(lambda: card.next_capture.text() == expected_next(services, "sim-1"))
    assert card.name.text() == "sim-1"
    assert card.source.text() == (
        "sim · eyepi simulated camera · simulated camera 1 · none (simulated)"
    )
    assert card.state.text() == "Ready"
    overview = services.overview.camera("sim-1")
    assert card.counts.text() == (
        f"{overview.expected_so_far} expected / {overview.actual_today} taken"
        f" (planned {overview.planned_today})"
    )


def test_untrusted_names_are_plain_text(panel, services, qtbot):
    services.config.update_camera(ADMIN, "sim-1", {"name": "<b>bold</b> & co"})
    card = panel.cards["sim-1"]
    qtbot.waitUntil(lambda: card.name.text() == "<b>bold</b> & co")
    assert card.name.textFormat() == Qt.TextFormat.PlainText


def test_saving_a_new_interval_moves_the_next_capture(panel, services, qtbot, open_form):
    card = panel.cards["sim-1"]
    before = services.scheduler.next_capture("sim-1")
    qtbot.waitUntil(lambda: card.next_capture.text() == expected_next(services, "sim-1"))
    shown_before = card.next_capture.text()
    form = open_form("sim-1")
    form.interval_edit.clear()
    qtbot.keyClicks(form.interval_edit, "3599")  # coprime with a day: never lands on midnight
    assert form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.card_scroll)
    assert services.config.camera("sim-1").interval_s == 3599
    assert services.scheduler.next_capture("sim-1") != before
    qtbot.waitUntil(lambda: card.next_capture.text() == expected_next(services, "sim-1"))
    assert card.next_capture.text() != shown_before


def test_a_test_shot_shows_the_new_image(panel, services, qtbot, eyepi_home):
    card = panel.cards["sim-1"]
    assert card.image.pixmap().isNull()
    qtbot.mouseClick(card.test_button, LEFT)
    assert not card.test_button.isEnabled()
    assert card.test_button.text() == "Taking…"
    qtbot.waitUntil(lambda: not card.image.pixmap().isNull(), timeout=SHOT_TIMEOUT_MS)
    assert (eyepi_home / "latest" / "sim-1.jpg").exists()
    assert card.test_button.isEnabled()
    assert card.message.text().startswith("Test shot saved: ")
    first = card.image.pixmap().cacheKey()
    qtbot.mouseClick(card.test_button, LEFT)
    qtbot.waitUntil(lambda: card.image.pixmap().cacheKey() != first, timeout=SHOT_TIMEOUT_MS)


@pytest.fixture
def sim_station(eyepi_home):
    """A started station whose simulated backend the test holds, to inject faults."""
    sim = SimBackend(count=2)
    station = Station(eyepi_home, fallback=sim, log_to_console=False, hasher=FakeHasher())
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    station.start()
    yield station, sim
    station.stop()


def test_a_failed_test_shot_says_why(sim_station, make_window, qtbot):
    station, sim = sim_station
    window = make_window(station.services)
    qtbot.waitUntil(lambda: "sim-2" in window.panel(CamerasPanel).cards)
    sim.faults("sim-2").fail_next("shutter jammed")
    card = window.panel(CamerasPanel).cards["sim-2"]
    qtbot.mouseClick(card.test_button, LEFT)
    qtbot.waitUntil(card.message.isVisible, timeout=SHOT_TIMEOUT_MS)
    assert card.message.text() == "Test shot failed: Shutter jammed."
    assert card.test_button.isEnabled()
    window.close()


def test_disable_and_enable(panel, services, qtbot):
    card = panel.cards["sim-2"]
    qtbot.mouseClick(card.enable_button, LEFT)
    qtbot.waitUntil(lambda: card.next_capture.text() == "disabled")
    assert services.config.camera("sim-2").enabled is False
    assert card.enable_button.text() == "Enable"
    qtbot.mouseClick(card.enable_button, LEFT)
    qtbot.waitUntil(lambda: card.enable_button.text() == "Disable")
    assert services.config.camera("sim-2").enabled is True
    qtbot.waitUntil(lambda: card.next_capture.text() == expected_next(services, "sim-2"))


def test_cards_follow_settings_changed_elsewhere(panel, services, qtbot):
    services.config.update_camera(ADMIN, "sim-2", {"name": "Greenhouse row 3"})
    qtbot.waitUntil(lambda: panel.cards["sim-2"].name.text() == "Greenhouse row 3", timeout=2000)


def test_the_station_starts_after_the_window_is_shown(opened_station, make_window, qtbot):
    window = make_window(opened_station.services)
    assert window.panel(CamerasPanel).cards == {}
    assert window.panel(CamerasPanel).empty.isVisible()
    window.start_station(opened_station.start)
    qtbot.waitUntil(lambda: sorted(window.panel(CamerasPanel).cards) == ["sim-1", "sim-2"])
    assert not window.panel(CamerasPanel).empty.isVisible()
    assert not window.banner.isVisible()


def test_a_failed_start_shows_in_the_banner(opened_station, make_window, qtbot):
    def no_cameras():
        raise EyepiError("USB bus is gone")

    window = make_window(opened_station.services)
    window.start_station(no_cameras)
    qtbot.waitUntil(window.banner.isVisible)
    assert "USB bus is gone" in window.banner.text()
    assert window.banner.textFormat() == Qt.TextFormat.PlainText
    assert window.panel(CamerasPanel).empty.text().startswith("No cameras found")


def test_the_cameras_own_settings_show_on_its_page_and_apply_at_once(
    panel, services, qtbot, open_form
):
    form = open_form("sim-1")
    view = panel.device
    qtbot.waitUntil(lambda: "iso" in view.inputs)
    menu = view.inputs["iso"]
    assert [menu.itemText(i) for i in range(menu.count())] == ["100", "200", "400", "800", "1600"]
    menu.textActivated.emit("800")
    qtbot.waitUntil(lambda: view.messages["iso"].text() == "Set to 800.")
    values = {s.name: s.value for s in services.cameras.device_settings("sim-1")}
    assert values["iso"] == "800"
    assert form.isVisible()


def test_rescan_looks_for_cameras_and_comes_back(panel, qtbot):
    assert panel.rescan_button.isEnabled()
    qtbot.mouseClick(panel.rescan_button, LEFT)
    assert panel.rescan_button.text() == "Looking…"
    qtbot.waitUntil(lambda: panel.rescan_button.text() == "Rescan")
    assert panel.rescan_button.isEnabled()
    assert sorted(panel.cards) == ["sim-1", "sim-2"]


def test_unavailable_backends_are_listed_with_their_reason():
    from eyepi_gui.kiosk.panels.cameras import backends_text
    from eyepi_gui.ports import BackendStatus

    text = backends_text(
        [
            BackendStatus("sim", True, "fine"),
            BackendStatus("gphoto2", False, "gphoto2 is not installed"),
        ]
    )
    assert text == "gphoto2: gphoto2 is not installed"


def test_the_keyboard_over_a_settings_page_keeps_the_window_on_an_800x480_screen(
    window, open_form, qtbot
):
    form = open_form("sim-1")
    form.interval_edit.setFocus()
    qtbot.waitUntil(window.keyboard.isVisible)
    qtbot.wait(100)
    assert window.height() == 480
    assert not window.status.isVisible()
    window.keyboard.dismiss()
    qtbot.waitUntil(window.status.isVisible)


def test_a_cameras_settings_problem_shows_on_its_card(panel, services, qtbot):
    from eyepi_gui.domain.camera import CameraInfo

    card = panel.cards["sim-1"]
    services.config.update_camera(ADMIN, "sim-1", {"resolution": "64x48"})
    assert card.settings_problem.isHidden()
    services.config.describe_camera(CameraInfo("sim-1", "sim", "Sim", (32, 24)))
    panel.refresh()
    qtbot.waitUntil(lambda: "at most 32x24 px" in card.settings_problem.text(), timeout=2000)
    assert card.settings_problem.isVisibleTo(card)
    assert card.settings_problem.textFormat() == Qt.TextFormat.PlainText
    assert panel.cards["sim-2"].settings_problem.isHidden()


def test_a_latest_view_that_cannot_be_written_shows_on_the_card_and_the_shot_is_kept(
    panel, qtbot, eyepi_home
):
    card = panel.cards["sim-1"]
    (eyepi_home / "latest" / "sim-1.jpg" / "x").mkdir(parents=True)
    qtbot.mouseClick(card.test_button, LEFT)
    qtbot.waitUntil(card.latest_problem.isVisible, timeout=SHOT_TIMEOUT_MS)
    assert card.message.text().startswith("Test shot saved: ")
    assert "could not write latest/sim-1.jpg: Is a directory" in card.latest_problem.text()
    assert str(eyepi_home) not in card.latest_problem.text()
    assert card.image.pixmap().isNull(), "a directory is never loaded as the image"


def test_the_thumbnail_loader_refuses_a_fifo_without_blocking(tmp_path):
    folder = ImageFolder(tmp_path)
    folder.latest.mkdir()
    os.mkfifo(folder.latest / "sim-1.jpg")
    started = time.monotonic()
    with pytest.raises(EyepiError, match="it is a FIFO"):
        load_scaled(partial(folder.open_latest, "sim-1"), 64, 48)
    assert time.monotonic() - started < 1.0
