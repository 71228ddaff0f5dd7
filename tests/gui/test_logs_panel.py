"""The Logs tab through the real kiosk window on a running station that logs through its
own logger (``logs/eyepi.jsonl``): rows newest first; filters applied as you type agree
with the log service; a bad regular expression named under the text field; lines the
station appends show within a second, on top when the list is at its top, behind a pill
without moving a scrolled list; an entry's details and its camera link; who sees the
support bundle button, and the bundle started as a job the progress strip follows."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.kiosk.panels.cameras import CamerasPanel
from eyepi_gui.kiosk.panels.logs.panel import LogsPanel
from eyepi_gui.station import Station
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
KIOSK_OPERATOR = Principal("otto", Role.OPERATOR, Origin.KIOSK)
KIOSK_VIEWER = Principal("vera", Role.VIEWER, Origin.KIOSK)
VIEWER = Principal("vera", Role.VIEWER, Origin.CLI)
_log = logging.getLogger("eyepi.test")


def say(n: int, text: str = "line", level: int = logging.INFO, camera: str = "sim-1") -> None:
    """Log line ``n`` through the station's logger, as the station's own code does."""
    extra = {"event": "probe", "fields": {"camera": camera, "n": n}}
    _log.log(level, "%s %d <b>bold</b>", text, n, extra=extra)


@pytest.fixture
def log_station(eyepi_home: Path, qapp, tmp_path: Path) -> Iterator[Station]:
    drives = FakeVolumes(tmp_path / "mnt", udisks=True)
    drives.plug(stick("sdb1", label="<b>STICK</b>"))
    station = Station(eyepi_home, log_to_console=False, hasher=FakeHasher(), drives=drives)
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, QUIET)
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    services.users.add_user(admin, "otto", "operator long secret", "operator")
    services.users.add_user(admin, "vera", "viewer long secret", "viewer")
    station.start()
    for n in range(300):
        say(n, "capture done" if n % 3 else "gap warning", logging.INFO if n % 3 else 30)
    yield station
    station.stop()


@pytest.fixture
def open_tab(qtbot, log_station, make_window):
    def open_(user: Principal = KIOSK_ADMIN) -> LogsPanel:
        window = make_window(log_station.services, as_user=user)
        panel = window.show_tab("Logs")
        assert isinstance(panel, LogsPanel)
        qtbot.waitUntil(lambda: panel.model.rowCount() >= 100, timeout=5000)
        return panel

    return open_


def messages(panel: LogsPanel, count: int) -> list[str]:
    return [e.message for e in panel.model.entries[:count]]


def probes(panel: LogsPanel, count: int) -> list[str]:
    """The newest lines the test logged (the station logs too, e.g. its hotspot fallback)."""
    return [e.message for e in panel.model.entries if e.event == "probe"][:count]


def number(entry) -> int:
    """The ``n`` a test line carries (-1 for the station's own lines)."""
    return entry.fields.get("fields", {}).get("n", -1)


def first_probe(panel: LogsPanel) -> int:
    return next(row for row, e in enumerate(panel.model.entries) if e.event == "probe")


def service_messages(station: Station, values: dict, count: int) -> list[str]:
    logs = station.services.logs
    page = logs.page(VIEWER, logs.query({**values, "limit": count}))
    return [e.message for e in page.entries]


def test_the_tab_opens_at_the_newest_entry(open_tab, log_station):
    panel = open_tab()
    assert probes(panel, 1) == ["capture done 299 <b>bold</b>"]
    assert messages(panel, 50) == service_messages(log_station, {}, 50)
    assert (
        panel.model.index(first_probe(panel)).data().endswith("sim-1  capture done 299 <b>bold</b>")
    )


def test_filters_apply_as_you_type_and_agree_with_the_service(qtbot, open_tab, log_station):
    panel = open_tab()
    qtbot.keyClicks(panel.filters.text_edit, "GAP")
    values = {"text": "GAP"}
    qtbot.waitUntil(lambda: messages(panel, 100) == service_messages(log_station, values, 100))
    assert panel.model.rowCount() == 100 and all("gap" in m for m in messages(panel, 100))
    panel.filters.options_button.click()
    panel.filters.level_buttons["INFO"].click()
    values = {"text": "GAP", "levels": ["INFO"]}
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0 and "No entries" in panel.status.text())
    panel.filters.text_edit.clear()
    qtbot.keyClicks(panel.filters.text_edit, r"done 2\d7 ")
    panel.filters.regex_button.click()
    values = {"text": r"done 2\d7 ", "regex": True, "levels": ["INFO"]}
    expected = service_messages(log_station, values, 100)
    assert len(expected) == 6  # 217, 227, 247, 257, 277, 287: the others are gaps (n % 3 == 0)
    qtbot.waitUntil(lambda: bool(panel.model.entries) and messages(panel, 100) == expected)


def test_typing_fast_reads_once_for_the_last_text(qtbot, open_tab):
    panel = open_tab()
    reads = []
    panel._runner.finished.connect(lambda key, _r: key == "logs-open" and reads.append(key))
    qtbot.keyClicks(panel.filters.text_edit, "capture done 29")
    qtbot.waitUntil(lambda: probes(panel, 1) == ["capture done 299 <b>bold</b>"])
    qtbot.waitUntil(lambda: len(reads) == 1)
    qtbot.wait(400)
    assert len(reads) == 1, "one read after the typing stopped, not one per key"


@pytest.mark.parametrize(
    ("text", "words"),
    [("(unclosed", "not a valid regular expression"), ("a{2,1}", "not a valid regular")],
)
def test_a_bad_regular_expression_is_named_under_the_text(qtbot, open_tab, text, words):
    panel = open_tab()
    panel.filters.regex_button.click()
    qtbot.keyClicks(panel.filters.text_edit, text)
    problem = panel.filters.text_problem
    qtbot.waitUntil(problem.isVisible)
    assert words in problem.text().lower()
    assert panel.model.rowCount() >= 100, "the rows read before stay"
    panel.filters.text_edit.clear()
    qtbot.waitUntil(lambda: not problem.isVisible())


def test_a_bad_time_is_named_under_the_time_fields(qtbot, open_tab):
    panel = open_tab()
    panel.filters.options_button.click()
    qtbot.keyClicks(panel.filters.since_edit, "yesterday")
    qtbot.waitUntil(panel.filters.time_problem.isVisible)
    assert panel.filters.time_problem.text().startswith("From: Not a time")


def test_lines_the_station_logs_show_on_top_within_a_second(qtbot, open_tab):
    panel = open_tab()
    say(1000, "fresh")
    qtbot.waitUntil(lambda: probes(panel, 1) == ["fresh 1000 <b>bold</b>"], timeout=1000)
    assert not panel.pill.isVisible()


def test_a_scrolled_list_stays_put_and_a_pill_offers_the_new_lines(qtbot, open_tab):
    panel = open_tab()
    bar = panel.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 2000)
    bar.setValue(1500)
    top = panel.list.indexAt(QPoint(5, 5)).data()
    for n in range(1000, 1003):
        say(n, "fresh")

    def waiting() -> list[str]:
        return [e.message for c in panel.feed.pending for e in c.entries if e.event == "probe"]

    qtbot.waitUntil(lambda: len(waiting()) == 3, timeout=1000)
    assert panel.pill.isVisible()
    assert panel.pill.text() == f"{sum(len(c.entries) for c in panel.feed.pending)} new — show"
    assert bar.value() == 1500 and panel.list.indexAt(QPoint(5, 5)).data() == top
    qtbot.mouseClick(panel.pill, LEFT)
    assert probes(panel, 3) == [f"fresh {n} <b>bold</b>" for n in (1002, 1001, 1000)]
    assert bar.value() == 0 and not panel.pill.isVisible()


def test_scrolling_to_the_end_reads_older_entries(qtbot, open_tab, log_station):
    panel = open_tab()
    bar = panel.list.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 200)
    every = service_messages(log_station, {}, 500)
    assert messages(panel, 200) == every[:200]


def test_an_entry_shows_every_field_and_links_to_its_camera(qtbot, open_tab):
    panel = open_tab()
    index = panel.model.index(first_probe(panel))
    qtbot.mouseClick(panel.list.viewport(), LEFT, pos=panel.list.visualRect(index).center())
    assert panel.stack.currentWidget() is panel.details
    text = panel.details.text.toPlainText()
    for words in (
        "message: capture done 299 <b>bold</b>",
        "event: probe",
        "camera: sim-1",
        "n: 299",
    ):
        assert words in text
    assert panel.details.camera_button.isVisible()
    qtbot.mouseClick(panel.details.camera_button, LEFT)
    window = panel.window()
    qtbot.waitUntil(lambda: window.tabs.currentIndex() == 0)
    assert isinstance(window.tabs.currentWidget().built, CamerasPanel)


def test_a_viewer_sees_no_bundle_button(open_tab):
    panel = open_tab(KIOSK_VIEWER)
    assert not panel.bundle_button.isVisibleTo(panel)


def test_an_operator_writes_a_bundle_to_a_stick_as_a_job(qtbot, open_tab, log_station):
    panel = open_tab(KIOSK_OPERATOR)
    assert panel.bundle_button.isVisible()
    qtbot.mouseClick(panel.bundle_button, LEFT)
    qtbot.waitUntil(lambda: "/dev/sdb1" in panel.sheet.buttons)
    button = panel.sheet.buttons["/dev/sdb1"]
    assert button.text() == "Write to <b>STICK</b>"
    qtbot.mouseClick(button, LEFT)
    qtbot.waitUntil(lambda: "started" in panel.message.text())
    assert panel.message.text().startswith("Support bundle to <b>STICK</b>")
    strip = panel.window().job_strip
    qtbot.waitUntil(lambda: strip.view is not None and "Support bundle" in strip.view.title)


def test_a_jump_before_the_first_entry_shows_the_oldest_and_the_pill_goes_back(qtbot, open_tab):
    panel = open_tab()
    panel.filters.options_button.click()
    qtbot.keyClicks(panel.filters.jump_edit, "2000-01-01 00:00")
    qtbot.mouseClick(panel.filters.jump_button, LEFT)
    qtbot.waitUntil(lambda: panel.feed.detached and panel.model.older_cursor is None)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 100)  # the page above the jump
    assert panel.model.entries[-1].event == "station_opened", "the oldest entries"
    assert panel.stack.currentWidget() is panel.options
    qtbot.mouseClick(panel.filters.done_button, LEFT)
    assert panel.stack.currentWidget() is panel.list_page
    assert panel.pill.isVisible() and panel.pill.text() == "Show newest"
    say(2000, "while away")
    qtbot.wait(700)
    assert "while away 2000 <b>bold</b>" not in probes(panel, 1000), "not live: not followed"
    qtbot.mouseClick(panel.pill, LEFT)
    qtbot.waitUntil(lambda: probes(panel, 1) == ["while away 2000 <b>bold</b>"])
    assert not panel.pill.isVisible()


def test_a_jump_to_no_time_is_named_under_its_field(qtbot, open_tab):
    panel = open_tab()
    panel.filters.options_button.click()
    qtbot.keyClicks(panel.filters.jump_edit, "soon")
    qtbot.mouseClick(panel.filters.jump_button, LEFT)
    qtbot.waitUntil(panel.filters.jump_problem.isVisible)
    assert panel.filters.jump_problem.text().startswith("Not a time: 'soon'")


START_UP = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.station import Station
from tests.fakes import FakeHasher

app = QApplication([])
station = Station(Path(sys.argv[1]), log_to_console=False, hasher=FakeHasher())
window = MainWindow(station.open())
window.resize(800, 480)
window.show()
end = time.monotonic() + 0.5
while time.monotonic() < end:  # the first paint, and the tabs added after it
    app.processEvents()
watched = ("eyepi_gui.kiosk.panels.logs.panel", "eyepi_gui.services.logs", "regex")
print(sorted(name for name in watched if name in sys.modules))
window.show_tab("Logs")
print(sorted(name for name in watched if name in sys.modules))
window.close()
station.stop()
"""


def test_the_logs_tab_and_the_log_engine_load_only_when_the_tab_is_shown(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", START_UP, str(tmp_path / "home")],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    )
    before, after = done.stdout.strip().splitlines()[-2:]
    assert before == "[]"
    assert after == "['eyepi_gui.kiosk.panels.logs.panel', 'regex']"  # the service: on first read


def test_a_camera_link_scrolls_the_camera_cards_to_its_card(qtbot, log_station, make_window):
    window = make_window(log_station.services, 480, 800)
    cameras = window.panel(CamerasPanel)
    window.show_tab("Cameras")
    qtbot.waitUntil(lambda: sorted(cameras.cards) == list(CAMERA_IDS))
    bar, viewport = cameras.card_scroll.verticalScrollBar(), cameras.card_scroll.viewport()
    qtbot.waitUntil(lambda: bar.maximum() > 100)
    bar.setValue(bar.maximum())  # the first card's top out of view
    card = cameras.cards["sim-1"]

    def card_top_in_view() -> bool:
        return viewport.rect().contains(card.mapTo(viewport, QPoint(0, 0)))

    assert not card_top_in_view()
    panel = window.show_tab("Logs")
    qtbot.waitUntil(lambda: probes(panel, 1) == ["capture done 299 <b>bold</b>"])
    panel.open_entry(panel.model.index(first_probe(panel)))
    qtbot.mouseClick(panel.details.camera_button, LEFT)
    assert window.tabs.currentWidget().built is cameras
    qtbot.waitUntil(card_top_in_view)


def test_after_a_jump_the_newer_entries_are_read_above_by_cursor(qtbot, open_tab):
    from datetime import UTC, datetime

    panel = open_tab()
    bar = panel.list.verticalScrollBar()
    bar.setValue(bar.maximum())
    qtbot.waitUntil(lambda: panel.model.rowCount() >= 200)
    middle = next(e for e in panel.model.entries if number(e) == 150)
    panel.jump(datetime.fromtimestamp(middle.time, UTC).isoformat())
    runner = panel.context.runner
    qtbot.waitUntil(lambda: not runner.is_running("logs-jump"))
    qtbot.waitUntil(lambda: not runner.is_running("logs-newer"))  # the page above the jump
    assert panel.model.entries[0].time >= middle.time
    top = panel.model.entry(panel.list.indexAt(QPoint(5, 5)).row())
    assert top is not None and number(top) < 150, "the jump's time stays on show"
    assert panel.feed.detached, "a page of 100 above the jump does not reach the newest yet"
    for _page in range(5):
        if not panel.feed.detached:
            break
        rows = panel.model.rowCount()
        bar.setValue(0)  # the tech scrolls up to the top row held
        shown = panel.list.indexAt(QPoint(5, 5)).data()
        qtbot.waitUntil(lambda r=rows: panel.model.rowCount() > r)
        assert panel.list.indexAt(QPoint(5, 5)).data() == shown, "the rows on show stay put"
    assert not panel.feed.detached and not panel.pill.isVisible()
    assert probes(panel, 1) == ["capture done 299 <b>bold</b>"]
    say(3000, "after")
    bar.setValue(0)
    qtbot.waitUntil(lambda: probes(panel, 1) == ["after 3000 <b>bold</b>"], timeout=1000)


def test_follow_goes_on_across_a_rotation_of_the_log(qtbot, open_tab):
    from logging.handlers import RotatingFileHandler

    panel = open_tab()
    handler = next(
        h for h in logging.getLogger("eyepi").handlers if isinstance(h, RotatingFileHandler)
    )
    say(4000, "before rotation")
    qtbot.waitUntil(lambda: probes(panel, 1) == ["before rotation 4000 <b>bold</b>"], timeout=1000)
    handler.doRollover()  # eyepi.jsonl becomes eyepi.jsonl.1, as at 5 MiB
    say(4001, "after rotation")
    qtbot.waitUntil(lambda: probes(panel, 1) == ["after rotation 4001 <b>bold</b>"], timeout=1000)
    assert probes(panel, 2)[1] == "before rotation 4000 <b>bold</b>"


def test_reading_far_down_drops_the_newest_rows_and_reads_them_back(qtbot, open_tab, monkeypatch):
    from eyepi_gui.kiosk.panels.logs import model as model_module

    monkeypatch.setattr(model_module, "HELD_MAX", 250)
    panel = open_tab()
    bar = panel.list.verticalScrollBar()
    for _page in range(2):  # the third page makes 300 > 250: the first one goes
        rows = panel.model.rowCount()
        qtbot.waitUntil(lambda: bar.maximum() > 0)
        bar.setValue(bar.maximum())
        qtbot.waitUntil(lambda r=rows: panel.model.rowCount() != r or panel.feed.detached)
    qtbot.waitUntil(lambda: panel.feed.detached)
    assert panel.model.rowCount() <= 250 and probes(panel, 1) != ["capture done 299 <b>bold</b>"]
    assert panel.pill.isVisible() and panel.pill.text() == "Show newest"
    for _page in range(5):
        if not panel.feed.detached:
            break
        top = panel.model.entries[0]
        bar.setValue(0)
        qtbot.waitUntil(lambda t=top: panel.model.entries[0] is not t or not panel.feed.detached)
    assert probes(panel, 1) == ["capture done 299 <b>bold</b>"] and not panel.feed.detached


def test_locking_the_screen_drops_the_rows_read(qtbot, open_tab):
    panel = open_tab()
    panel.window().session.lock()
    qtbot.waitUntil(lambda: panel.model.rowCount() == 0)
    assert "cannot be shown" in panel.message.text() or not panel.isVisible()
    panel.window().session.log_in(KIOSK_VIEWER)
    panel.window().show_tab("Logs")
    qtbot.waitUntil(lambda: probes(panel, 1) == ["capture done 299 <b>bold</b>"])
    assert "cannot be shown" not in panel.message.text()  # only the journal note, if any


def test_the_tab_says_once_when_the_journal_cannot_be_read(qtbot, open_tab):
    """No journald runs on the test machine: the first page's note shows above the list."""
    panel = open_tab()
    qtbot.waitUntil(lambda: "journal" in panel.message.text())
    assert panel.message.isVisible()


def test_opening_the_tab_leaves_the_keyboard_down_until_the_search_is_tapped(qtbot, open_tab):
    """The list is what the tech came for: the search field takes focus (and brings the
    on-screen keyboard up) only when tapped, not because the tab was shown."""
    panel = open_tab()
    window = panel.window()
    window.activateWindow()
    qtbot.wait(50)
    assert QApplication.focusWidget() is not panel.filters.text_edit
    qtbot.mouseClick(panel.filters.text_edit, LEFT)
    qtbot.waitUntil(panel.filters.text_edit.hasFocus)
