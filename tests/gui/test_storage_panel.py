"""The Storage tab through the real kiosk window on real services whose drives are the
in-memory FakeVolumes: the data disk and days until full in words, who sees Export and
Eject, the export sheet refusing bad input under the field it names, eject saying "safe to
remove", labels shown as plain text, and Browse captures opening the capture browser."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.kiosk.panels.storage.disk import NOT_MEASURED
from eyepi_gui.kiosk.panels.storage.export_sheet import NO_CAMERA
from eyepi_gui.kiosk.panels.storage.panel import ACCESS_NOTE, StoragePanel
from eyepi_gui.station import Station
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
KIOSK_OPERATOR = Principal("otto", Role.OPERATOR, Origin.KIOSK)
KIOSK_VIEWER = Principal("vera", Role.VIEWER, Origin.KIOSK)
HTML_LABEL = "<b>STICK</b>"


@pytest.fixture
def drives(tmp_path: Path) -> FakeVolumes:
    made = FakeVolumes(tmp_path / "mnt", udisks=True)
    made.plug(stick("sdb1", label=HTML_LABEL))
    return made


@pytest.fixture
def storage_station(eyepi_home: Path, qapp, drives: FakeVolumes) -> Iterator[Station]:
    station = Station(eyepi_home, log_to_console=False, hasher=FakeHasher(), drives=drives)
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, QUIET)
    services.config.update_camera(ADMIN, "sim-1", {"name": "Bench <i>north</i>"})
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    services.users.add_user(admin, "otto", "operator long secret", "operator")
    services.users.add_user(admin, "vera", "viewer long secret", "viewer")
    station.start()
    yield station
    station.stop()


@pytest.fixture
def open_tab(qtbot, storage_station, make_window):
    """The kiosk logged in as ``user`` on the Storage tab, its first refresh shown."""

    def open_(user: Principal = KIOSK_ADMIN) -> StoragePanel:
        window = make_window(storage_station.services, as_user=user)
        panel = window.show_tab("Storage")
        assert isinstance(panel, StoragePanel)
        qtbot.waitUntil(lambda: panel.view is not None and len(panel.view.cameras) == 2)
        qtbot.waitUntil(lambda: "/dev/sdb1" in panel.drives.rows)
        qtbot.waitUntil(panel.drives.rows["/dev/sdb1"].isVisible)  # shown queued
        return panel

    return open_


def open_sheet(qtbot, panel: StoragePanel):
    qtbot.mouseClick(panel.drives.rows["/dev/sdb1"].export_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.sheet)
    return panel.sheet


def test_a_viewer_sees_disk_drives_and_history_but_no_export_or_eject(open_tab):
    panel = open_tab(KIOSK_VIEWER)
    row = panel.drives.rows["/dev/sdb1"]
    assert row.isVisibleTo(panel)
    assert not row.export_button.isVisibleTo(panel)
    assert not row.eject_button.isVisibleTo(panel)
    assert panel.access_note.text() == ACCESS_NOTE and panel.access_note.isVisibleTo(panel)
    assert " free of " in panel.disk.space.text()
    assert panel.history.empty.isVisibleTo(panel)


def test_an_operator_sees_export_and_eject(open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    row = panel.drives.rows["/dev/sdb1"]
    assert row.export_button.isVisibleTo(panel) and row.eject_button.isVisibleTo(panel)
    assert not panel.access_note.isVisibleTo(panel)


def test_days_until_full_is_said_in_words_before_and_after_an_image(
    qtbot, open_tab, storage_station
):
    panel = open_tab()
    assert panel.disk.until_full.text() == NOT_MEASURED
    name, share = panel.disk.cameras["sim-1"]
    assert name.text() == "Bench <i>north</i>"  # plain text
    assert name.textFormat() == Qt.TextFormat.PlainText
    assert share.text() == "1 image a day; size known after its first scheduled image"
    storage_station.services.cameras.capture("sim-1", time.time()).result(30)  # a slot's image
    panel.refresh()
    qtbot.waitUntil(lambda: panel.disk.until_full.text().startswith("Full in about"))
    assert "alone full in about" in panel.disk.cameras["sim-1"][1].text()


def test_the_stick_label_is_plain_text(open_tab):
    panel = open_tab()
    title = panel.drives.rows["/dev/sdb1"].title
    assert title.text() == HTML_LABEL and title.textFormat() == Qt.TextFormat.PlainText


@pytest.mark.parametrize(
    ("first", "last", "field", "words"),
    [
        ("2025-06-02", "2025-06-01", "last_day", "before the first day"),
        ("2025-13-01", "2025-06-01", "first_day", "no day of the calendar"),
        ("1 June", "2025-06-01", "first_day", "YYYY-MM-DD"),
        ("2025-06-01", "", "last_day", "first and last day"),
    ],
)
def test_a_bad_date_range_is_refused_under_the_field_it_names(
    qtbot, open_tab, first, last, field, words
):
    panel = open_tab(KIOSK_OPERATOR)
    sheet = open_sheet(qtbot, panel)
    sheet.first_edit.setText(first)
    sheet.last_edit.setText(last)
    qtbot.mouseClick(sheet.start_button, LEFT)
    message = sheet.messages[field]
    qtbot.waitUntil(lambda: message.isVisibleTo(sheet))
    assert words in message.text()
    others = [f for f, label in sheet.messages.items() if f != field and label.text()]
    assert others == [], "only the field at fault carries a reason"
    assert sheet.start_button.isEnabled()
    assert panel.started == {}


def test_no_camera_picked_is_refused_before_the_service_is_asked(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    sheet = open_sheet(qtbot, panel)
    for check in sheet.checks.values():
        check.setChecked(False)
    qtbot.mouseClick(sheet.start_button, LEFT)
    assert sheet.messages["cameras"].text() == NO_CAMERA
    assert not panel._runner.is_running("storage-export")


def test_not_yet_exported_hides_the_days(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    sheet = open_sheet(qtbot, panel)
    assert sheet.first_edit.isVisibleTo(sheet)
    qtbot.mouseClick(sheet.not_exported, LEFT)
    assert not sheet.first_edit.isVisibleTo(sheet) and not sheet.last_edit.isVisibleTo(sheet)
    qtbot.mouseClick(sheet.back_button, LEFT)
    assert panel.stack.currentWidget() is panel.overview


def test_eject_runs_as_a_job_and_ends_safe_to_remove(qtbot, open_tab, drives):
    panel = open_tab(KIOSK_OPERATOR)
    drives.mount("/dev/sdb1")
    qtbot.mouseClick(panel.drives.rows["/dev/sdb1"].eject_button, LEFT)
    qtbot.waitUntil(lambda: "safe to remove" in panel.message.text(), timeout=5000)
    assert panel.message.text() == (
        "Eject <b>STICK</b>: <b>STICK</b> unmounted and powered off, safe to remove."
    )
    assert drives.powered_off == ["/dev/sdb1"]
    strip = panel.window().job_strip
    assert strip.isVisible() and strip.title.text() == "Eject <b>STICK</b>"
    qtbot.waitUntil(lambda: "/dev/sdb1" not in panel.drives.rows)  # powered off: gone
    assert panel.drives.empty.isVisibleTo(panel)


def test_browse_captures_opens_the_capture_browser_and_back(qtbot, open_tab):
    panel = open_tab()
    qtbot.mouseClick(panel.browse.buttons["sim-2"], LEFT)
    qtbot.waitUntil(lambda: panel.browser is not None)
    browser = panel.browser
    assert panel.stack.currentWidget() is browser
    qtbot.waitUntil(lambda: browser.status.text() != "Looking for images…")
    qtbot.mouseClick(browser.back_button, LEFT)
    assert panel.stack.currentWidget() is panel.overview


def test_a_viewer_coming_to_the_screen_closes_the_export_sheet(qtbot, open_tab):
    panel = open_tab(KIOSK_OPERATOR)
    open_sheet(qtbot, panel)
    panel.context.session.log_in(KIOSK_VIEWER)
    assert panel.stack.currentWidget() is panel.overview
    assert not panel.drives.rows["/dev/sdb1"].export_button.isVisibleTo(panel)


def test_a_stick_pulled_before_start_is_named_above_the_form(qtbot, open_tab, drives):
    panel = open_tab(KIOSK_OPERATOR)
    sheet = open_sheet(qtbot, panel)
    drives.pull("/dev/sdb1")
    qtbot.mouseClick(sheet.start_button, LEFT)
    qtbot.waitUntil(lambda: sheet.form_message.isVisibleTo(sheet))
    assert sheet.form_message.text() == "No drive /dev/sdb1 (was it pulled out?)."
    assert sheet.start_button.isEnabled() and panel.stack.currentWidget() is sheet


def test_an_export_that_fails_says_why_on_the_tab(qtbot, open_tab, storage_station):
    """The fake stick's mount is a plain folder the real stick adapter refuses: the job
    fails, and the tab says so with the job's own error."""
    panel = open_tab(KIOSK_OPERATOR)
    sheet = open_sheet(qtbot, panel)
    qtbot.mouseClick(sheet.start_button, LEFT)
    qtbot.waitUntil(lambda: panel.message.property("role") == "error", timeout=10000)
    (job,) = [j for j in storage_station.services.jobs.jobs() if j.title.startswith("Export")]
    assert job.state is JobState.FAILED
    assert panel.message.text() == f"Export to <b>STICK</b>: {job.error}."
    assert panel.started == {}


def test_refresh_lists_a_stick_plugged_in_since_and_the_timer_runs_only_while_shown(
    qtbot, open_tab, drives
):
    panel = open_tab()
    assert panel.timer.isActive()
    drives.plug(stick("sdc1", label="SECOND"))
    qtbot.mouseClick(panel.drives.refresh_button, LEFT)
    qtbot.waitUntil(lambda: "/dev/sdc1" in panel.drives.rows)
    assert panel.drives.rows["/dev/sdc1"].title.text() == "SECOND"
    panel.window().show_tab("Cameras")
    assert not panel.timer.isActive()


def test_a_job_that_ended_before_its_start_was_answered_is_still_reported(qtbot, open_tab):
    """The bridge's JobChanged may arrive before the TaskRunner hands back the started job."""
    panel = open_tab(KIOSK_OPERATOR)
    services = panel.context.services
    view = services.export.eject(KIOSK_OPERATOR, "/dev/sdb1")
    qtbot.waitUntil(lambda: view.job_id in panel._ended, timeout=5000)
    panel._job_started(view)
    assert "safe to remove" in panel.message.text() and panel.started == {}


def test_retention_lives_on_the_tab_and_run_now_is_followed_in_the_job_strip(
    qtbot, open_tab, storage_station
):
    storage_station.services.retention.update(ADMIN, {"enabled": True, "keep_free_mib": 600})
    panel = open_tab(KIOSK_ADMIN)
    section = panel.retention
    assert section.parent() is not None and section.isVisibleTo(panel)
    qtbot.waitUntil(lambda: section.enabled.isChecked())
    qtbot.mouseClick(section.run_button, LEFT)
    strip = panel.window().job_strip
    qtbot.waitUntil(lambda: strip.isVisible() and "etention" in strip.title.text(), timeout=5000)
