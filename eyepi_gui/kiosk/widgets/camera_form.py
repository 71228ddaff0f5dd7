"""The camera settings form (ui/camera_settings.ui), validated inline by the pure settings rules."""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QWidget,
)

from eyepi_gui import settings as cfg
from eyepi_gui.domain import naming
from eyepi_gui.errors import InvalidInput
from eyepi_gui.kiosk.widgets.designer import child, fill_with_ui
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, set_role
from eyepi_gui.settings import CameraSettings, StationSettings

FIELDS = tuple(name for name in CameraSettings.model_fields if name != "focus_lock")
"""The fields this form edits (focus is locked and unlocked on the Focus tab)."""
KEEP_CHOICES = (("all", "Keep every image"), ("latest", "Keep only the newest image"))
QUALITY_STEP = 5
_W = TypeVar("_W", bound=QWidget)


class CameraSettingsForm(QWidget):
    """Edits one camera's settings. Every edit is checked with ``settings.with_camera`` (pure,
    on the GUI thread); each field's reason shows under it and Save stays off while any is bad.

    Signals:
        save_requested(camera_id: str, changes: dict): Save pressed; only the fields that differ.
        cancelled(): Cancel pressed.
    """

    save_requested = Signal(str, dict)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("cameraSettingsPage")
        self.ui = fill_with_ui(self, "camera_settings.ui")
        self.camera_id: str | None = None
        self._station = StationSettings()
        self._saving = False
        self.save_button = self._child(QPushButton, "save_button")
        flick_to_scroll(self._child(QScrollArea, "scroll"))
        self._set_up_fields()
        self._connect()

    def _child(self, kind: type[_W], name: str) -> _W:
        return child(self.ui, kind, name)

    def _set_up_fields(self) -> None:
        self.name_edit = self._child(QLineEdit, "name_edit")
        self.enabled_check = self._child(QCheckBox, "enabled_check")
        self.interval_edit = self._child(QLineEdit, "interval_edit")
        self.window_edit = self._child(QLineEdit, "window_edit")
        self.jpg_check = self._child(QCheckBox, "jpg_check")
        self.png_check = self._child(QCheckBox, "png_check")
        self.resolution_edit = self._child(QLineEdit, "resolution_edit")
        self.quality_spin = self._child(QSpinBox, "quality_spin")
        self.keep_combo = self._child(QComboBox, "keep_combo")
        self.filename_edit = self._child(QLineEdit, "filename_edit")
        self.keep_combo.setView(QListView(self.keep_combo))  # lets the theme size touch rows
        for value, text in KEEP_CHOICES:
            self.keep_combo.addItem(text, value)
        names = " ".join(f"{{{name}}}" for name in naming.PLACEHOLDERS)
        self._child(QLabel, "filename_hint").setText(
            f"Placeholders: {names}. {{timestamp}} is required."
        )
        for field in FIELDS:
            self.message(field).hide()

    def _connect(self) -> None:
        for edit in (
            self.name_edit,
            self.interval_edit,
            self.window_edit,
            self.resolution_edit,
            self.filename_edit,
        ):
            edit.textChanged.connect(self.validate)
        for check in (self.enabled_check, self.jpg_check, self.png_check):
            check.toggled.connect(self.validate)
        self.quality_spin.valueChanged.connect(self.validate)
        self.keep_combo.currentIndexChanged.connect(self.validate)
        self._child(QPushButton, "quality_minus").clicked.connect(self._quality_down)
        self._child(QPushButton, "quality_plus").clicked.connect(self._quality_up)
        self._child(QPushButton, "cancel_button").clicked.connect(self.cancelled)
        self.save_button.clicked.connect(self._save)

    def add_section(self, section: QWidget) -> None:
        """Put ``section`` below the fields, in the same scrolling page."""
        fields = self._child(QWidget, "fields")
        grid = fields.layout()
        assert isinstance(grid, QGridLayout)
        grid.addWidget(section, grid.rowCount(), 0, 1, grid.columnCount())

    def message(self, field: str) -> QLabel:
        """The inline message label under ``field`` (a CameraSettings field name)."""
        return self._child(QLabel, f"{field}_message")

    def edit(self, camera_id: str, station: StationSettings) -> None:
        """Show ``camera_id``'s settings from ``station`` (the settings in force)."""
        self.camera_id, self._station, self._saving = None, station, False
        camera = station.camera(camera_id)
        self._child(QLabel, "title").setText(f"Settings: {camera.name}")
        self.name_edit.setText(camera.name)
        self.enabled_check.setChecked(camera.enabled)
        self.interval_edit.setText(_number(camera.interval_s))
        self.window_edit.setText(camera.window)
        self.jpg_check.setChecked("jpg" in camera.formats)
        self.png_check.setChecked("png" in camera.formats)
        self.resolution_edit.setText(camera.resolution)
        self.quality_spin.setValue(camera.jpeg_quality)
        self.keep_combo.setCurrentIndex(max(0, self.keep_combo.findData(camera.keep)))
        self.filename_edit.setText(camera.filename)
        self.camera_id = camera_id
        self.show_error("")
        self.validate()

    def values(self) -> dict[str, Any]:
        """What the fields say now, as CameraSettings input (not yet validated): numbers
        read from their text as the web form reads them."""
        checks = ((self.jpg_check, "jpg"), (self.png_check, "png"))
        return cfg.from_text(
            CameraSettings,
            {
                "name": self.name_edit.text(),
                "enabled": self.enabled_check.isChecked(),
                "interval_s": self.interval_edit.text(),
                "window": self.window_edit.text(),
                "formats": tuple(ext for check, ext in checks if check.isChecked()),
                "resolution": self.resolution_edit.text().strip(),
                "jpeg_quality": self.quality_spin.value(),
                "keep": self.keep_combo.currentData(),
                "filename": self.filename_edit.text(),
            },
        )

    def validate(self) -> dict[str, str]:
        """Check the fields; show each problem under its field. Returns problems by field."""
        if self.camera_id is None:
            return {}
        try:
            cfg.with_camera(self._station, self.camera_id, self.values())
        except InvalidInput as err:
            self.show_problems(err.problems)
            return self._by_field(err.problems)
        self.show_problems({})
        return {}

    def changes(self) -> dict[str, Any]:
        """The validated fields that differ from the settings being edited (raises InvalidInput)."""
        assert self.camera_id is not None, "edit() first"
        updated = cfg.with_camera(self._station, self.camera_id, self.values())
        before, after = self._station.camera(self.camera_id), updated.cameras[self.camera_id]
        return {k: getattr(after, k) for k in FIELDS if getattr(after, k) != getattr(before, k)}

    def show_problems(self, problems: dict[str, str]) -> None:
        """Show reasons keyed by dotted field ("cameras.<id>.<field>"); others go on top."""
        by_field = self._by_field(problems)
        for field in FIELDS:
            label = self.message(field)
            label.setText(by_field.get(field, ""))
            set_role(label, "error")
            label.setVisible(field in by_field)
        others = [f"{key}: {why}" for key, why in problems.items() if self._field(key) is None]
        self.show_error("\n".join(others))
        self.save_button.setEnabled(not by_field and not others and not self._saving)

    def show_error(self, text: str) -> None:
        """A message above the fields (a save that failed for a reason not tied to a field)."""
        label = self._child(QLabel, "form_message")
        label.setText(text)
        set_role(label, "error")
        label.setVisible(bool(text))

    def set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setText("Saving…" if saving else "Save")
        if saving:
            self.save_button.setEnabled(False)
        else:
            self.validate()

    def _field(self, key: str) -> str | None:
        name = key.removeprefix(f"cameras.{self.camera_id}.")
        return name if name in FIELDS else None

    def _by_field(self, problems: dict[str, str]) -> dict[str, str]:
        return {field: why for key, why in problems.items() if (field := self._field(key))}

    def _save(self) -> None:
        if self.camera_id is None or self.validate():
            return
        self.save_requested.emit(self.camera_id, self.changes())

    def _quality_down(self) -> None:
        self.quality_spin.setValue(self.quality_spin.value() - QUALITY_STEP)

    def _quality_up(self) -> None:
        self.quality_spin.setValue(self.quality_spin.value() + QUALITY_STEP)


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() else str(value)
