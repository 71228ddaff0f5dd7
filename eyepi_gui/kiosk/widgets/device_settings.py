"""A camera's own settings (from the camera itself) as touch controls on its settings page."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QListView, QWidget

from eyepi_gui.domain.camera import CameraSetting
from eyepi_gui.kiosk.widgets.reflow import is_narrow
from eyepi_gui.kiosk.widgets.text import plain_label, set_role


class DeviceSettingsView(QWidget):
    """One row per setting: a menu of the camera's own choices, a text field for free values,
    or plain text for read-only ones. A change is applied at once (no Save needed).

    Signals:
        change_requested(name: str, value: str): a value was picked or typed (Enter).
    """

    change_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("deviceSettings")
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(20)
        self.title = plain_label("The camera's own settings", "sectionTitle")
        self.status = plain_label("Reading the camera…", "hint", wrap=True)
        self.inputs: dict[str, QComboBox | QLineEdit] = {}
        self.messages: dict[str, QLabel] = {}

    def show_settings(self, settings: list[CameraSetting]) -> None:
        """Replace the rows by ``settings`` (untrusted camera text is shown as plain text)."""
        self._clear()
        self._grid.addWidget(self.title, 0, 0, 1, 2)
        self.status.setText("" if settings else "This camera offers no settings.")
        self._grid.addWidget(self.status, 1, 0, 1, 2)
        for index, setting in enumerate(settings):
            self._add_row(2 + 3 * index, setting)

    def show_unavailable(self, reason: str) -> None:
        self._clear()
        self._grid.addWidget(self.title, 0, 0, 1, 2)
        self.status.setText(f"Cannot read the camera's settings: {reason}")
        self._grid.addWidget(self.status, 1, 0, 1, 2)

    def show_result(self, name: str, text: str, ok: bool) -> None:
        """Under setting ``name``: what the camera answered ("" hides the line)."""
        label = self.messages.get(name)
        if label is not None:
            label.setText(text)
            set_role(label, "ok" if ok else "error")

    def set_value(self, setting: CameraSetting) -> None:
        widget = self.inputs.get(setting.name)
        if isinstance(widget, QComboBox):
            widget.blockSignals(True)
            widget.setCurrentIndex(max(0, widget.findText(setting.value)))
            widget.blockSignals(False)
        elif isinstance(widget, QLineEdit):
            widget.setText(setting.value)

    def _add_row(self, row: int, setting: CameraSetting) -> None:
        """Label, input and message on rows ``row`` to ``row + 2``: the label beside the input,
        or above it on a portrait screen (the rows left empty take no room)."""
        message = plain_label("", "fieldMessage", wrap=True)
        self.messages[setting.name] = message
        label = plain_label(setting.label, "fieldLabel")
        if is_narrow(self):
            cells = ((label, row, 0, 1, 2), (self._input(setting), row + 1, 0, 1, 2))
        else:
            cells = ((label, row, 0, 1, 1), (self._input(setting), row, 1, 1, 1))
        for widget, at_row, column, rows, columns in (*cells, (message, row + 2, 0, 1, 2)):
            self._grid.addWidget(widget, at_row, column, rows, columns)

    def _input(self, setting: CameraSetting) -> QWidget:
        if setting.read_only:
            return plain_label(setting.value, "fieldValue", wrap=True)
        if setting.choices:
            menu = QComboBox()
            menu.setView(QListView())  # styled list rows: finger-sized in the touch theme
            menu.addItems(list(setting.choices))
            menu.setCurrentIndex(max(0, menu.findText(setting.value)))
            menu.textActivated.connect(
                lambda value: self.change_requested.emit(setting.name, value)
            )
            self.inputs[setting.name] = menu
            return menu
        edit = QLineEdit(setting.value)
        edit.returnPressed.connect(lambda: self.change_requested.emit(setting.name, edit.text()))
        self.inputs[setting.name] = edit
        return edit

    def _clear(self) -> None:
        for index in reversed(range(self._grid.count())):
            item = self._grid.takeAt(index)
            widget = item.widget() if item is not None else None
            if widget is not None and widget not in (self.title, self.status):
                widget.deleteLater()
        self.inputs.clear()
        self.messages.clear()
