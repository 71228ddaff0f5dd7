"""The Station page on a real station: every setting changed from the page lands in
station.toml and in the settings in force; bad values are refused under their field with
nothing written; only admins may change anything, at the page and at the service."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Origin, Permission, Principal, Role, refusal
from eyepi_gui.errors import Forbidden, InvalidInput, NotFound
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.panel import PanelContext
from eyepi_gui.kiosk.panels.station.panel import StationPanel
from eyepi_gui.kiosk.panels.station.zone import SYSTEM_ZONE
from eyepi_gui.kiosk.session import KioskSession
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.kiosk.widgets.keyboard import attach_keyboard
from eyepi_gui.settings import NetworkCameraSettings
from tests.gui.conftest import KIOSK_ADMIN
from tests.mjpeg_server import MjpegServer
from tests.principals import ADMIN

LEFT = Qt.MouseButton.LeftButton
TOUCH_PX = 44
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


class PageHost(QWidget):
    """The page as a kiosk tab holds it: its own runner, bridge, session and keyboard."""

    def __init__(self, services) -> None:
        super().__init__()
        self.runner = TaskRunner(self)
        self.bridge = EventBridge(services.bus, self)
        self.session = KioskSession(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        context = PanelContext(services, self.runner, self.bridge, self.session)
        self.panel = StationPanel(context)
        layout.addWidget(self.panel, 1)
        self.keyboard = attach_keyboard(self, automatic=True)

    def shut(self) -> None:
        self.session.stop()
        self.bridge.close()
        self.runner.close()


@pytest.fixture
def host(qtbot, services, themed):
    page = PageHost(services)
    qtbot.addWidget(page)
    page.session.log_in(KIOSK_ADMIN)
    page.resize(800, 480)
    page.show()
    qtbot.waitExposed(page)
    panel = page.panel
    panel.shown()  # what the window calls when the tab comes on screen
    qtbot.waitUntil(lambda: panel._settings is not None)
    qtbot.waitUntil(lambda: len(panel.fields.zone.shown_zones()) > 1)
    yield page
    page.shut()


@pytest.fixture
def panel(host) -> StationPanel:
    return host.panel


def toml_of(station) -> dict:
    return tomllib.loads((station.home / "station.toml").read_text())


def toml_bytes(station) -> bytes:
    return (station.home / "station.toml").read_bytes()


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    qtbot.keyClicks(edit, text)


def press(qtbot, button: QAbstractButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def tick(qtbot, check: QCheckBox) -> None:
    """Tap the box itself (a row-wide check box is only a button over its box and text)."""
    assert check.isVisible() and check.isEnabled(), check.text()
    qtbot.mouseClick(check, LEFT, pos=QPoint(TOUCH_PX // 2, check.height() // 2))


def shown(label: QLabel) -> str:
    return label.text() if label.isVisible() else ""


def save_and_wait(qtbot, panel: StationPanel) -> None:
    press(qtbot, panel.save_button)
    qtbot.waitUntil(lambda: not panel._runner.is_running("station-save"))
    qtbot.waitUntil(lambda: panel.save_button.text() == "Save")


def pick_zone(qtbot, panel: StationPanel, search: str, zone: str) -> None:
    picker = panel.fields.zone
    type_into(qtbot, picker.search, search)
    rows = picker.shown_zones()
    assert zone in rows, rows
    index = picker.model.index(rows.index(zone))
    qtbot.mouseClick(picker.list.viewport(), LEFT, pos=picker.list.visualRect(index).center())
    assert picker.value() == zone


def test_each_setting_is_changed_from_the_page(qtbot, station, services, panel):
    fields = panel.fields
    type_into(qtbot, fields.edits["station_name"], "north field")
    pick_zone(qtbot, panel, "canberra", "Australia/Canberra")
    type_into(qtbot, fields.edits["free_space_floor_mib"], "2048")
    type_into(qtbot, fields.edits["capture_timeout_s"], "90.5")
    type_into(qtbot, fields.edits["security.auto_lock_s"], "600")
    tick(qtbot, fields.checks["security.viewer_when_locked"])
    type_into(qtbot, fields.edits["preview.max_fps"], "12.5")
    tick(qtbot, fields.checks["remote.enabled"])
    type_into(qtbot, fields.edits["remote.bind"], "127.0.0.1")
    type_into(qtbot, fields.edits["remote.port"], "8181")
    tick(qtbot, fields.checks["remote.tls"])
    save_and_wait(qtbot, panel)

    assert shown(panel.message) == "Saved."
    now = services.config.current()
    assert (now.station_name, now.timezone) == ("north field", "Australia/Canberra")
    assert (now.free_space_floor_mib, now.capture_timeout_s) == (2048, 90.5)
    assert (now.security.auto_lock_s, now.security.viewer_when_locked) == (600, True)
    assert now.preview.max_fps == 12.5
    remote = now.remote
    assert (remote.enabled, remote.bind, remote.tls) == (False, "127.0.0.1", True)
    assert remote.port == 8181
    written = toml_of(station)
    assert written["station_name"] == "north field"
    assert written["timezone"] == "Australia/Canberra"
    assert (written["free_space_floor_mib"], written["capture_timeout_s"]) == (2048, 90.5)
    assert written["security"]["auto_lock_s"] == 600
    assert written["security"]["viewer_when_locked"] is True
    assert written["preview"]["max_fps"] == 12.5
    assert {k: written["remote"][k] for k in ("enabled", "bind", "port", "tls")} == {
        "enabled": False,
        "bind": "127.0.0.1",
        "port": 8181,
        "tls": True,
    }
    assert fields.zone.chosen.text() == "Chosen: Australia/Canberra"
    assert str(services.config.tz()) == "Australia/Canberra"  # in force, no restart


def test_the_system_zone_is_picked_back(qtbot, services, panel):
    services.config.update_station(ADMIN, {"timezone": "Europe/Berlin"})
    qtbot.waitUntil(lambda: panel.fields.zone.value() == "Europe/Berlin")
    pick_zone(qtbot, panel, "system", "")
    save_and_wait(qtbot, panel)
    assert services.config.current().timezone == ""
    assert panel.fields.zone.chosen.text() == f"Chosen: {SYSTEM_ZONE}"


@pytest.mark.parametrize(
    ("path", "typed", "reason"),
    [
        ("station_name", "", "Must not be empty."),
        ("remote.port", "70000", "Must be a whole number from 0 to 65535"),
        ("free_space_floor_mib", "-1", "Must be a whole number from 0 to 10000000"),
        ("capture_timeout_s", "0", "Must be a number from 1 to 600"),
        ("security.auto_lock_s", "10", "Use 0 (never lock) or 30 to 86400 seconds"),
        ("preview.max_fps", "fast", "Must be a number from 1 to 30"),
        ("remote.bind", "192.0.2.1", "192.0.2.1 is not an address of this station"),
    ],
)
def test_a_bad_value_is_refused_under_its_field_and_nothing_is_saved(
    qtbot, station, services, panel, path, typed, reason
):
    before, settings = toml_bytes(station), services.config.current()
    if path != "capture_timeout_s":  # a good change beside the bad one is not saved either
        type_into(qtbot, panel.fields.edits["capture_timeout_s"], "42")
    type_into(qtbot, panel.fields.edits[path], typed)
    save_and_wait(qtbot, panel)
    assert shown(panel.fields.messages[path]).startswith(reason)
    others = [p for p, label in panel.fields.messages.items() if p != path and shown(label)]
    assert others == []
    assert shown(panel.message) == ""
    assert toml_bytes(station) == before
    assert services.config.current() == settings
    assert panel.fields.edits[path].text() == typed  # left as typed, to be corrected


def test_a_zone_that_does_not_exist_cannot_be_picked(qtbot, station, services, panel):
    picker = panel.fields.zone
    before = toml_bytes(station)
    type_into(qtbot, picker.search, "Mars/Olympus")
    assert picker.shown_zones() == []
    assert not picker.pick("Mars/Olympus")
    type_into(qtbot, picker.search, "local")
    assert "localtime" not in picker.shown_zones()
    assert picker.value() == ""
    press(qtbot, panel.save_button)
    assert shown(panel.message) == "Nothing changed."
    with pytest.raises(InvalidInput) as refused:
        services.config.update_station(ADMIN, {"timezone": "Mars/Olympus"})
    assert refused.value.field == "timezone"
    assert toml_bytes(station) == before


def test_a_change_made_elsewhere_shows_and_keeps_an_edit_in_progress(qtbot, services, panel):
    edits = panel.fields.edits
    type_into(qtbot, edits["station_name"], "typed here")
    services.config.update_station(ADMIN, {"capture_timeout_s": 75.0, "remote": {"port": 9090}})
    qtbot.waitUntil(lambda: edits["capture_timeout_s"].text() == "75")
    assert edits["remote.port"].text() == "9090"
    assert edits["station_name"].text() == "typed here"
    press(qtbot, panel.revert_button)
    assert edits["station_name"].text() == "eyepi"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR])
def test_viewers_and_operators_see_values_read_only_and_are_refused(
    qtbot, station, services, host, panel, role
):
    person = Principal("bob", role, Origin.KIOSK)
    host.session.log_in(person)
    reason = refusal(role, Permission.STATION_SETTINGS)
    assert shown(panel.access_note) == reason
    assert not panel.save_button.isVisible() and not panel.revert_button.isVisible()
    assert all(edit.isReadOnly() for edit in panel.fields.edits.values())
    assert not any(check.isEnabled() for check in panel.fields.checks.values())
    assert not panel.fields.zone.list.isVisible()
    assert not panel.cameras.add_form.isVisible()
    assert panel.fields.edits["station_name"].text() == "eyepi"
    zone = panel.fields.zone
    qtbot.waitUntil(lambda: zone.height() < TOUCH_PX)  # laid out without the list
    SHOTS.mkdir(parents=True, exist_ok=True)
    panel.grab().save(str(SHOTS / f"station-{role}-800x480.png"))
    panel.fields.edits["station_name"].setFocus()
    assert not host.keyboard.isVisible()  # read-only fields take no typing
    before = toml_bytes(station)
    with pytest.raises(Forbidden):
        services.config.update_station(person, {"station_name": "taken over"})
    with pytest.raises(Forbidden):
        services.config.update_station(person, {"remote": {"port": 8181}})
    assert toml_bytes(station) == before


def test_typed_fields_bring_up_the_keyboard_and_stay_in_view(qtbot, host, panel):
    for edit in (panel.fields.edits["remote.port"], panel.cameras.password_edit):
        edit.setFocus()
        qtbot.waitUntil(host.keyboard.isVisible)
        qtbot.waitUntil(lambda edit=edit: _in_view(panel, edit))
    SHOTS.mkdir(parents=True, exist_ok=True)
    host.grab().save(str(SHOTS / "station-keyboard-800x480.png"))


def test_a_refusal_about_no_field_of_the_page_shows_above_it(qtbot, panel):
    panel._save_failed(InvalidInput("remote.certificate", "no such file"))
    assert shown(panel.message) == "remote.certificate: No such file."
    assert not any(shown(label) for label in panel.fields.messages.values())
    panel._save_failed(Forbidden("An operator may not change station settings."))
    assert shown(panel.message) == "An operator may not change station settings."


def _in_view(panel: StationPanel, widget: QWidget) -> bool:
    viewport = panel.page_scroll.viewport()
    top = widget.mapTo(viewport, widget.rect().topLeft())
    return top.y() >= 0 and top.y() + widget.height() <= viewport.height()


LONG_URL = "rtsp://viewer@192.0.2.44:554/Streaming/Channels/101/very/long/path/to/the/main/stream"


@pytest.mark.parametrize("size", [(800, 480), (800, 388)])
def test_the_page_fits_a_small_screen_with_touch_sized_controls(qtbot, services, host, panel, size):
    services.config.set_network_camera(ADMIN, "gate-cam", NetworkCameraSettings(url=LONG_URL))
    qtbot.waitUntil(lambda: "gate-cam" in panel.cameras.rows)
    host.resize(*size)
    qtbot.waitUntil(lambda: host.size().width() == size[0])
    content = panel.page_scroll.widget()
    qtbot.waitUntil(lambda: content.width() <= panel.page_scroll.viewport().width())
    assert not panel.page_scroll.horizontalScrollBar().isVisible()
    assert content.minimumSizeHint().width() <= panel.page_scroll.viewport().width()
    for widget in content.findChildren(QWidget):
        if widget.isVisibleTo(content) and isinstance(widget, (QAbstractButton, QLineEdit)):
            height = widget.sizeHint() if isinstance(widget, QCheckBox) else widget.size()
            assert height.height() >= TOUCH_PX, (widget.objectName(), widget.text())
    for label in content.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText, label.text()
    zones = panel.fields.zone.list
    assert zones.visualRect(zones.model().index(1, 0)).height() >= TOUCH_PX
    SHOTS.mkdir(parents=True, exist_ok=True)
    name = f"station-{size[0]}x{size[1]}"
    panel.grab().save(str(SHOTS / f"{name}.png"))
    bar = panel.page_scroll.verticalScrollBar()
    bar.setValue(bar.maximum())
    panel.grab().save(str(SHOTS / f"{name}-end.png"))


def test_a_port_in_use_is_refused_under_the_port(qtbot, station, services, panel):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        before = toml_bytes(station)
        type_into(qtbot, panel.fields.edits["remote.bind"], "127.0.0.1")
        type_into(qtbot, panel.fields.edits["remote.port"], str(port))
        save_and_wait(qtbot, panel)
        assert shown(panel.fields.messages["remote.port"]).startswith(f"Port {port} is in use")
        assert toml_bytes(station) == before


PASSWORD = "heron-7-secret"


@pytest.fixture
def stream():
    with MjpegServer(credentials=("tech", PASSWORD)) as server:
        yield server


def all_texts(widget: QWidget) -> list[str]:
    """Every text a person could see or a screen reader read in ``widget``."""
    texts = [edit.text() for edit in widget.findChildren(QLineEdit)]
    texts += [label.text() for label in widget.findChildren(QLabel)]
    texts += [button.text() for button in widget.findChildren(QAbstractButton)]
    return texts + [widget.toolTip() for widget in widget.findChildren(QWidget)]


def test_a_network_camera_is_tested_added_and_removed(qtbot, station, services, panel, stream):
    section = panel.cameras
    url = f"http://tech@127.0.0.1:{stream.port}/stream.mjpg"
    type_into(qtbot, section.id_edit, "gate-cam")
    type_into(qtbot, section.url_edit, url)
    type_into(qtbot, section.password_edit, PASSWORD)
    assert section.password_edit.echoMode() == QLineEdit.EchoMode.Password
    press(qtbot, section.test_button)
    qtbot.waitUntil(lambda: shown(section.form_message).startswith("Stream OK"), timeout=15_000)
    assert shown(section.form_message) == "Stream OK: 640x480 px. Save camera to add it."
    assert "gate-cam" not in services.config.current().network_cameras  # tested, not saved

    press(qtbot, section.add_button)
    qtbot.waitUntil(lambda: shown(section.form_message) == "Saved gate-cam.", timeout=15_000)
    qtbot.waitUntil(lambda: "gate-cam" in section.rows)
    saved = toml_of(station)["network_cameras"]["gate-cam"]
    assert (saved["url"], saved["password"]) == (url, PASSWORD)
    row = section.rows["gate-cam"]
    qtbot.waitUntil(row.isVisible)  # Qt shows a widget added to a shown page a moment later
    shown_url = f"http://***@127.0.0.1:{stream.port}/stream.mjpg"  # no login at all
    assert row.url.text().replace("\u200b", "") == shown_url
    assert row.facts.text() == "password stored"
    assert section.password_edit.text() == section.id_edit.text() == ""
    assert not any(PASSWORD in text for text in all_texts(panel))
    qtbot.waitUntil(lambda: "gate-cam" in {c.info.camera_id for c in services.overview.cameras()})

    press(qtbot, row.remove_button)
    assert row.confirm.isVisible()
    press(qtbot, row.keep_button)
    assert not row.confirm.isVisible() and "gate-cam" in section.rows
    press(qtbot, row.remove_button)
    press(qtbot, row.confirm_button)
    qtbot.waitUntil(lambda: shown(section.list_message) == "Removed gate-cam.", timeout=15_000)
    qtbot.waitUntil(lambda: "gate-cam" not in section.rows)
    assert "gate-cam" not in toml_of(station).get("network_cameras", {})
    assert "gate-cam" not in services.config.current().network_cameras


def test_a_stream_that_fails_its_test_says_why(qtbot, panel, stream):
    section = panel.cameras
    type_into(qtbot, section.url_edit, f"http://tech@127.0.0.1:{stream.port}/stream.mjpg")
    type_into(qtbot, section.password_edit, "wrong password")
    press(qtbot, section.test_button)
    qtbot.waitUntil(lambda: not panel._runner.is_running("netcam-test"), timeout=15_000)
    assert shown(section.form_message).startswith("Stream test failed: ")
    assert section.form_message.property("role") == "error"


@pytest.mark.parametrize(
    ("camera_id", "url", "password", "field"),
    [
        ("Gate cam", "http://127.0.0.1:9/x.mjpg", "", "camera_id"),
        ("sim-1", "http://127.0.0.1:9/x.mjpg", "", "camera_id"),
        ("gate-cam", "ftp://127.0.0.1/x", "", "url"),
        ("gate-cam", "http://127.0.0.1:9/x.mjpg", PASSWORD, "password"),
    ],
)
def test_a_bad_network_camera_is_refused_under_its_field(
    qtbot, station, panel, camera_id, url, password, field
):
    section, before = panel.cameras, toml_bytes(station)
    type_into(qtbot, section.id_edit, camera_id)
    type_into(qtbot, section.url_edit, url)
    if password:
        type_into(qtbot, section.password_edit, password)
    press(qtbot, section.add_button)
    qtbot.waitUntil(lambda: shown(section.messages[field]) != "")
    others = [name for name, label in section.messages.items() if name != field and shown(label)]
    assert others == []
    assert toml_bytes(station) == before
    assert section.rows == {}


def test_viewers_are_refused_network_cameras_at_the_service(services, stream):
    viewer = Principal("bob", Role.VIEWER, Origin.KIOSK)
    url = f"http://tech@127.0.0.1:{stream.port}/stream.mjpg"
    with pytest.raises(Forbidden):
        services.network_cameras.add(viewer, "gate-cam", url, PASSWORD)
    with pytest.raises(Forbidden):
        services.network_cameras.test(viewer, url, PASSWORD)
    services.network_cameras.add(ADMIN, "gate-cam", url, PASSWORD)
    with pytest.raises(Forbidden):
        services.network_cameras.remove(viewer, "gate-cam")
    with pytest.raises(NotFound):
        services.network_cameras.remove(ADMIN, "no-such-cam")


def test_what_was_typed_is_dropped_when_someone_else_is_at_the_screen(qtbot, host, panel):
    type_into(qtbot, panel.fields.edits["station_name"], "half typed")
    type_into(qtbot, panel.cameras.password_edit, PASSWORD)
    host.session.lock()
    assert panel.cameras.password_edit.text() == ""
    assert panel.fields.edits["station_name"].text() == "eyepi"
    assert shown(panel.access_note) == refusal(None, Permission.STATION_SETTINGS)
