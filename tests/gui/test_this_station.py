""" "This station" on the kiosk: one tap from the status bar or the lock screen, the facts the
station reports, a QR code that decodes to the URL shown, and a sheet that fits 800x480 and
480x800 with touch-sized buttons."""

import socket
from importlib.metadata import version
from pathlib import Path

import cv2
import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractButton

from eyepi_gui.kiosk.this_station import ThisStation

URL = "https://127.0.0.1:8443"
FINGERPRINT = ":".join(f"{i:02X}" for i in range(32))
TOUCH_PX = 44  # the touch target
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


def wired(window, services):
    """The window's own wiring once the lead has added it, else the same line here."""
    found = getattr(window, "this_station", None)
    return found or ThisStation(window, window.status, window.login_page, services, window.runner)


def opened(qtbot, this):
    qtbot.waitUntil(lambda: this.sheet.isVisible() and this.sheet.about is not None)
    return this.sheet


def decode(image: QImage) -> str:
    gray = image.convertToFormat(QImage.Format.Format_Grayscale8)
    pixels = np.frombuffer(gray.constBits(), np.uint8).reshape(gray.height(), gray.bytesPerLine())
    text, points, _ = cv2.QRCodeDetector().detectAndDecode(pixels[:, : gray.width()].copy())
    assert points is not None, "no QR code found"
    return text


@pytest.fixture
def serving(services):
    services.endpoint.started(URL, FINGERPRINT)
    return services


def test_one_tap_on_the_status_bar_opens_it(serving, make_window, qtbot):
    window = make_window(serving)
    this = wired(window, serving)
    address = serving.station_info.about().primary_address or "This station"
    qtbot.waitUntil(lambda: window.status.address.text() == address)
    qtbot.mouseClick(window.status.address, Qt.MouseButton.LeftButton)
    sheet = opened(qtbot, this)
    assert sheet.geometry() == window.rect()
    values = {name: label.text() for name, label in sheet.values.items()}
    assert values["url"].splitlines()[0] == URL
    assert values["hostname"] == socket.gethostname()
    assert values["version"] == f"eyepi {version('eyepi')}"
    assert values["fingerprint"].replace("\n", ":") == FINGERPRINT
    for item in serving.station_info.about().addresses:
        assert f"{item.interface}  {item.address}" in values["addresses"]
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in sheet.values.values())
    qtbot.mouseClick(sheet.close_button, Qt.MouseButton.LeftButton)
    assert not sheet.isVisible()


def test_the_qr_code_decodes_to_the_url_shown(serving, make_window, qtbot):
    window = make_window(serving)
    this = wired(window, serving)
    this.open()
    sheet = opened(qtbot, this)
    assert decode(sheet.qr.pixmap().toImage()) == sheet.values["url"].text().splitlines()[0] == URL
    assert "this machine only" in sheet.values["url"].text()


def test_the_clock_ticks_without_asking_the_station_each_second(serving, make_window, qtbot):
    window = make_window(serving)
    this = wired(window, serving)
    this.open()
    sheet = opened(qtbot, this)
    first = sheet.values["clock"].text()
    qtbot.waitUntil(lambda: sheet.values["clock"].text() != first, timeout=2500)
    assert not window.runner.is_running("this-station")


def test_it_opens_from_the_lock_screen_while_locked(serving, make_window, qtbot):
    window = make_window(serving, as_user=None)
    this = wired(window, serving)
    qtbot.waitUntil(window.login_page.isVisible)
    assert window.session.locked
    qtbot.mouseClick(window.login_page.about_button, Qt.MouseButton.LeftButton)
    sheet = opened(qtbot, this)
    assert sheet.values["url"].text().startswith(URL)
    assert window.session.locked, "reading it logs nobody in"


@pytest.mark.parametrize(("width", "height"), [(800, 480), (480, 800)])
def test_it_fits_the_screen_with_touch_sized_buttons(serving, make_window, qtbot, width, height):
    window = make_window(serving, width, height)
    this = wired(window, serving)
    this.open()
    sheet = opened(qtbot, this)
    qtbot.waitUntil(lambda: sheet.geometry() == window.rect())
    buttons = [b for b in sheet.findChildren(QAbstractButton) if b.isVisible()]
    assert all(b.height() >= TOUCH_PX and b.width() >= TOUCH_PX for b in buttons)
    assert window.status.address.height() >= TOUCH_PX
    assert window.status.address.geometry().bottom() < window.status.height()
    scroll = sheet.facts_area
    qtbot.waitUntil(lambda: not sheet.qr.geometry().intersects(scroll.geometry()))
    assert not scroll.horizontalScrollBar().isVisible()
    qr = sheet.qr.geometry()
    assert qr.size() == sheet.qr.pixmap().size(), "the whole code shows"
    assert qr.width() >= 33 * 4, "at least 4 px per module"
    assert sheet.rect().contains(qr)
    assert decode(sheet.qr.pixmap().toImage()) == URL
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / f"this-station-{width}x{height}.png"))
