"""Screenshots of the Storage tab under a real X server (Xvfb, xcb), for people to look at.

    QT_QPA_PLATFORM=xcb DISPLAY=:57 python tests/gui/shoot_storage.py HOME OUT_DIR WIDTH HEIGHT

A station with two simulated cameras (an image each, every 5 min), two sticks on FakeVolumes
(one ejected through the tab, so the progress strip shows "safe to remove"), a finished and a
failed export in the history. Saves OUT_DIR/WxH/storage.png (the tab after the eject),
storage-history.png (scrolled to the history) and storage-export.png (the export sheet);
prints each path and exits 0.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from PySide6.QtCore import QTimer

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.exports_db import ExportsDB
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.export import ExportRecord
from eyepi_gui.kiosk.app import application, apply_theme
from eyepi_gui.kiosk.main_window import MainWindow
from eyepi_gui.kiosk.panels.storage.panel import StoragePanel
from eyepi_gui.station import Station
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.gui.shoot import NAMES, PASSWORD, save, settle, wait_for
from tests.principals import ADMIN


def prepare(home: Path) -> tuple[Station, FakeVolumes]:
    drives = FakeVolumes(home.parent / "mnt", udisks=True)
    drives.plug(stick("sdb1", label="FIELD-07", vendor="SanDisk", model="Ultra Fit"))
    drives.plug(stick("sdc1", label="EXPORTS", fstype="ext4", size=64 * 10**9))
    station = Station(home, log_to_console=False, hasher=FakeHasher(), drives=drives)
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORD)
    for camera_id, name in NAMES.items():
        changes = {"name": name, "interval_s": 300, "window": "always"}
        services.config.update_camera(ADMIN, camera_id, changes)
    records, now = ExportsDB(StateDB(home / "state.db")), time.time()
    for outcome, files in (("done", 864), ("failed: the stick was pulled out", 120)):
        made = ExportRecord(
            0,
            "job",
            now - 86400,
            None,
            "otto (operator, kiosk)",
            "/dev/sdb1",
            "FIELD-07",
            "exfat",
            "eyepi",
            files,
            files * 2_400_000,
            "running",
        )
        records.finish(records.begin(made), now - 86000, outcome)
    station.start()
    for info in services.cameras.cameras():
        services.cameras.capture(info.camera_id, time.time()).result(30)
    drives.mount("/dev/sdb1")
    return station, drives


def main(argv: list[str]) -> int:
    home, out = Path(argv[0]), Path(argv[1])
    width, height = int(argv[2]), int(argv[3])
    size = f"{width}x{height}"
    station, _drives = prepare(home)
    app = application()
    apply_theme(app)
    window = MainWindow(station.services)
    window.resize(width, height)
    window.show()
    QTimer.singleShot(0, lambda: window.start_station(lambda: None))
    try:
        window.session.log_in(station.services.login.login(Origin.KIOSK, "ada", PASSWORD))
        panel = window.show_tab("Storage")
        assert isinstance(panel, StoragePanel)
        wait_for(app, lambda: len(panel.drives.rows) == 2, "the drives")
        wait_for(app, lambda: len(panel.history.rows) == 2, "the history")
        panel.eject("/dev/sdb1")
        wait_for(app, lambda: "safe to remove" in panel.message.text(), "the eject")
        settle(app, 0.6)
        save(window, out, "storage", size)
        panel.overview.ensureWidgetVisible(panel.history, 0, 0)
        settle(app)
        save(window, out, "storage-history", size)
        panel.open_export("/dev/sdc1")
        settle(app)
        save(window, out, "storage-export", size)
        return 0
    finally:
        window.close()
        station.stop()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
