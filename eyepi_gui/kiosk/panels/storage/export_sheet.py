"""The Storage tab's export sheet: which cameras (checkable, all at first), a date range
(first and last day, YYYY-MM-DD, both included) or everything not yet exported, and Start.
Each reason the service gives is shown under the field it names."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.volumes import Volume
from eyepi_gui.kiosk.panels.storage.drives import drive_facts, drive_title
from eyepi_gui.kiosk.panels.storage.view import CameraName
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.reflow import follow_width, reflow_grid, text_beside_buttons
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, set_role

FIELDS = ("cameras", "first_day", "last_day", "not_exported")
NO_CAMERA = "Pick at least one camera."
DAY_HINT = "YYYY-MM-DD"


def snug(check: QCheckBox) -> None:
    """A check box only as wide as its box and text: taps land there only, so it never
    stretches to a width that looks tappable but is not."""
    check.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)


class ExportSheet(QWidget):
    """Signals:
    submitted(device: str, cameras: object, first_day: str, last_day: str,
        not_exported: bool): ``cameras`` a tuple of camera ids (never empty).
    cancelled()
    """

    submitted = Signal(str, object, str, str, bool)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("storageExportSheet")
        self.device = ""
        self._today = date.today()  # replaced by the station's day in open_for
        self.checks: dict[str, QCheckBox] = {}
        self.title = plain_label("", "title", wrap=True)
        self.facts = plain_label("", "hint", wrap=True)
        self.back_button, self.start_button = QPushButton("Back"), QPushButton("Start export")
        set_role(self.start_button, "primary")
        self.back_button.clicked.connect(self.cancelled)
        self.start_button.clicked.connect(self._submit)
        self.form_message = plain_label("", wrap=True)
        self.messages = {field: plain_label("", wrap=True) for field in FIELDS}
        self.first_edit = self._day_edit("firstDayEdit")
        self.last_edit = self._day_edit("lastDayEdit")
        self.not_exported = QCheckBox("Everything not yet exported")
        self.not_exported.setObjectName("notExported")
        snug(self.not_exported)
        self.not_exported.toggled.connect(self._follow_choice)
        self._build()

    def _day_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(placeholderText=DAY_HINT)
        edit.setObjectName(name)
        edit.setMaxLength(10)
        edit.setInputMethodHints(Qt.InputMethodHint.ImhPreferNumbers)
        return edit

    def _build(self) -> None:
        cameras = QWidget()
        self.camera_box = QVBoxLayout(cameras)
        self.camera_box.setContentsMargins(0, 0, 0, 0)  # in line with the check box below
        self.camera_box.setSpacing(0)
        self.today_button, self.week_button = QPushButton("Today"), QPushButton("Last 7 days")
        self.today_button.clicked.connect(lambda: self._set_days(self._today, self._today))
        self.week_button.clicked.connect(self._last_week)
        quick = QWidget()
        row = QHBoxLayout(quick)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.today_button)
        row.addWidget(self.week_button)
        row.addStretch(1)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(4)
        self.grid.setColumnStretch(1, 1)
        self.grid.addWidget(self.form_message, 0, 0, 1, 2)
        self._row("cameras", "Cameras", cameras)
        self._row("not_exported", "What", self.not_exported)
        self.first_label = self._row("first_day", "First day", self.first_edit)
        self.last_label = self._row("last_day", "Last day", self.last_edit)
        self.grid.addWidget(quick, self.grid.rowCount(), 1)
        self.quick = quick
        reflow_grid(self.grid, self.grid_host)
        self.head = text_beside_buttons([self.title], [self.back_button, self.start_button])
        column = QVBoxLayout(self)
        column.setContentsMargins(16, 6, 16, 0)
        column.setSpacing(4)
        column.addLayout(self.head)
        column.addWidget(self._scroll(), 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The title above the buttons on narrow (portrait) windows."""
        follow_width(self.head, self, QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def _row(self, field: str, caption: str, control: QWidget) -> QLabel:
        row = self.grid.rowCount()
        label = plain_label(caption)
        self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(control, row, 1)
        self.grid.addWidget(self.messages[field], row + 1, 1)
        return label

    def _scroll(self) -> QScrollArea:
        fields = QWidget()
        fields.setObjectName("storageFields")
        column = QVBoxLayout(fields)
        column.setContentsMargins(8, 8, 8, 8)
        column.addWidget(self.facts)
        column.addWidget(self.grid_host)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(fields)
        flick_to_scroll(scroll)
        self.fields_scroll = scroll
        return scroll

    def open_for(self, volume: Volume, cameras: Sequence[CameraName], today: date) -> None:
        """An empty sheet for ``volume``: every camera checked, ``today`` as both days."""
        self.device = volume.device
        self.title.setText(f"Export to {drive_title(volume)}")
        self.facts.setText(drive_facts(volume))
        self._show_cameras(cameras)
        self.not_exported.setChecked(False)
        self._follow_choice(False)
        self._set_days(today, today)
        self._today = today
        self.show_problems({})
        self.set_busy(False)
        self.fields_scroll.verticalScrollBar().setValue(0)

    def _show_cameras(self, cameras: Sequence[CameraName]) -> None:
        for check in self.checks.values():
            check.hide()
            check.deleteLater()
        self.checks = {}
        for camera in cameras:
            check = QCheckBox(camera.name)
            check.setChecked(True)
            self.checks[camera.camera_id] = check
            snug(check)
            self.camera_box.addWidget(check)

    def _last_week(self) -> None:
        self._set_days(self._today - timedelta(days=6), self._today)

    def _set_days(self, first: date, last: date) -> None:
        self.first_edit.setText(first.isoformat())
        self.last_edit.setText(last.isoformat())

    def _follow_choice(self, not_exported: bool) -> None:
        """Days are asked only when not exporting everything not yet exported."""
        for widget in (self.first_label, self.first_edit, self.last_label, self.last_edit):
            widget.setVisible(not not_exported)
        self.quick.setVisible(not not_exported)
        for field in ("first_day", "last_day"):
            if not_exported:
                show_message(self.messages[field], "")

    def chosen(self) -> tuple[str, ...]:
        return tuple(c for c, check in self.checks.items() if check.isChecked())

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each reason under its field; the rest (the drive, the job) above the form."""
        for field, label in self.messages.items():
            show_message(label, problems.get(field, ""))
        rest = [why for field, why in problems.items() if field not in self.messages]
        show_message(self.form_message, " ".join(rest))

    def set_busy(self, busy: bool) -> None:
        self.start_button.setEnabled(not busy)
        self.back_button.setEnabled(not busy)
        self.start_button.setText("Starting…" if busy else "Start export")

    def _submit(self) -> None:
        cameras = self.chosen()
        if not cameras:
            self.show_problems({"cameras": NO_CAMERA})
            return
        self.show_problems({})
        everything = self.not_exported.isChecked()
        first = "" if everything else self.first_edit.text().strip()
        last = "" if everything else self.last_edit.text().strip()
        self.submitted.emit(self.device, cameras, first, last, everything)
