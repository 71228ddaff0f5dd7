"""The Storage tab's retention section (pytest-qt) on a real station: it shows the settings
and last run, an admin saves them (each refusal under its field, nothing saved), previews what
would go and runs it as a job; a viewer sees it all and edits nothing; nothing is clipped or
too small at the kiosk's screen sizes."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QVBoxLayout, QWidget

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.panel import PanelContext
from eyepi_gui.kiosk.panels.storage.retention import RetentionSection
from eyepi_gui.kiosk.session import KioskSession
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.station import Station
from tests.fake_network import FakeNetwork
from tests.fakes import FakeClock, FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, KIOSK_ADMIN
from tests.gui.layout_check import layout_problems
from tests.principals import ADMIN
from tests.retention_world import prove, take

KIOSK_VERA = Principal("vera", Role.VIEWER, Origin.KIOSK)


@pytest.fixture
def opened_station(tmp_path, qapp):
    """A station on a fake clock (images of known ages) with one sim camera; ada (admin)
    and vera (viewer)."""
    clock = FakeClock(datetime(2025, 6, 1, 12, tzinfo=ZoneInfo("Australia/Canberra")).timestamp())
    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=SimBackend(count=1, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        network=FakeNetwork(clock),
    )
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    services.users.add_user(ADMIN, "vera", "viewer long secret", "viewer")
    services.config.update_station(ADMIN, {"timezone": "Australia/Canberra"})
    yield station
    station.stop()


@pytest.fixture
def services(opened_station):
    return opened_station.services


@pytest.fixture
def host(qtbot, themed, services):
    """The section in a scrolling page, as the Storage tab holds it, with ada logged in."""
    runner, bridge, session = TaskRunner(), EventBridge(services.bus), KioskSession()
    session.log_in(KIOSK_ADMIN)
    page = QWidget()
    scroll = QScrollArea(page)
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    section = RetentionSection(PanelContext(services, runner, bridge, session))
    content = QWidget()
    column = QVBoxLayout(content)
    column.addWidget(section)
    column.addStretch(1)
    scroll.setWidget(content)
    QVBoxLayout(page).addWidget(scroll)
    qtbot.addWidget(page)
    page.resize(800, 480)
    page.show()
    qtbot.waitExposed(page)
    page.section, page.session = section, session
    qtbot.waitUntil(lambda: section.summary.text() != "Loading…")
    yield page
    bridge.close()
    runner.close()
    session.stop()


def click(qtbot, button):
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_it_shows_retention_off_and_no_run_yet(host):
    section = host.section
    assert section.summary.text().startswith("Off: the station deletes no image by itself.")
    assert "2,048 MiB free" in section.summary.text() or "2.0 GiB free" in section.summary.text()
    assert section.last_run.text() == "Last run: never."
    assert not section.enabled.isChecked()
    assert (section.keep_free.text(), section.min_age.text()) == ("2048", "7")
    assert section.save_button.isVisible() and section.run_button.isVisible()


@pytest.mark.parametrize(
    ("field", "typed", "says"),
    [
        ("keep_free_mib", "lots", "must be a whole number"),
        ("keep_free_mib", "400", "must be above free_space_floor_mib"),
        ("min_age_days", "-3", "from 0 to 3650"),
    ],
)
def test_a_refused_value_is_named_under_its_field_and_nothing_is_saved(
    qtbot, host, services, opened_station, field, typed, says
):
    section = host.section
    before = (opened_station.home / "station.toml").read_text()
    section.enabled.setChecked(True)
    {"keep_free_mib": section.keep_free, "min_age_days": section.min_age}[field].setText(typed)
    click(qtbot, section.save_button)
    message = section.messages[field]
    qtbot.waitUntil(lambda: message.isVisible())
    assert says in message.text().lower()
    assert message.textFormat() == Qt.TextFormat.PlainText
    assert (opened_station.home / "station.toml").read_text() == before


def test_an_admin_saves_the_settings(qtbot, host, services):
    section = host.section
    section.enabled.setChecked(True)
    section.keep_free.setText("600")
    section.min_age.setText("14")
    click(qtbot, section.save_button)
    qtbot.waitUntil(lambda: section.message.text() == "Saved.")
    retention = services.config.current().retention
    assert (retention.enabled, retention.keep_free_mib, retention.min_age_days) == (True, 600, 14)
    qtbot.waitUntil(lambda: section.summary.text().startswith("On: keeps 600 MiB free"))
    click(qtbot, section.save_button)
    assert section.message.text() == "Nothing changed."


def test_a_viewer_sees_it_all_and_changes_nothing(qtbot, host):
    section = host.section
    host.session.log_in(KIOSK_VERA)
    assert not section.save_button.isVisible() and not section.run_button.isVisible()
    assert section.preview_button.isVisible()
    assert not section.enabled.isEnabled() and section.keep_free.isReadOnly()
    assert "admin" in section.access_note.text().lower()


def test_the_preview_lists_what_would_go_and_deletes_nothing(qtbot, host, services, opened_station):
    services.inventory.start()
    now = opened_station.clock.now()
    old = [take(opened_station, "sim-1", 30 - n, now) for n in range(3)]
    prove(opened_station.home, old[:2])
    services.retention.update(ADMIN, {"keep_free_mib": 10_000_000})  # more than the disk
    section = host.section
    click(qtbot, section.preview_button)
    qtbot.waitUntil(lambda: section.preview_list.isVisible())
    rows = [section.preview_list.item(i).text() for i in range(section.preview_list.count())]
    assert len(rows) == 2 and all(row.startswith("sim-1  ") for row in rows)
    assert Path(old[0].path).relative_to(opened_station.home).as_posix() in rows[0]
    said = section.preview_summary.text()
    assert said.startswith("Would delete 2 images (") and "Not enough:" in said
    assert "1 image" in said and "not exported and verified" in said
    assert all(Path(r.path).exists() for r in old)
    qtbot.wait(50)
    assert layout_problems(host) == []


def test_run_now_starts_a_job_and_shows_the_run_when_it_ends(qtbot, host, services):
    services.retention.update(ADMIN, {"enabled": True, "keep_free_mib": 600})
    section = host.section
    with qtbot.waitSignal(section.job_started, timeout=5000) as started:
        click(qtbot, section.run_button)
    (job_id,) = started.args
    qtbot.waitUntil(lambda: services.jobs.job(job_id).state.finished, timeout=10000)
    assert services.jobs.job(job_id).state is JobState.DONE
    qtbot.waitUntil(lambda: section.last_run.text().startswith("Last run "), timeout=5000)
    assert "by ada (admin" in section.last_run.text()


def test_run_now_while_off_says_so_under_the_switch(qtbot, host):
    section = host.section
    click(qtbot, section.run_button)
    qtbot.waitUntil(lambda: section.messages["enabled"].isVisible())
    assert "retention is off" in section.messages["enabled"].text().lower()


@pytest.mark.parametrize("size", [(800, 480), (660, 420), (480, 800), (360, 640)])
def test_nothing_is_clipped_or_too_small(qtbot, host, size):
    section = host.section
    section.preview_list.addItems(["sim-1  01 Jun 2025 12:00  1.2 MiB  images/sim-1/x.jpg"])
    section.preview_list.show()
    host.resize(*size)
    qtbot.wait(50)
    assert layout_problems(host) == []
    for button in (section.preview_button, section.save_button, section.run_button):
        assert button.height() >= 44
