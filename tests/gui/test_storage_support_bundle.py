"""A support bundle from the kiosk to a real loop-device stick (ext4, and exFAT through
FUSE; root only): an operator taps Support bundle on the stick's row in the Storage tab,
the progress strip follows the job to "safe to remove", and the stick holds one zip, under
its final name only, with no secret of the station in any file; a viewer sees no button."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.export import EXPORT_FOLDER
from eyepi_gui.domain.support_bundle import STICK_FOLDER
from eyepi_gui.kiosk.panels.storage.panel import StoragePanel
from tests.export_world import ExportWorld
from tests.gui.conftest import ADMIN_PASSWORD
from tests.gui.test_storage_export_flow import OPERATOR_PASSWORD, log_in
from tests.services.bundle_world import fill_with_secrets, leaks, unzipped
from tests.services.conftest import LAB_WIFI

LEFT = Qt.MouseButton.LeftButton
VIEWER_PASSWORD = "viewer long secret"


@pytest.fixture
def world(tmp_path, usb_stick, qapp):
    made = ExportWorld(tmp_path / "home", usb_stick)
    users = made.services.users
    admin = users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    users.add_user(admin, "otto", OPERATOR_PASSWORD, "operator")
    users.add_user(admin, "vera", VIEWER_PASSWORD, "viewer")
    made.network.in_range(LAB_WIFI[0], password=LAB_WIFI[1])
    made.secrets = fill_with_secrets(made.station, admin)
    yield made
    made.close()


def stick_row(qtbot, window, world):
    panel = window.show_tab("Storage")
    assert isinstance(panel, StoragePanel)
    qtbot.waitUntil(lambda: world.stick.device in panel.drives.rows, timeout=10000)
    row = panel.drives.rows[world.stick.device]
    qtbot.waitUntil(row.isVisible)
    return panel, row


@pytest.mark.parametrize("usb_stick", ["ext4", "exfat"], indirect=True)
def test_an_operator_writes_a_bundle_to_a_real_stick_until_safe_to_remove(
    qtbot, world, make_window
):
    window = make_window(world.services, as_user=None)
    log_in(qtbot, window, "otto", OPERATOR_PASSWORD)
    panel, row = stick_row(qtbot, window, world)
    assert row.bundle_button.isVisible() and row.bundle_button.isEnabled()

    qtbot.mouseClick(row.bundle_button, LEFT)
    qtbot.waitUntil(lambda: "safe to remove" in panel.message.text(), timeout=60000)
    message = panel.message.text()
    assert message.startswith("Support bundle to EYEPI TEST: eyepi/support/eyepi-support-")
    strip = window.job_strip
    assert strip.title.text() == "Support bundle to EYEPI TEST"
    assert strip.state.text().endswith("safe to remove")
    assert world.stick.mounts() == [], "unmounted before 'safe to remove' was shown"

    folder = world.drives.mount(world.stick.device) / EXPORT_FOLDER / STICK_FOLDER
    try:
        names = os.listdir(folder)
        assert len(names) == 1 and names[0].endswith(".zip"), names  # no .part left
        assert names[0] in message
        files = unzipped(Path(folder, names[0]).read_bytes())
    finally:
        world.drives.unmount(world.stick.device)
    assert {"README.txt", "station.toml", "doctor.txt", "health.json", "versions.txt"} <= set(files)
    assert leaks(files, world.secrets) == []


@pytest.mark.parametrize("usb_stick", ["ext4"], indirect=True)
def test_a_viewer_sees_no_support_bundle_button(qtbot, world, make_window):
    window = make_window(world.services, as_user=None)
    log_in(qtbot, window, "vera", VIEWER_PASSWORD)
    _panel, row = stick_row(qtbot, window, world)
    assert not row.bundle_button.isVisible()
    assert not row.export_button.isVisible()
