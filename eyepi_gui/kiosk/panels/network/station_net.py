"""The Network tab's station-wide parts: the hostname (admins change it) and the hotspot
(its name, passphrase and a QR code for phones to operators; admins turn the fallback on or
off and set its wait)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.network import HotspotInfo
from eyepi_gui.domain.qr import wifi_qr_text
from eyepi_gui.kiosk.panels.network.text import NameLabel
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.qr_image import qr_image
from eyepi_gui.kiosk.widgets.reflow import follow_width
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.settings.network import NetworkSettings

QR_SIDE_PX = 180
WAIT_FIELD = "network.hotspot_after_s"


def wait_text(seconds: int) -> str:
    """ "5 min" for whole minutes, else "90 s"."""
    return f"{seconds // 60} min" if seconds % 60 == 0 else f"{seconds} s"


class HostnameSection(QWidget):
    """The hostname, an edit and Save (admins).

    Signals:
        save_requested(name: str)
    """

    save_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(placeholderText="one word: letters, digits, -")
        self.edit.setObjectName("hostnameEdit")
        self.edit.setMaxLength(63)
        self.save_button = QPushButton("Save hostname")
        self.save_button.clicked.connect(lambda: self.save_requested.emit(self.edit.text()))
        self.message = plain_label("", wrap=True)
        hint = plain_label("Other machines may find the station by it.", wrap=True)
        set_role(hint, "hint")
        row = QHBoxLayout()
        row.addWidget(self.edit, 1)
        row.addWidget(self.save_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(plain_label("Hostname", "sectionTitle"))
        column.addLayout(row)
        column.addWidget(self.message)
        column.addWidget(hint)
        show_message(self.message, "")

    def show_hostname(self, name: str) -> None:
        """Fill the edit unless someone is typing in it."""
        if not self.edit.hasFocus():
            self.edit.setText(name)


class HotspotSection(QWidget):
    """The hotspot's name, state, passphrase and QR code (operators), and the fallback
    settings (admins).

    Signals:
        save_requested(fallback: bool, after_text: str)
    """

    save_requested = Signal(bool, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("netHotspot")
        self.qr_text = ""
        self.state = plain_label("", wrap=True)
        self.ssid = NameLabel("netRowTitle")
        self.passphrase = NameLabel("netPassphrase")
        self.passphrase.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.qr = QLabel()
        self.qr.setObjectName("netQr")
        self.settings = self._settings()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addWidget(plain_label("Hotspot", "sectionTitle"))
        column.addLayout(self._facts())
        column.addWidget(self.settings)

    def _facts(self) -> QBoxLayout:
        text = QVBoxLayout()
        for label in (self.state, self.ssid, self.passphrase):
            text.addWidget(label)
        text.addStretch(1)
        self.facts_box = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.facts_box.addLayout(text, 1)
        self.facts_box.addWidget(self.qr, 0, Qt.AlignmentFlag.AlignTop)
        return self.facts_box

    def _settings(self) -> QWidget:
        box = QWidget()
        self.fallback_check = QCheckBox("Start when offline")
        self.wait_edit = QLineEdit(placeholderText="60 to 3600")
        self.wait_edit.setObjectName("hotspotWaitEdit")
        self.save_button = QPushButton("Save hotspot")
        self.message = plain_label("", wrap=True)
        self.save_button.clicked.connect(
            lambda: self.save_requested.emit(self.fallback_check.isChecked(), self.wait_edit.text())
        )
        wait = QHBoxLayout()
        wait.addWidget(plain_label("Wait (s)"))
        wait.addWidget(self.wait_edit, 1)
        wait.addWidget(self.save_button)
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        hint = plain_label(
            "The hotspot starts after the wait without a known network, and stops when one "
            "is back in range.",
            wrap=True,
        )
        set_role(hint, "hint")
        column.addWidget(self.fallback_check)
        column.addWidget(hint)
        column.addLayout(wait)
        column.addWidget(self.message)
        show_message(self.message, "")
        return box

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_width(self.facts_box, self, QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def show_hotspot(self, info: HotspotInfo | None, settings: NetworkSettings) -> None:
        """Name, state, and (when ``info`` has it) passphrase and QR code."""
        after = wait_text(settings.hotspot_after_s)
        if info is not None and info.active:
            state = f"On now{f' on {info.device}' if info.device else ''}."
        elif settings.hotspot_fallback:
            state = f"Off. Starts after {after} without a known network."
        else:
            state = "Off. The fallback is turned off."
        self.state.setText(state)
        self.ssid.set_full_text(f"Name: {info.ssid}" if info else "")
        self.ssid.setVisible(info is not None)
        secret = info.passphrase if info else ""
        self.passphrase.set_full_text(f"Passphrase: {secret}")
        self.passphrase.setVisible(bool(secret))
        self._show_qr(wifi_qr_text(info.ssid, secret) if info and secret else "")
        if not self.wait_edit.hasFocus():
            self.fallback_check.setChecked(settings.hotspot_fallback)
            self.wait_edit.setText(str(settings.hotspot_after_s))

    def _show_qr(self, text: str) -> None:
        if text != self.qr_text:
            self.qr_text = text
            self.qr.setPixmap(QPixmap.fromImage(qr_image(text, QR_SIDE_PX)) if text else QPixmap())
        self.qr.setVisible(bool(text))
