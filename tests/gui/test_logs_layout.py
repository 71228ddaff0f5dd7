"""The Logs tab and its pages at every supported screen size pass the layout check
(tests/gui/layout_check.py, as tests/gui/test_layout.py runs it): nothing cut, touch-sized,
no sideways scrolling, nothing outside the window, the focused field above the keyboard.

The station's log holds long messages, a camera with a long name and every level; the
screens show the filters open with a reason under every field, the new-entries pill, an
entry's details and the support bundle sheet with two sticks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.domain.access import Origin
from eyepi_gui.kiosk.panels.logs.panel import LogsPanel
from eyepi_gui.station import Station
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.gui.test_layout import SIZE_IDS, SIZES, GrowthWatch, check_screen, screen_window
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
REASON = "a reason long enough to wrap at least once on a narrow portrait screen"
LONG_LABEL = "FIELDSTATION7NTH"
LONG_MESSAGE = "capture by greenhouse-row-3-north failed: " + "gphoto2 I/O error, retrying " * 8


@pytest.fixture
def log_station(eyepi_home: Path, qapp, tmp_path: Path) -> Iterator[Station]:
    drives = FakeVolumes(tmp_path / "mnt", udisks=True)
    drives.plug(stick("sdb1", label=LONG_LABEL))
    drives.plug(stick("sdc1", label=None, vendor="SanDisk", model="Ultra Fit"))
    station = Station(eyepi_home, log_to_console=False, hasher=FakeHasher(), drives=drives)
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, QUIET)
    services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    station.start()
    log = logging.getLogger("eyepi.test")
    for n, level in enumerate([logging.DEBUG, logging.INFO, logging.WARNING, logging.ERROR] * 20):
        fields = {"camera": "greenhouse-row-3-north-camera", "n": n, "nested": {"a": [1, 2]}}
        log.log(level, LONG_MESSAGE, extra={"event": "capture_failed", "fields": fields})
    log.critical("the station cannot write to its disk", extra={"event": "storage_alert"})
    yield station
    station.stop()


def log_screens(window, qtbot) -> Iterator[tuple[str, object]]:
    window.session.log_in(KIOSK_ADMIN)
    qtbot.waitUntil(lambda: window.screens.currentIndex() == 0)
    panel = window.show_tab("Logs")
    assert isinstance(panel, LogsPanel)

    def listing(options: bool = False, pill: bool = False) -> None:
        panel.show_list()
        qtbot.waitUntil(lambda: panel.model.rowCount() > 50)
        panel.filters.options_button.setChecked(options)
        panel.feed.pending = []
        if pill:
            panel.feed.detached = True
        panel.show_pill()
        panel._say(REASON if pill else "")

    def problems() -> None:
        listing(options=True)
        for field in ("text", "since", "time"):
            panel.filters.show_problem(field, REASON)
        labels = (panel.filters.text_problem, panel.filters.time_problem)
        for label in labels:
            label.setText(REASON)
            label.show()

    def details() -> None:
        listing()
        panel.open_entry(panel.model.index(1))

    def bundle() -> None:
        listing()
        qtbot.mouseClick(panel.bundle_button, LEFT)
        qtbot.waitUntil(lambda: len(panel.sheet.buttons) == 2)

    yield "logs", listing
    yield "logs-filters", lambda: listing(options=True)
    yield "logs-problems", problems
    yield "logs-pill", lambda: listing(pill=True)
    yield "logs-details", details
    yield "logs-bundle", bundle


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_logs_tab_fits(qtbot, log_station, make_window, size):
    window = screen_window(make_window, log_station.services, size)
    found: list[str] = []
    for name, show in log_screens(window, qtbot):
        show()
        found += check_screen(qtbot, window, name)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", [(800, 480), (480, 800)], ids=["800x480", "480x800"])
def test_a_free_window_never_grows_on_the_logs_tab(qtbot, log_station, make_window, size):
    window = make_window(log_station.services, *size, as_user=None)
    watch = GrowthWatch(window)
    for name, show in log_screens(window, qtbot):
        show()
        check_screen(qtbot, window, name)
    assert watch.sizes <= {size}, f"the window took sizes {sorted(watch.sizes)}"
