"""The Storage tab and its pages at every supported screen size pass the layout check
(tests/gui/layout_check.py, as tests/gui/test_layout.py runs it): nothing cut, touch-sized,
no sideways scrolling, nothing outside the window, the focused field above the keyboard.

The station has two sticks (one with a long label, one without a filesystem), a day of
images, a finished and a failed export in its history, and long camera names."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.exports_db import ExportsDB
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.export import EXPORT_JOB, ExportRecord
from eyepi_gui.kiosk.panels.storage.panel import StoragePanel
from eyepi_gui.station import Station
from tests.browse_day import fill_day
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.gui.conftest import ADMIN_PASSWORD, CAMERA_IDS, KIOSK_ADMIN, QUIET
from tests.gui.test_layout import SIZE_IDS, SIZES, GrowthWatch, check_screen, screen_window
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
REASON = "a reason long enough to wrap at least once on a narrow portrait screen"
LONG_LABEL = "FIELDSTATION7NTH"  # 16 characters: the longest ext4 label


def history(home: Path) -> None:
    """A finished export and a failed one, as the export job leaves them."""
    records = ExportsDB(StateDB(home / "state.db"))
    now = time.time()
    for outcome, label in (("done", LONG_LABEL), ("failed: the stick was pulled out", None)):
        record = ExportRecord(
            0,
            "job",
            now - 3600,
            None,
            "otto (operator, kiosk)",
            "/dev/sdb1",
            label,
            "exfat",
            "eyepi",
            0,
            0,
            "running",
        )
        export_id = records.begin(record)
        records.finish(export_id, now, outcome)


@pytest.fixture
def storage_station(eyepi_home: Path, qapp, tmp_path: Path) -> Iterator[Station]:
    drives = FakeVolumes(tmp_path / "mnt", udisks=True)
    drives.plug(stick("sdb1", label=LONG_LABEL, vendor="SanDisk", model="Ultra Fit"))
    drives.plug(stick("sdc", fstype=None, label=None, vendor="Generic", model="Flash Disk"))
    station = Station(eyepi_home, log_to_console=False, hasher=FakeHasher(), drives=drives)
    services = station.open()
    for camera_id in CAMERA_IDS:
        services.config.update_camera(ADMIN, camera_id, {**QUIET, "name": "Greenhouse row 3"})
    services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    start = datetime(2026, 5, 30, 6, 0, tzinfo=services.config.tz()).timestamp()
    fill_day(station, CAMERA_IDS[1], start, 12)
    history(eyepi_home)
    station.start()
    yield station
    station.stop()


def storage_screens(window, qtbot) -> Iterator[tuple[str, object]]:
    window.session.log_in(KIOSK_ADMIN)
    qtbot.waitUntil(lambda: window.screens.currentIndex() == 0)
    panel = window.show_tab("Storage")
    assert isinstance(panel, StoragePanel)

    def overview() -> None:
        panel.show_overview("Eject FIELDSTATION7NTH: FIELDSTATION7NTH unmounted, safe to remove.")
        qtbot.waitUntil(lambda: len(panel.drives.rows) == 2 and len(panel.history.rows) == 2)
        qtbot.waitUntil(lambda: len(panel.disk.cameras) == 2)

    def sheet(everything: bool) -> None:
        overview()
        qtbot.mouseClick(panel.drives.rows["/dev/sdb1"].export_button, LEFT)
        if everything:
            panel.sheet.not_exported.setChecked(True)
        panel.sheet.show_problems({f: REASON for f in (*panel.sheet.messages, "device")})

    def browser() -> None:
        overview()
        qtbot.mouseClick(panel.browse.buttons[CAMERA_IDS[1]], LEFT)
        qtbot.waitUntil(lambda: panel.browser is not None and panel.browser.model.rowCount() > 0)

    yield "storage", overview
    yield "storage-history", lambda: (overview(), panel.overview.ensureWidgetVisible(panel.history))
    yield "storage-export", lambda: sheet(False)
    yield "storage-export-everything", lambda: sheet(True)
    yield "storage-browser", browser

    def job_running() -> None:
        """A job going on: the progress strip above the tabs, the status bar's button."""
        overview()
        services = window.context.services
        view = services.jobs.start(ADMIN, EXPORT_JOB, f"Export to {LONG_LABEL}", wait_released)
        window.context.watch_job(view.job_id)
        qtbot.waitUntil(lambda: window.jobs_indicator.isVisible() and window.job_strip.isVisible())

    yield "storage-job-running", job_running


RELEASE = threading.Event()


def wait_released(ctx) -> str:
    """A job that runs until the test lets it go (or is cancelled)."""
    while not RELEASE.wait(0.05):
        ctx.check()
    return "released"


@pytest.fixture(autouse=True)
def release_jobs() -> Iterator[None]:
    RELEASE.clear()
    yield
    RELEASE.set()


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_the_storage_tab_fits(qtbot, storage_station, make_window, size):
    window = screen_window(make_window, storage_station.services, size)
    found: list[str] = []
    for name, show in storage_screens(window, qtbot):
        show()
        found += check_screen(qtbot, window, name)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("size", [(800, 480), (480, 800)], ids=["800x480", "480x800"])
def test_a_free_window_never_grows_on_the_storage_tab(qtbot, storage_station, make_window, size):
    """Through every storage screen, a job starting and the keyboard up and down, the window
    never needs to grow past the screen (not even for a moment)."""
    window = make_window(storage_station.services, *size, as_user=None)
    watch = GrowthWatch(window)
    for name, show in storage_screens(window, qtbot):
        show()
        check_screen(qtbot, window, name)
    assert watch.sizes <= {size}, f"the window took sizes {sorted(watch.sizes)}"
