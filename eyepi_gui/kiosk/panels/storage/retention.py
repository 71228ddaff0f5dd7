"""The Storage tab's retention section: on or off, what it keeps free, how young an image
it never deletes, its last run, a dry run ("Preview") listing what would go, and for admins
the settings and "Run now" (a job the main window's job strip shows).

Every service call goes through the TaskRunner. Everyone sees; only an admin at the screen
edits (the service decides, the section only hides what would be refused). Paths and
camera names are shown as plain text.
"""

from __future__ import annotations

from datetime import tzinfo
from functools import partial
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.events import JobChanged, RetentionFreed, SettingsChanged
from eyepi_gui.domain.jobs import JobView
from eyepi_gui.domain.retention import RetentionPlan
from eyepi_gui.kiosk.panel import PanelContext
from eyepi_gui.kiosk.panels.storage import retention_text as text
from eyepi_gui.kiosk.widgets.form_page import problems_of, show_message
from eyepi_gui.kiosk.widgets.reflow import follow_width
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.services.retention import RetentionStatus
from eyepi_gui.settings import from_text
from eyepi_gui.settings.retention import RetentionSettings

_STYLE = "#retentionSection #sectionTitle { font-size: 19px; font-weight: 700; padding-top: 8px; }"
"""The section's title as the Station page has its own (touch.qss styles only that page's)."""
FIELDS = ("enabled", "keep_free_mib", "min_age_days")
_TASKS = ("retention", "retention-save", "retention-preview", "retention-run")
LIST_ROWS_PX = 200
"""The height of the dry run's list: a few rows, the page scrolls past it."""


class RetentionSection(QWidget):
    """Retention's settings, last run and dry run; admins edit and run it.

    Signals:
        job_started(str): "Run now" started a retention job (its id), for the job strip.
    """

    job_started = Signal(str)

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("retentionSection")
        self.setStyleSheet(_STYLE)
        self.context = context
        self._services, self._runner, bridge, self._session = context.parts()
        self._status: RetentionStatus | None = None
        self._tz: tzinfo | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(plain_label("Retention", "sectionTitle"))
        self.summary = plain_label("Loading…", wrap=True)
        self.last_run = plain_label("", wrap=True)
        self.access_note = plain_label("", "accessNote", wrap=True)
        for label in (self.summary, self.last_run, self.access_note):
            layout.addWidget(label)
        layout.addLayout(self._form())
        layout.addLayout(self._buttons())
        self.message = plain_label("", wrap=True)
        self.preview_summary = plain_label("", wrap=True)
        self.preview_list = QListWidget()
        self.preview_list.setObjectName("retentionPreview")
        self.preview_list.setFixedHeight(LIST_ROWS_PX)
        self.preview_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.preview_list.setWordWrap(True)
        self.preview_list.hide()
        for widget in (self.message, self.preview_summary, self.preview_list):
            layout.addWidget(widget)
        show_message(self.message, "")
        show_message(self.preview_summary, "", "hint")
        bridge.service_event.connect(self._on_event)
        self._session.changed.connect(self._session_changed)
        self._set_editable()

    def _form(self) -> QGridLayout:
        self.enabled = QCheckBox("On")
        self.keep_free = QLineEdit()
        self.min_age = QLineEdit()
        self.messages: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        rows = (
            ("enabled", "Deleting", self.enabled, "Delete old exported images to keep room."),
            ("keep_free_mib", "Keep free", self.keep_free, "MiB, above the free-space floor."),
            ("min_age_days", "Keep at least", self.min_age, "Days; younger images never go."),
        )
        for key, label, control, hint in rows:
            row = grid.rowCount()
            grid.addWidget(plain_label(label), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(control, row, 1)
            hint_label = plain_label(hint, wrap=True)
            set_role(hint_label, "hint")
            grid.addWidget(hint_label, row + 1, 1)
            self.messages[key] = plain_label("", wrap=True)
            grid.addWidget(self.messages[key], row + 2, 1)
            show_message(self.messages[key], "")
        return grid

    def _buttons(self) -> QBoxLayout:
        self.preview_button = QPushButton("Preview")
        self.save_button = QPushButton("Save")
        self.run_button = QPushButton("Run now")
        set_role(self.save_button, "primary")
        self.preview_button.clicked.connect(self.preview)
        self.save_button.clicked.connect(self._save)
        self.run_button.clicked.connect(self._run_now)
        self._button_row = row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        for button in (self.preview_button, self.run_button, self.save_button):
            row.addWidget(button)
        row.addStretch(1)
        return row

    # ---- showing ---------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        follow_width(self._button_row, self, QBoxLayout.Direction.LeftToRight)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        """Read the settings, free space, last run and the station's zone off the GUI thread."""
        services = self._services

        def work() -> tuple[RetentionStatus, tzinfo]:
            return services.retention.status(), services.config.tz()

        self._runner.refresh("retention", work, self._show, self._load_failed)

    def _show(self, result: tuple[RetentionStatus, tzinfo]) -> None:
        status, self._tz = result
        self.summary.setText(text.settings_text(status))
        self.last_run.setText(text.last_run_text(status.last_run, self._tz))
        if self._status is None or self._status.settings != status.settings:
            self._fill(status.settings)
        self._status = status

    def _fill(self, settings: RetentionSettings) -> None:
        self.enabled.setChecked(settings.enabled)
        self.keep_free.setText(str(settings.keep_free_mib))
        self.min_age.setText(str(settings.min_age_days))

    def _load_failed(self, error: Exception) -> None:
        self.summary.setText(f"Not loaded: {self.context.say(error)}")

    def _on_event(self, event: object) -> None:
        finished = (
            isinstance(event, JobChanged)
            and event.view.kind.name == "retention"
            and event.view.state.finished
        )
        settings = isinstance(event, SettingsChanged) and any(
            path.startswith("retention") for path in event.changed
        )
        if finished or settings or isinstance(event, RetentionFreed):
            self.refresh()

    def _session_changed(self, _principal: Principal) -> None:
        """Someone else is at the screen: drop edits and tasks still running."""
        for key in _TASKS:
            self._runner.cancel(key)
        if self._status is not None:
            self._fill(self._status.settings)
        self._show_problems({})
        show_message(self.message, "")
        self._set_editable()

    def _set_editable(self, busy: bool = False) -> None:
        reason = self._session.why_not(Permission.STATION_SETTINGS)
        show_message(self.access_note, reason or "", "hint")
        editable = reason is None
        self.enabled.setEnabled(editable)
        for edit in (self.keep_free, self.min_age):
            edit.setReadOnly(not editable)
        for button in (self.save_button, self.run_button):
            button.setVisible(editable)
            button.setEnabled(not busy)

    def _show_problems(self, problems: dict[str, str]) -> None:
        shown = {key.removeprefix("retention."): why for key, why in problems.items()}
        for key in FIELDS:
            show_message(self.messages[key], shown.pop(key, ""))
        show_message(self.message, " ".join(shown.values()))

    # ---- preview ---------------------------------------------------------------------------

    def preview(self) -> None:
        """The dry run, listed under the buttons."""
        self.preview_button.setEnabled(False)
        show_message(self.preview_summary, "Looking at what would go…", "hint")
        work = self._services.retention.preview
        self._runner.run("retention-preview", work, self._show_preview, self._preview_failed)

    def _show_preview(self, plan: RetentionPlan) -> None:
        self.preview_button.setEnabled(True)
        show_message(self.preview_summary, text.preview_text(plan), "hint")
        self.preview_list.clear()
        rows = [text.preview_row(c, self._tz) for c in plan.chosen[: text.PREVIEW_ROWS]]
        if len(plan.chosen) > text.PREVIEW_ROWS:
            rows.append(f"… and {text.images(len(plan.chosen) - text.PREVIEW_ROWS)} more")
        self.preview_list.addItems(rows)
        self.preview_list.setVisible(bool(rows))

    def _preview_failed(self, error: Exception) -> None:
        self.preview_button.setEnabled(True)
        show_message(self.preview_summary, self.context.say(error))

    # ---- admin: save, run now --------------------------------------------------------------

    def changes(self) -> dict[str, Any]:
        """What was edited, as ``RetentionService.update`` takes it (numbers from text by the
        settings' own rules; text that is no number is left for them to name)."""
        typed = {"keep_free_mib": self.keep_free.text(), "min_age_days": self.min_age.text()}
        values: dict[str, Any] = {"enabled": self.enabled.isChecked()}
        values |= from_text(RetentionSettings, typed)
        if self._status is None:
            return values
        before = self._status.settings.model_dump()
        return {key: value for key, value in values.items() if before.get(key) != value}

    def _save(self) -> None:
        changes = self.changes()
        self._show_problems({})
        if not changes:
            show_message(self.message, "Nothing changed.", "hint")
            return
        self._set_editable(busy=True)
        update = partial(self._services.retention.update, self._session.principal, changes)
        self._runner.run("retention-save", update, self._saved, self._save_failed)

    def _saved(self, _settings: RetentionSettings) -> None:
        self._set_editable()
        show_message(self.message, "Saved.", "ok")
        self.refresh()

    def _save_failed(self, error: Exception) -> None:
        self._set_editable()
        self._show_problems(problems_of(error))

    def _run_now(self) -> None:
        self._set_editable(busy=True)
        show_message(self.message, "")
        run = partial(self._services.retention.run_now, self._session.principal)
        self._runner.run("retention-run", run, self._run_started, self._save_failed)

    def _run_started(self, view: JobView) -> None:
        self._set_editable()
        show_message(self.message, "Retention runs now: its progress shows above.", "ok")
        self.job_started.emit(view.job_id)
