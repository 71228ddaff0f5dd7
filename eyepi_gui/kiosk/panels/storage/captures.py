"""The Storage tab's way into the capture browser: a "Browse captures" button per camera
(camera names are plain text)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from eyepi_gui.kiosk.panels.storage.titles import section_title
from eyepi_gui.kiosk.panels.storage.view import CameraName
from eyepi_gui.kiosk.widgets.text import plain_label

NO_CAMERAS = "No camera is connected, so there are no images to browse here."


class BrowseSection(QWidget):
    """Signals: browse_requested(camera_id: str, name: str)."""

    browse_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons: dict[str, QPushButton] = {}
        self.names: dict[str, QLabel] = {}
        self.empty = plain_label(NO_CAMERAS, "hint", wrap=True)
        self._grid = QGridLayout()
        self._grid.setColumnStretch(0, 1)
        self._grid.setHorizontalSpacing(12)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        column.addWidget(section_title("Kept images"))
        column.addWidget(self.empty)
        column.addLayout(self._grid)

    def show_cameras(self, cameras: Sequence[CameraName]) -> None:
        """A row per camera, kept by id; rows of cameras gone are removed."""
        for gone in set(self.buttons) - {c.camera_id for c in cameras}:
            for widget in (self.buttons.pop(gone), self.names.pop(gone)):
                widget.hide()
                widget.deleteLater()
        for camera in cameras:
            if camera.camera_id not in self.buttons:
                button = QPushButton("Browse captures")
                button.clicked.connect(lambda _=False, c=camera.camera_id: self._browse(c))
                name = plain_label("", wrap=True)
                row = self._grid.rowCount()
                self._grid.addWidget(name, row, 0)
                self._grid.addWidget(button, row, 1)
                self.buttons[camera.camera_id], self.names[camera.camera_id] = button, name
            self.names[camera.camera_id].setText(camera.name)
        self.empty.setVisible(not cameras)

    def _browse(self, camera_id: str) -> None:
        self.browse_requested.emit(camera_id, self.names[camera_id].text())
