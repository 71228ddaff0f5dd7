"""The Storage tab's removable drives: a row per drive plugged in (label, filesystem, size,
free space), each with Export… and Eject for those who may export, Support bundle for those
who may make one (the same people today), and Refresh.

Labels come from the stick: plain text only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from eyepi_gui.domain.volumes import Volume
from eyepi_gui.kiosk.formatting import bytes_text
from eyepi_gui.kiosk.panels.storage.titles import section_title
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.reflow import follow_width, text_beside_buttons
from eyepi_gui.kiosk.widgets.text import plain_label

NO_DRIVES = "No USB drive is plugged in. Plug one in to export images."


def drive_title(volume: Volume) -> str:
    """The stick's label, or what the drive is when it has none."""
    if volume.label:
        return volume.label
    made = " ".join(part for part in (volume.vendor, volume.model) if part)
    return made or "USB drive"


def drive_facts(volume: Volume) -> str:
    """ "/dev/sdb1 · exfat · 64.0 GB · 12.3 GB free" (what is known of it)."""
    if not volume.has_medium:
        return f"{volume.device} · no card or medium"
    kind = volume.fstype or "no filesystem (format it first)"
    free = f"{bytes_text(volume.free)} free" if volume.free is not None else "not mounted"
    parts = [volume.device, kind, bytes_text(volume.size), free]
    if volume.read_only:
        parts.append("read-only")
    return " · ".join(parts)


def exportable(volume: Volume) -> bool:
    """Whether an export could be written there at all (the job checks the rest)."""
    return volume.has_medium and volume.fstype is not None and not volume.read_only


class DriveRow(QFrame):
    """One drive. Signals: export_requested(device: str), eject_requested(device: str),
    bundle_requested(device: str)."""

    export_requested = Signal(str)
    eject_requested = Signal(str)
    bundle_requested = Signal(str)

    def __init__(self, volume: Volume, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storageRow")
        self.volume = volume
        self.title = plain_label("", "storageRowTitle", wrap=True)
        self.facts = plain_label("", "storageRowFacts", wrap=True)
        self.export_button = QPushButton("Export…")
        self.eject_button = QPushButton("Eject")
        self.bundle_button = QPushButton("Support bundle")
        self.export_button.clicked.connect(lambda: self.export_requested.emit(self.volume.device))
        self.eject_button.clicked.connect(lambda: self.eject_requested.emit(self.volume.device))
        self.bundle_button.clicked.connect(lambda: self.bundle_requested.emit(self.volume.device))
        self.box = text_beside_buttons(
            [self.title, self.facts], [self.bundle_button, self.eject_button, self.export_button]
        )
        self.setLayout(self.box)
        self.box.setContentsMargins(12, 6, 10, 6)
        self.show_volume(volume)

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_width(self.box, self, QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def show_volume(self, volume: Volume) -> None:
        self.volume = volume
        self.title.setText(drive_title(volume))
        self.facts.setText(drive_facts(volume))
        self.export_button.setEnabled(exportable(volume))
        self.bundle_button.setEnabled(exportable(volume))

    def set_allowed(self, may_export: bool, may_bundle: bool) -> None:
        self.export_button.setVisible(may_export)
        self.eject_button.setVisible(may_export)
        self.bundle_button.setVisible(may_bundle)


class DrivesSection(QWidget):
    """The removable drives, kept by device and updated in place; Refresh asks again.
    Signals: the rows' (see DriveRow), and refresh_requested()."""

    export_requested = Signal(str)
    eject_requested = Signal(str)
    bundle_requested = Signal(str)
    refresh_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: dict[str, DriveRow] = {}
        self._may_export = self._may_bundle = False
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.refresh_requested)
        self.message = plain_label("", wrap=True)
        self.message.hide()
        self.empty = plain_label(NO_DRIVES, "hint", wrap=True)
        self._rows = QVBoxLayout()
        self._rows.setSpacing(6)
        head = QHBoxLayout()
        head.addWidget(section_title("USB drives"), 1)
        head.addWidget(self.refresh_button)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addLayout(head)
        column.addWidget(self.message)
        column.addWidget(self.empty)
        column.addLayout(self._rows)

    def show_drives(self, drives: tuple[Volume, ...], problem: str | None) -> None:
        """A row per drive in the order given; rows of drives pulled out are removed."""
        for gone in set(self.rows) - {v.device for v in drives}:
            row = self.rows.pop(gone)
            row.hide()
            row.deleteLater()
        for index, volume in enumerate(drives):
            if volume.device not in self.rows:
                row = self.rows[volume.device] = DriveRow(volume, self)
                row.export_requested.connect(self.export_requested)
                row.eject_requested.connect(self.eject_requested)
                row.bundle_requested.connect(self.bundle_requested)
                row.set_allowed(self._may_export, self._may_bundle)
                self._rows.insertWidget(index, row)
            self.rows[volume.device].show_volume(volume)
        self.empty.setText(f"USB drives cannot be listed: {problem}" if problem else NO_DRIVES)
        self.empty.setVisible(not drives)

    def set_allowed(self, may_export: bool, may_bundle: bool) -> None:
        self._may_export, self._may_bundle = may_export, may_bundle
        for row in self.rows.values():
            row.set_allowed(may_export, may_bundle)

    def show_message(self, text: str, role: str = "ok") -> None:
        """What became of an eject ("" hides it)."""
        show_message(self.message, text, role)

    def volume(self, device: str) -> Volume | None:
        row = self.rows.get(device)
        return row.volume if row is not None else None
