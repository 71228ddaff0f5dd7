"""The Network tab's top: the addresses to type into a browser (large), the hostname, the
change waiting for confirmation with its countdown, and one row per network device.

Everything shown here comes from NetworkManager or a scan (connection names, SSIDs, the
hostname): plain text only.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QPushButton, QVBoxLayout, QWidget

from eyepi_gui.domain.network import DeviceKind, NetworkDevice, NetworkStatus, PendingChange
from eyepi_gui.kiosk.panels.network.text import NameLabel
from eyepi_gui.kiosk.widgets.reflow import follow_width, text_beside_buttons
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

TICK_MS = 1000
NO_ADDRESS = "No address: the station is on no network."


def addresses_text(status: NetworkStatus) -> str:
    """The reachable addresses, one a line (IPv4 first), or NO_ADDRESS."""
    return "\n".join(status.reachable) or NO_ADDRESS


def left_text(left_s: float) -> str:
    """ "Undone in 42 s unless kept." (whole seconds, rounded up)."""
    return f"Undone in {math.ceil(left_s)} s unless kept."


class StatusHeader(QWidget):
    """The reachable addresses in large type and the hostname under them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("netHeader")
        self.addresses = plain_label(NO_ADDRESS, "netAddresses", wrap=True)
        self.hostname = NameLabel("netHostname")
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(plain_label("Open in a browser", "netCaption"))
        column.addWidget(self.addresses)
        column.addWidget(self.hostname)

    def show_status(self, status: NetworkStatus) -> None:
        self.addresses.setText(addresses_text(status))
        self.hostname.set_full_text(f"Hostname: {status.hostname}" if status.hostname else "")
        self.hostname.setVisible(bool(status.hostname))


class PendingBanner(QFrame):
    """A change that undoes itself unless kept: what, by whom, a countdown ticking each
    second from ``clock`` (epoch s; no I/O on a tick), Keep and Undo now.

    Signals:
        confirm_requested(change_id: str): Keep pressed.
        revert_requested(change_id: str): Undo now pressed.
        expired(): the countdown reached 0 (NetworkManager undoes the change now).
    """

    confirm_requested = Signal(str)
    revert_requested = Signal(str)
    expired = Signal()

    def __init__(
        self, clock: Callable[[], float] = time.time, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("netPending")
        self.clock = clock
        self.change: PendingChange | None = None
        self.what = NameLabel("netPendingWhat")
        self.countdown = plain_label("", "netCountdown", wrap=True)
        self.confirm_button = QPushButton("Keep change")
        set_role(self.confirm_button, "primary")
        self.revert_button = QPushButton("Undo now")
        self.confirm_button.clicked.connect(lambda: self._ask(confirm=True))
        self.revert_button.clicked.connect(lambda: self._ask(confirm=False))
        self.timer = QTimer(self, interval=TICK_MS)
        self.timer.timeout.connect(self.tick)
        self._layout()
        self.hide()

    def _layout(self) -> None:
        """Text beside the buttons; the buttons under it on narrow (portrait) windows."""
        self.box = text_beside_buttons(
            [self.countdown, self.what], [self.revert_button, self.confirm_button]
        )
        self.setLayout(self.box)
        self.box.setContentsMargins(12, 4, 8, 4)

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_width(self.box, self, QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def show_change(self, change: PendingChange | None, may_act: bool) -> None:
        """Show ``change`` (None hides the banner); its buttons only for ``may_act``."""
        self.change = change
        if change is None:
            self.timer.stop()
            self.hide()
            return
        self.what.set_full_text(f"{change.what}, by {change.by}.")
        for button in (self.confirm_button, self.revert_button):
            button.setVisible(may_act)
        self.tick()
        if not self.timer.isActive():
            self.timer.start()
        self.show()

    def set_busy(self, busy: bool) -> None:
        for button in (self.confirm_button, self.revert_button):
            button.setEnabled(not busy)

    def tick(self) -> None:
        if self.change is None:
            return
        left = self.change.left_s(self.clock())
        self.countdown.setText(left_text(left))
        if left <= 0:
            self.timer.stop()
            self.expired.emit()

    def _ask(self, confirm: bool) -> None:
        if self.change is not None:
            signal = self.confirm_requested if confirm else self.revert_requested
            signal.emit(self.change.change_id)


def device_title(device: NetworkDevice) -> str:
    """ "wlan0 · Wi-Fi · connected"."""
    kind = {DeviceKind.WIFI: "Wi-Fi", DeviceKind.ETHERNET: "Ethernet"}.get(device.kind, "other")
    return f"{device.name} · {kind} · {device.state}"


def device_facts(device: NetworkDevice) -> str:
    """What a device has now, one fact a line; empty facts are left out."""
    wifi = ""
    if device.ssid is not None:
        signal = f" ({device.signal} %)" if device.signal is not None else ""
        wifi = f"Wi-Fi: {device.ssid}{signal}"
    facts = (
        f"Connection: {device.connection}" if device.connection else "",
        wifi,
        f"Addresses: {', '.join(device.addresses)}" if device.addresses else "",
        f"Gateway: {device.gateway}" if device.gateway else "",
        f"DNS: {', '.join(device.dns)}" if device.dns else "",
    )
    return "\n".join(fact for fact in facts if fact)


class DeviceRow(QFrame):
    """One device: name, kind, state; connection, Wi-Fi, addresses, gateway, DNS."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("netRow")
        self.title = NameLabel("netRowTitle")
        self.facts = NameLabel("netRowFacts")
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 6, 12, 6)
        column.setSpacing(2)
        column.addWidget(self.title)
        column.addWidget(self.facts)

    def show_device(self, device: NetworkDevice) -> None:
        self.title.set_full_text(device_title(device))
        facts = device_facts(device)
        self.facts.set_full_text(facts)
        self.facts.setVisible(bool(facts))
        set_role(self, "on" if device.connected else "")


class DeviceList(QWidget):
    """A row per device (loopback left out), kept by name and updated in place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, DeviceRow] = {}
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(6)

    def show_devices(self, devices: tuple[NetworkDevice, ...]) -> None:
        shown = [d for d in devices if d.kind is not DeviceKind.LOOPBACK]
        for gone in set(self.rows) - {d.name for d in shown}:
            row = self.rows.pop(gone)
            row.hide()
            row.deleteLater()
        for index, device in enumerate(shown):
            if device.name not in self.rows:
                self.rows[device.name] = DeviceRow(self)
                self._column.insertWidget(index, self.rows[device.name])
            row = self.rows[device.name]
            row.show_device(device)
