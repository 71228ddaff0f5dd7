"""The whole USB export from the kiosk on a real loop-device stick (ext4, and exFAT through
FUSE; root only): log in as an operator on the login screen, open Storage, pick the stick,
export a day of a sim camera, watch the progress strip to "safe to remove", and find every
file on the stick as captured and in its manifest; the tab reports the result and lists
the export."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.kiosk.panels.storage.panel import StoragePanel
from eyepi_gui.kiosk.widgets.job_progress import BAR_STEPS
from tests.export_world import DAY, ExportWorld, sources
from tests.gui.conftest import ADMIN_PASSWORD

LEFT = Qt.MouseButton.LeftButton
OPERATOR_PASSWORD = "operator long secret"
SLOTS = 6


@pytest.fixture
def world(tmp_path, usb_stick, qapp):
    made = ExportWorld(tmp_path / "home", usb_stick)
    admin = made.services.users.create_first_admin(Origin.KIOSK, "ada", ADMIN_PASSWORD)
    made.services.users.add_user(admin, "otto", OPERATOR_PASSWORD, "operator")
    yield made
    made.close()


def log_in(qtbot, window, username: str, password: str) -> None:
    page = window.login_page
    qtbot.waitUntil(lambda: window.screens.currentWidget() is page)
    for edit, text in ((page.username_edit, username), (page.password_edit, password)):
        edit.setFocus()
        qtbot.keyClicks(edit, text)
    qtbot.mouseClick(page.login_button, LEFT)
    qtbot.waitUntil(lambda: not window.session.locked)


@pytest.mark.parametrize("usb_stick", ["ext4", "exfat"], indirect=True)
def test_an_operator_exports_a_day_to_a_real_stick_until_safe_to_remove(qtbot, world, make_window):
    captured = sources(world, world.day(SLOTS))
    window = make_window(world.services, as_user=None)
    log_in(qtbot, window, "otto", OPERATOR_PASSWORD)
    assert window.session.principal.role is Role.OPERATOR
    panel = window.show_tab("Storage")
    assert isinstance(panel, StoragePanel)
    device = world.stick.device
    qtbot.waitUntil(lambda: device in panel.drives.rows, timeout=10000)
    row = panel.drives.rows[device]
    qtbot.waitUntil(row.isVisible)
    assert row.title.text() == "EYEPI TEST" and world.stick.fstype in row.facts.text()

    qtbot.mouseClick(row.export_button, LEFT)
    sheet = panel.sheet
    assert panel.stack.currentWidget() is sheet and sheet.title.text() == "Export to EYEPI TEST"
    sheet.checks["sim-2"].setChecked(False)
    for edit in (sheet.first_edit, sheet.last_edit):
        edit.clear()
        qtbot.keyClicks(edit, DAY)
    seen: list[int] = []
    strip = window.job_strip
    strip.bar.valueChanged.connect(seen.append)
    qtbot.mouseClick(sheet.start_button, LEFT)

    qtbot.waitUntil(lambda: "safe to remove" in panel.message.text(), timeout=60000)
    assert panel.stack.currentWidget() is panel.overview
    assert strip.isVisible() and strip.title.text() == "Export to EYEPI TEST"
    assert strip.state.text().endswith("safe to remove")
    assert strip.bar.value() == BAR_STEPS and strip.items.text() == f"{SLOTS} of {SLOTS} items"
    assert strip.cancel_button.text() == "Close"
    assert seen and seen[-1] == BAR_STEPS, "the strip followed the job to its end"
    assert panel.message.text().startswith("Export to EYEPI TEST:")
    assert f"{SLOTS} files" in panel.message.text()

    assert world.stick.mounts() == [], "unmounted before 'safe to remove' was shown"
    _, files, manifest = world.on_stick()
    world.drives.unmount(device)
    assert files == captured == manifest, "every file on the stick as captured, and listed"

    qtbot.waitUntil(lambda: len(panel.history.rows) == 1, timeout=10000)
    title, facts = panel.history.rows[0]
    assert title.text().endswith("to EYEPI TEST")
    assert f"by otto (operator, kiosk) · {SLOTS} files" in facts.text()
    assert facts.text().endswith("done")
