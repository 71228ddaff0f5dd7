"""The Network tab's Wi-Fi: networks in range (signal bars, a lock when secured, Join) and
the saved networks (priority up and down, Forget behind a confirm, Addressing for admins).

SSIDs and connection names come from the air and NetworkManager: plain text only.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.network import DeviceKind, SavedNetwork, WifiNetwork
from eyepi_gui.kiosk.panels.network.text import NameLabel
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.reflow import follow_width, text_beside_buttons
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

BARS = 4
NO_NETWORKS = "No Wi-Fi networks in range."
NO_RADIO = "This station has no Wi-Fi device."
PRIORITY_MAX = 999
PRIORITY_MIN = -999


class SignalBars(QWidget):
    """Four rising bars, ``bars`` of them dark, and a small lock when ``secured``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars, self.secured = 0, False
        self.setFixedSize(QSize(44, 28))

    def set_signal(self, bars: int, secured: bool) -> None:
        self.bars, self.secured = bars, secured
        self.setAccessibleName(f"{bars} of {BARS} bars{', secured' if secured else ''}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        for i in range(BARS):
            height = 7 + i * 6
            painter.setBrush(QColor("#0d1117" if i < self.bars else "#c9d1d9"))
            painter.drawRect(QRectF(i * 7, self.height() - height, 5, height))
        if self.secured:
            self._lock(painter)
        painter.end()

    def _lock(self, painter: QPainter) -> None:
        painter.setBrush(QColor("#57606a"))
        painter.drawRoundedRect(QRectF(32, 14, 11, 9), 1.5, 1.5)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QColor("#57606a"))
        painter.drawArc(QRectF(34, 8, 7, 10), 0, 180 * 16)


def network_facts(network: WifiNetwork) -> str:
    """ "WPA2 · 2412 MHz · connected · saved"."""
    parts = [
        "open" if network.open else network.security.strip(),
        f"{network.frequency_mhz} MHz" if network.frequency_mhz else "",
        "connected" if network.in_use else "",
        "saved" if network.known else "",
    ]
    return " · ".join(part for part in parts if part)


class NetworkRow(QFrame):
    """A network in range; Join, or a tap on the row (for those who may), opens the join
    sheet.

    Signals:
        join_requested(network: WifiNetwork)
    """

    join_requested = Signal(object)

    def __init__(self, network: WifiNetwork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("netRow")
        self.network = network
        self.bars = SignalBars()
        self.ssid = NameLabel("netRowTitle")
        self.facts = plain_label("", "netRowFacts", wrap=True)
        self.join_button = QPushButton("Join")
        self.join_button.clicked.connect(lambda: self.join_requested.emit(self.network))
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.ssid)
        text.addWidget(self.facts)
        row = QHBoxLayout(self)
        row.setContentsMargins(12, 4, 10, 4)
        row.setSpacing(12)
        row.addWidget(self.bars)
        row.addLayout(text, 1)
        row.addWidget(self.join_button)
        self.show_network(network)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()  # so the release comes here too

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap anywhere on the row is a tap on Join (when Join is offered)."""
        super().mouseReleaseEvent(event)
        inside = self.rect().contains(event.position().toPoint())
        if inside and event.button() is Qt.MouseButton.LeftButton and self.join_button.isVisible():
            self.join_requested.emit(self.network)

    def show_network(self, network: WifiNetwork) -> None:
        self.network = network
        self.bars.set_signal(network.bars, not network.open)
        self.ssid.set_full_text(network.ssid or "(no name)")
        self.facts.setText(network_facts(network))


class WifiSection(QWidget):
    """Networks in range, Rescan and Hidden network; rows kept by SSID bytes.

    Signals:
        join_requested(network: object): a network's Join (None: a hidden network).
        rescan_requested()
    """

    join_requested = Signal(object)
    rescan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, NetworkRow] = {}
        self._may_join, self._has_radio = False, True
        self.rescan_button = QPushButton("Rescan")
        self.hidden_button = QPushButton("Hidden network")
        self.rescan_button.clicked.connect(self.rescan_requested)
        self.hidden_button.clicked.connect(lambda: self.join_requested.emit(None))
        self.message = plain_label("", wrap=True)
        self.empty = plain_label(NO_NETWORKS, wrap=True)
        self.empty.hide()
        self._rows = QVBoxLayout()
        self._rows.setSpacing(6)
        buttons = QHBoxLayout()
        buttons.addWidget(self.rescan_button)
        buttons.addWidget(self.hidden_button)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(plain_label("Wi-Fi networks in range", "sectionTitle", wrap=True))
        column.addLayout(buttons)
        column.addWidget(self.message)
        column.addWidget(self.empty)
        column.addLayout(self._rows)
        self.message.hide()

    def show_networks(self, networks: list[WifiNetwork]) -> None:
        """Rows in the order given (strongest first); rows of networks gone are removed."""
        keep = {n.ssid_hex for n in networks}
        for gone in set(self.rows) - keep:
            row = self.rows.pop(gone)
            row.hide()
            row.deleteLater()
        for index, network in enumerate(networks):
            if network.ssid_hex not in self.rows:
                self.rows[network.ssid_hex] = NetworkRow(network, self)
                self.rows[network.ssid_hex].join_requested.connect(self.join_requested)
            row = self.rows[network.ssid_hex]
            row.show_network(network)
            row.join_button.setVisible(self._may_join)
            if self._rows.indexOf(row) != index:
                self._rows.removeWidget(row)
                self._rows.insertWidget(index, row)
        self.empty.setVisible(not networks)

    def set_may_join(self, may: bool) -> None:
        self._may_join = may
        for button in (self.rescan_button, self.hidden_button):
            button.setVisible(may and self._has_radio)
        for row in self.rows.values():
            row.join_button.setVisible(may)

    def set_has_radio(self, has: bool) -> None:
        """Whether the station has a Wi-Fi device at all (no scan, no joining without)."""
        if has != self._has_radio:
            self._has_radio = has
            self.empty.setText(NO_NETWORKS if has else NO_RADIO)
            self.set_may_join(self._may_join)

    def set_scanning(self, scanning: bool) -> None:
        self.rescan_button.setEnabled(not scanning)
        self.rescan_button.setText("Scanning…" if scanning else "Rescan")


def saved_facts(profile: SavedNetwork) -> str:
    """ "Wi-Fi · priority 5 · DHCP · up on wlan0"."""
    kind = {DeviceKind.WIFI: "Wi-Fi", DeviceKind.ETHERNET: "Ethernet"}.get(profile.kind, "other")
    ipv4 = profile.ipv4
    address = f"static {ipv4.address}" if ipv4.address else "DHCP"
    parts = [
        "station hotspot" if profile.hotspot else kind,
        f"priority {profile.priority}",
        address,
        f"up on {profile.device}" if profile.device else "",
    ]
    return " · ".join(part for part in parts if part)


class SavedRow(QFrame):
    """A saved profile: Up, Down and Forget (confirmed on the row) for Wi-Fi (an Ethernet
    profile is not an operator's to delete); Addressing.

    Signals:
        move_requested(uuid: str, step: int): +1 up (wins sooner), -1 down.
        forget_requested(uuid: str): Forget confirmed.
        addressing_requested(uuid: str)
    """

    move_requested = Signal(str, int)
    forget_requested = Signal(str)
    addressing_requested = Signal(str)

    def __init__(self, profile: SavedNetwork, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("netRow")
        self.profile = profile
        self.name = NameLabel("netRowTitle")
        self.facts = plain_label("", "netRowFacts", wrap=True)
        self.up_button, self.down_button = QPushButton("Up"), QPushButton("Down")
        self.forget_button = QPushButton("Forget")
        self.addressing_button = QPushButton("Addressing")
        self.up_button.clicked.connect(lambda: self.move_requested.emit(self.profile.uuid, 1))
        self.down_button.clicked.connect(lambda: self.move_requested.emit(self.profile.uuid, -1))
        self.forget_button.clicked.connect(self._ask)
        self.addressing_button.clicked.connect(
            lambda: self.addressing_requested.emit(self.profile.uuid)
        )
        self.confirm = self._confirm_box()
        self._layout()
        self.show_profile(profile)

    def _layout(self) -> None:
        """Name and facts beside the buttons; the buttons under them on narrow windows."""
        buttons = [self.addressing_button, self.up_button, self.down_button, self.forget_button]
        self.box = text_beside_buttons([self.name, self.facts], buttons, button_spacing=8)
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 6, 10, 6)
        column.setSpacing(4)
        column.addLayout(self.box)
        column.addWidget(self.confirm)

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_width(self.box, self, QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def _confirm_box(self) -> QWidget:
        box = QWidget()
        box.setObjectName("netConfirm")
        self.keep_button = QPushButton("Keep")
        self.confirm_button = QPushButton("Forget network")
        set_role(self.confirm_button, "primary")
        self.keep_button.clicked.connect(box.hide)
        self.confirm_button.clicked.connect(lambda: self.forget_requested.emit(self.profile.uuid))
        self.question = NameLabel()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.question, 1)
        row.addWidget(self.keep_button)
        row.addWidget(self.confirm_button)
        box.hide()
        return box

    def _ask(self) -> None:
        self.confirm.show()

    def show_profile(self, profile: SavedNetwork) -> None:
        self.profile = profile
        self.name.set_full_text(profile.name)
        self.facts.setText(saved_facts(profile))
        self.question.set_full_text(f"Forget {profile.name}? Its password is deleted.")

    def set_allowed(self, may_join: bool, may_address: bool, first: bool, last: bool) -> None:
        """Show what the person at the screen may use; Up/Down only where they move it."""
        wifi = self.profile.kind is DeviceKind.WIFI and not self.profile.hotspot
        self.up_button.setVisible(may_join and wifi)
        self.down_button.setVisible(may_join and wifi)
        self.up_button.setEnabled(not first)
        self.down_button.setEnabled(not last)
        self.forget_button.setVisible(may_join and wifi)
        addressable = self.profile.kind in (DeviceKind.WIFI, DeviceKind.ETHERNET)
        self.addressing_button.setVisible(may_address and addressable and not self.profile.hotspot)
        if not may_join:
            self.confirm.hide()


def by_priority(profiles: list[SavedNetwork]) -> list[SavedNetwork]:
    """Highest priority first (it is tried first); then by name."""
    return sorted(profiles, key=lambda p: (p.hotspot, -p.priority, p.name.casefold()))


def moved_priority(ordered: list[SavedNetwork], uuid: str, step: int) -> int | None:
    """The priority that moves ``uuid`` one place up (``step`` 1) or down (-1) among the
    Wi-Fi profiles of ``ordered``; None when it cannot move that way."""
    wifi = [p for p in ordered if p.kind is DeviceKind.WIFI and not p.hotspot]
    index = next((i for i, p in enumerate(wifi) if p.uuid == uuid), None)
    other = None if index is None else index - step
    if index is None or other is None or not 0 <= other < len(wifi):
        return None
    target = wifi[other].priority + step
    return max(PRIORITY_MIN, min(PRIORITY_MAX, target))


class SavedSection(QWidget):
    """Saved profiles, highest priority first. Signals are the rows' (see SavedRow)."""

    move_requested = Signal(str, int)
    forget_requested = Signal(str)
    addressing_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, SavedRow] = {}
        self.ordered: list[SavedNetwork] = []
        self._may = (False, False)
        self.message = plain_label("", wrap=True)
        self.message.hide()
        self.empty = plain_label("No saved networks.", wrap=True)
        self.empty.hide()
        self._rows = QVBoxLayout()
        self._rows.setSpacing(6)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(plain_label("Saved networks", "sectionTitle"))
        column.addWidget(self.message)
        column.addWidget(self.empty)
        column.addLayout(self._rows)

    def show_saved(self, profiles: list[SavedNetwork]) -> None:
        self.ordered = by_priority(profiles)
        for gone in set(self.rows) - {p.uuid for p in profiles}:
            row = self.rows.pop(gone)
            row.hide()
            row.deleteLater()
        for index, profile in enumerate(self.ordered):
            if profile.uuid not in self.rows:
                row = self.rows[profile.uuid] = SavedRow(profile, self)
                row.move_requested.connect(self.move_requested)
                row.forget_requested.connect(self.forget_requested)
                row.addressing_requested.connect(self.addressing_requested)
            row = self.rows[profile.uuid]
            row.show_profile(profile)
            if self._rows.indexOf(row) != index:
                self._rows.removeWidget(row)
                self._rows.insertWidget(index, row)
        self.empty.setVisible(not profiles)
        self.set_allowed(*self._may)

    def set_allowed(self, may_join: bool, may_address: bool) -> None:
        self._may = (may_join, may_address)
        wifi = [p.uuid for p in self.ordered if p.kind is DeviceKind.WIFI and not p.hotspot]
        for uuid, row in self.rows.items():
            first = bool(wifi) and uuid == wifi[0]
            last = bool(wifi) and uuid == wifi[-1]
            row.set_allowed(may_join, may_address, first, last)

    def show_message(self, text: str, role: str = "ok") -> None:
        """What became of a change made on a row ("" hides it)."""
        show_message(self.message, text, role)

    def profile(self, uuid: str) -> SavedNetwork | None:
        return next((p for p in self.ordered if p.uuid == uuid), None)
