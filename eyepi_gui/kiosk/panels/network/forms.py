"""The Network tab's sheets: joining a Wi-Fi network (the password is typed and sent, never
shown: its field echoes dots and is emptied whenever the sheet opens or closes) and a saved
profile's addressing (DHCP or static), each reason under the field it is about."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.network import AddressMethod, SavedNetwork, WifiNetwork
from eyepi_gui.domain.network_rules import whole_number
from eyepi_gui.kiosk.panels.network.text import NameLabel
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.reflow import reflow_grid
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, set_role

ADDRESS_FIELDS = ("ipv4.method", "ipv4.address", "ipv4.prefix", "ipv4.gateway", "ipv4.dns")
JOIN_FIELDS = ("ssid", "password")
_HIDDEN_TEXT = Qt.InputMethodHint.ImhHiddenText | Qt.InputMethodHint.ImhSensitiveData


class SheetPage(QWidget):
    """A page of the tab: a title with Back and the action button, a message, and a
    scrolling "label | field" grid with a message label under each field."""

    cancelled = Signal()

    def __init__(self, name: str, action: str, fields: tuple[str, ...]) -> None:
        super().__init__()
        self.setObjectName(name)
        self.title = NameLabel("title")
        self.back_button = QPushButton("Back")
        self.action_button = QPushButton(action)
        set_role(self.action_button, "primary")
        self.back_button.clicked.connect(self.cancelled)
        self.form_message = plain_label("", wrap=True)
        self.messages = {field: plain_label("", wrap=True) for field in fields}
        self.fields = QWidget()
        self.fields.setObjectName("netFields")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.grid.addWidget(self.form_message, 0, 0, 1, 2)
        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.back_button)
        head.addWidget(self.action_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 6, 16, 0)
        column.setSpacing(4)
        column.addLayout(head)
        column.addWidget(self._scroll(), 1)

    def _scroll(self) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        column = QVBoxLayout(self.fields)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.grid_host)
        column.addStretch(1)  # the rows stay together at the top
        scroll.setWidget(self.fields)
        flick_to_scroll(scroll)
        return scroll

    def add_row(self, field: str, caption: str, control: QWidget) -> QLabel:
        """``caption | control`` with the field's message under the control."""
        row = self.grid.rowCount()
        label = plain_label(caption)
        self.grid.addWidget(label, row, 0)
        self.grid.addWidget(control, row, 1)
        self.grid.addWidget(self.messages[field], row + 1, 1)
        return label

    def finish_grid(self) -> None:
        """Labels go above their fields on narrow (portrait) windows."""
        reflow_grid(self.grid, self.grid_host)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each reason under its field; the rest above the form."""
        for field, label in self.messages.items():
            show_message(label, problems.get(field, ""))
        rest = [why for field, why in problems.items() if field not in self.messages]
        show_message(self.form_message, " ".join(rest))

    def set_busy(self, busy: bool) -> None:
        self.action_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)


HIDDEN_HINT = "Leave empty for an open network. Never shown again."
SECURED_HINT = "The network's password. Never shown again."
OPEN_HINT = "An open network: no password, and anyone nearby can read its traffic."


class JoinSheet(SheetPage):
    """Join a network from the scan (its name fixed) or a hidden one (name typed).

    Signals:
        submitted(ssid: str, ssid_hex: object, password: str, hidden: bool): ``ssid_hex``
            the scanned bytes (None for a typed name).
        cancelled()
    """

    submitted = Signal(str, object, str, bool)

    def __init__(self) -> None:
        super().__init__("netJoinSheet", "Join", JOIN_FIELDS)
        self.network: WifiNetwork | None = None
        self.ssid_edit = QLineEdit(placeholderText="The network's exact name")
        self.ssid_edit.setObjectName("ssidEdit")
        self.ssid_edit.setMaxLength(64)
        self.password_edit = QLineEdit(placeholderText="8 to 63 characters")
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setInputMethodHints(_HIDDEN_TEXT)
        self.password_edit.setMaxLength(64)
        self.ssid_label = self.add_row("ssid", "Network", self.ssid_edit)
        self.add_row("password", "Password", self.password_edit)
        self.hint = plain_label(HIDDEN_HINT, wrap=True)
        set_role(self.hint, "hint")
        self.grid.addWidget(self.hint, self.grid.rowCount(), 1)
        self.finish_grid()
        self.action_button.clicked.connect(self._submit)
        self.password_edit.returnPressed.connect(self._submit)

    def open_for(self, network: WifiNetwork | None) -> None:
        """Empty the sheet for ``network`` (None: a hidden network, its name typed)."""
        self.network = network
        self.clear()
        hidden = network is None
        self.title.set_full_text(
            "Join a hidden network" if network is None else f"Join {network.ssid}"
        )
        self.ssid_label.setVisible(hidden)
        self.ssid_edit.setVisible(hidden)
        self.password_edit.setEnabled(network is None or not network.open)
        self.hint.setText(
            HIDDEN_HINT if network is None else OPEN_HINT if network.open else SECURED_HINT
        )
        self.set_busy(False)

    def focus_first(self) -> None:
        edit = self.ssid_edit if self.network is None else self.password_edit
        edit.setFocus()

    def clear(self) -> None:
        """Forget what was typed (the password first) and every message."""
        self.password_edit.clear()
        self.ssid_edit.clear()
        self.show_problems({})

    def _submit(self) -> None:
        self.show_problems({})
        network = self.network
        if network is None:
            self.submitted.emit(self.ssid_edit.text(), None, self.password_edit.text(), True)
        else:
            self.submitted.emit(network.ssid, network.ssid_hex, self.password_edit.text(), False)


def prefix_of(text: str) -> int | None:
    """The typed prefix length as a number (None when it is not one: the service says why)."""
    return whole_number(text.strip().lstrip("/"))


class AddressingPage(SheetPage):
    """DHCP or static addressing of one saved profile.

    Signals:
        submitted(uuid: str, method: str, address: str, prefix: object, gateway: str,
            dns: str): ``method`` "auto" or "manual"; ``prefix`` an int or None.
        cancelled()
    """

    submitted = Signal(str, str, str, object, str, str)

    def __init__(self) -> None:
        super().__init__("netAddressingPage", "Save", ADDRESS_FIELDS)
        self.uuid = ""
        self.dhcp_button, self.static_button = QPushButton("DHCP"), QPushButton("Static")
        choice = QWidget()
        row = QHBoxLayout(choice)
        row.setContentsMargins(0, 0, 0, 0)
        for button in (self.dhcp_button, self.static_button):
            button.setCheckable(True)
            button.setAutoExclusive(True)
            set_role(button, "choice")
            row.addWidget(button)
        row.addStretch(1)
        self.address_edit = QLineEdit(placeholderText="e.g. 192.168.1.20")
        self.prefix_edit = QLineEdit(placeholderText="e.g. 24")
        self.gateway_edit = QLineEdit(placeholderText="e.g. 192.168.1.1")
        self.dns_edit = QLineEdit(placeholderText="e.g. 192.168.1.1, 9.9.9.9")
        self.add_row("ipv4.method", "Method", choice)
        self.static_rows = [
            (self.add_row("ipv4.address", "Address", self.address_edit), self.address_edit),
            (self.add_row("ipv4.prefix", "Prefix", self.prefix_edit), self.prefix_edit),
            (self.add_row("ipv4.gateway", "Gateway", self.gateway_edit), self.gateway_edit),
        ]
        self.add_row("ipv4.dns", "DNS", self.dns_edit)
        self.finish_grid()
        self.static_button.toggled.connect(self._follow_method)
        self.action_button.clicked.connect(self._submit)

    def open_for(self, profile: SavedNetwork) -> None:
        """Fill the form with ``profile``'s addressing."""
        self.uuid = profile.uuid
        self.title.set_full_text(f"Addressing: {profile.name}")
        ipv4 = profile.ipv4
        address, _, prefix = (ipv4.address or "").partition("/")
        self.address_edit.setText(address)
        self.prefix_edit.setText(prefix)
        self.gateway_edit.setText(ipv4.gateway or "")
        self.dns_edit.setText(", ".join(ipv4.dns))
        static = ipv4.method is AddressMethod.STATIC
        (self.static_button if static else self.dhcp_button).setChecked(True)
        self._follow_method(static)
        self.show_problems({})
        self.set_busy(False)

    def _follow_method(self, static: bool) -> None:
        for label, edit in self.static_rows:
            label.setVisible(static)
            edit.setVisible(static)

    def method(self) -> str:
        return str(AddressMethod.STATIC if self.static_button.isChecked() else AddressMethod.DHCP)

    def _submit(self) -> None:
        self.show_problems({})
        static = self.static_button.isChecked()
        self.submitted.emit(
            self.uuid,
            self.method(),
            self.address_edit.text().strip() if static else "",
            prefix_of(self.prefix_edit.text()) if static else None,
            self.gateway_edit.text().strip() if static else "",
            self.dns_edit.text().strip(),
        )
