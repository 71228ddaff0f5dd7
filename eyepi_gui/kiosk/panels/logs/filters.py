"""The Logs tab's filters: a search text (substring, or a regular expression with "Regex" on)
always in view, and on a page of their own (``options``, shown while "Filters" is on) the
levels, camera, event kind, time range and "Jump to". Every change is applied as you type:
``changed`` fires DEBOUNCE_MS after the last one. A bad value is said under the field it
names (``show_problem``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta, tzinfo

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain import events
from eyepi_gui.domain.log_entries import LEVELS
from eyepi_gui.kiosk.panels.logs.rows import level_text
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.text import plain_label, set_role

DEBOUNCE_MS = 250
LEVEL_COLUMNS = 3
"""Level buttons a row (two rows of them fit a portrait screen)."""
ANY_CAMERA, ANY_EVENT = "Any camera", "Any event"
TIME_FORMAT = "%Y-%m-%d %H:%M"
_TIME_FIELDS = ("since", "until")


def event_kinds() -> list[str]:
    """The kinds of the station's service events (``domain.events``), sorted."""
    found, todo = set(), [events.Event]
    while todo:
        cls = todo.pop()
        todo += cls.__subclasses__()
        found.add(cls.kind)
    return sorted(found - {events.Event.kind})


class LogFilters(QWidget):
    """Signals:
    changed(): a filter changed and stayed so for DEBOUNCE_MS.
    jump_requested(at: str): "Jump" was pressed with the time typed (text as typed).
    """

    changed = Signal()
    jump_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tz: tzinfo | None = None
        self.debounce = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self.debounce.timeout.connect(self.changed)
        self.text_edit = QLineEdit()
        self.text_edit.setObjectName("logText")
        self.text_edit.setPlaceholderText("Search messages")
        self.text_edit.setClearButtonEnabled(True)
        # Focus (and the on-screen keyboard) only when tapped: showing the tab would
        # otherwise give the first field focus and cover the list with the keyboard.
        self.text_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.regex_button = _toggle("Regex")
        self.options_button = _toggle("Filters")
        self.text_problem = plain_label("", "logTextProblem", wrap=True)
        self.text_problem.hide()
        self.options = self._options()
        self._connect()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        column.addLayout(_row(self.text_edit, self.regex_button, self.options_button))
        column.addWidget(self.text_problem)

    def _options(self) -> QWidget:
        self.level_buttons = {level: _toggle(level_text(level)) for level in LEVELS}
        self.camera_choice = _choice("logCamera", ANY_CAMERA)
        self.event_choice = _choice("logEvent", ANY_EVENT)
        self.add_events(event_kinds())
        self.since_edit = _time_edit("logSince", "From (YYYY-MM-DD HH:MM)")
        self.until_edit = _time_edit("logUntil", "Until")
        self.last_hour_button = QPushButton("Last hour")
        self.last_day_button = QPushButton("Last day")
        self.any_time_button = QPushButton("Any time")
        self.time_problem = plain_label("", "logTimeProblem", wrap=True)
        self.jump_edit = _time_edit("logJump", "Jump to (YYYY-MM-DD HH:MM)")
        self.jump_button = QPushButton("Jump")
        self.jump_problem = plain_label("", "logJumpProblem", wrap=True)
        self.done_button = QPushButton("Show entries")
        set_role(self.done_button, "primary")
        self.done_button.clicked.connect(lambda: self.options_button.setChecked(False))
        options = QWidget()
        options.setObjectName("logFilterOptions")
        column = QVBoxLayout(options)
        column.setContentsMargins(12, 8, 12, 8)
        column.setSpacing(6)
        column.addWidget(plain_label("Levels", "sectionTitle"))
        column.addLayout(_grid(list(self.level_buttons.values()), LEVEL_COLUMNS))
        column.addWidget(plain_label("Camera and event", "sectionTitle"))
        column.addWidget(self.camera_choice)
        column.addWidget(self.event_choice)
        column.addWidget(plain_label("Time", "sectionTitle"))
        column.addLayout(_row(self.since_edit, self.until_edit))
        column.addLayout(
            _row(self.last_hour_button, self.last_day_button, self.any_time_button, stretch=False)
        )
        column.addWidget(self.time_problem)
        column.addLayout(_row(self.jump_edit, self.jump_button))
        column.addWidget(self.jump_problem)
        column.addStretch(1)
        column.addWidget(self.done_button)
        for label in (self.time_problem, self.jump_problem):
            label.hide()
        return options

    def _connect(self) -> None:
        for edit in (self.text_edit, self.since_edit, self.until_edit):
            edit.textChanged.connect(self.debounce.start)
        for button in (self.regex_button, *self.level_buttons.values()):
            button.toggled.connect(self.debounce.start)
        for combo in (self.camera_choice, self.event_choice):
            combo.currentIndexChanged.connect(self.debounce.start)
        self.last_hour_button.clicked.connect(lambda: self.set_last(timedelta(hours=1)))
        self.last_day_button.clicked.connect(lambda: self.set_last(timedelta(days=1)))
        self.any_time_button.clicked.connect(self.any_time)
        self.jump_button.clicked.connect(lambda: self.jump_requested.emit(self.jump_edit.text()))
        self.jump_edit.returnPressed.connect(self.jump_button.click)

    def values(self) -> dict[str, object]:
        """The filter as ``LogService.query`` takes it (text of the time fields as typed)."""
        camera, event = self.camera_choice.currentIndex(), self.event_choice.currentIndex()
        return {
            "levels": [name for name, button in self.level_buttons.items() if button.isChecked()],
            "cameras": [self.camera_choice.currentText()] if camera > 0 else [],
            "events": [self.event_choice.currentText()] if event > 0 else [],
            "since": self.since_edit.text().strip() or None,
            "until": self.until_edit.text().strip() or None,
            "text": self.text_edit.text(),
            "regex": self.regex_button.isChecked(),
        }

    def problem_label(self, field: str) -> QLabel | None:
        """Where a reason about ``field`` shows (None: no field here has that name)."""
        labels = {"text": self.text_problem, "time": self.jump_problem}
        return labels.get(field, self.time_problem if field in _TIME_FIELDS else None)

    def show_problem(self, field: str, text: str) -> bool:
        """Say ``text`` under the field ``field`` names; False when no field here has that
        name. Every other field's message is cleared."""
        labels = {"text": self.text_problem, "time": self.jump_problem}
        labels |= dict.fromkeys(_TIME_FIELDS, self.time_problem)
        for label in set(labels.values()):
            show_message(label, "")
        if field in _TIME_FIELDS or field == "time":
            self.options_button.setChecked(True)
        if field not in labels:
            return False
        name = {"since": "From: ", "until": "Until: "}.get(field, "")
        show_message(labels[field], name + text, "error")
        return True

    def clear_problems(self) -> None:
        self.show_problem("", "")

    def set_last(self, span: timedelta) -> None:
        """Since ``span`` ago, until now on."""
        now = datetime.now(self.tz)
        self.since_edit.setText((now - span).strftime(TIME_FORMAT))
        self.until_edit.clear()

    def any_time(self) -> None:
        self.since_edit.clear()
        self.until_edit.clear()

    def set_cameras(self, cameras: Iterable[str]) -> None:
        """Offer ``cameras`` as well as those offered already (the choice stays)."""
        _offer(self.camera_choice, cameras)

    def add_events(self, kinds: Iterable[str]) -> None:
        """Offer event ``kinds`` as well (kinds seen in the log join the station's own)."""
        _offer(self.event_choice, kinds)


def _offer(combo: QComboBox, names: Iterable[str]) -> None:
    have = {combo.itemText(i) for i in range(1, combo.count())}
    new = sorted(set(names) - have - {""})
    if not new:
        return
    chosen = combo.currentText() if combo.currentIndex() > 0 else None
    combo.blockSignals(True)
    every = sorted(have | set(new))
    while combo.count() > 1:
        combo.removeItem(1)
    combo.addItems(every)
    if chosen is not None:
        combo.setCurrentIndex(every.index(chosen) + 1)
    combo.blockSignals(False)


def _toggle(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setCheckable(True)
    set_role(button, "choice")
    return button


def _choice(name: str, anything: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem(anything)
    return combo


def _time_edit(name: str, placeholder: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _grid(buttons: list[QPushButton], columns: int) -> QGridLayout:
    grid = QGridLayout()
    grid.setSpacing(6)
    for index, button in enumerate(buttons):
        grid.addWidget(button, index // columns, index % columns)
    return grid


def _row(*widgets: QWidget, stretch: bool = True) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for widget in widgets:
        row.addWidget(widget, 1 if stretch and not isinstance(widget, QPushButton | QLabel) else 0)
    if not stretch:
        row.addStretch(1)
    return row
