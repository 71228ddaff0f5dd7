"""The Station page's station-wide fields: each one knows its dotted path in station.toml
("remote.port"), the control that edits it and the label under it for its error.

The form only reads and shows values: numbers typed as text are turned into numbers by the
settings' own rules (``settings.from_text``) and the service validates everything on Save.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from eyepi_gui import settings as cfg
from eyepi_gui.kiosk.panels.station.zone import ZonePicker
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.settings import StationSettings

SECTION_MODELS: Mapping[str, type[BaseModel]] = {
    "": StationSettings,
    "security": cfg.SecuritySettings,
    "preview": cfg.PreviewSettings,
    "remote": cfg.RemoteSettings,
}
"""The model whose rules read each section's typed numbers."""


@dataclass(frozen=True)
class FieldSpec:
    """One setting on the page: dotted ``path``, its ``label``, a ``hint`` under it, and for a
    switch the text beside the box (``check``); otherwise it is typed or (timezone) picked."""

    path: str
    label: str
    hint: str = ""
    check: str = ""


SECTIONS: tuple[tuple[str, tuple[FieldSpec, ...]], ...] = (
    (
        "Station",
        (
            FieldSpec("station_name", "Name", "Shown on the status bar and the web pages."),
            FieldSpec("timezone", "Time zone", "Capture windows and file-name dates use it."),
            FieldSpec(
                "free_space_floor_mib", "Free-space floor", "MiB. Capture pauses below this."
            ),
            FieldSpec("capture_timeout_s", "Capture timeout", "Seconds a capture may take."),
        ),
    ),
    (
        "Screen lock",
        (
            FieldSpec("security.auto_lock_s", "Auto-lock", "Idle seconds; 0 = never, else 30+."),
            FieldSpec(
                "security.viewer_when_locked",
                "Locked",
                "Viewers see the cameras while the screen is locked.",
                check="Show cameras",
            ),
        ),
    ),
    (
        "Live view",
        (FieldSpec("preview.max_fps", "Frame rate", "Frames per second at most (1 to 30)."),),
    ),
    (
        "Remote endpoint",
        (
            FieldSpec("remote.enabled", "Web access", "Serve the web pages and API.", check="On"),
            FieldSpec("remote.bind", "Listen on", "0.0.0.0 every network, 127.0.0.1 this only."),
            FieldSpec("remote.port", "Port", "0 to 65535."),
            FieldSpec(
                "remote.tls",
                "TLS",
                "Self-signed unless a certificate is configured.",
                check="HTTPS",
            ),
        ),
    ),
)
LABEL_PX = 150
"""The width of the label column, the same in every section of the page."""
FIELDS = tuple(spec.path for _, specs in SECTIONS for spec in specs)


def value_at(settings: StationSettings, path: str) -> Any:
    """The value of dotted ``path`` ("remote.port") in ``settings``."""
    value: Any = settings
    for key in path.split("."):
        value = getattr(value, key)
    return value


def shown(value: Any) -> Any:
    """A setting as its control holds it: numbers as text ("300", "12.5"), the rest as is."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


class StationFields(QWidget):
    """Every station-wide setting in titled sections, a message label under each.

    ``fill`` shows settings, ``changes`` returns what was edited as ``update_station`` takes
    it (sections as tables), ``show_problems`` puts reasons under their fields.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stationFields")
        self.edits: dict[str, QLineEdit] = {}
        self.checks: dict[str, QCheckBox] = {}
        self.zone = ZonePicker()
        self.messages: dict[str, QLabel] = {}
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        for title, specs in SECTIONS:
            column.addWidget(plain_label(title, "sectionTitle"))
            column.addLayout(self._grid(specs))

    def _grid(self, specs: tuple[FieldSpec, ...]) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, LABEL_PX)
        for spec in specs:
            row = grid.rowCount()
            label = plain_label(spec.label)
            grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self._control(spec), row, 1)
            if spec.hint:
                hint = plain_label(spec.hint, wrap=True)
                set_role(hint, "hint")
                grid.addWidget(hint, grid.rowCount(), 1)
            self.messages[spec.path] = plain_label("", wrap=True)
            grid.addWidget(self.messages[spec.path], grid.rowCount(), 1)
            show_message(self.messages[spec.path], "")
        return grid

    def _control(self, spec: FieldSpec) -> QWidget:
        if spec.path == "timezone":
            return self.zone
        if spec.check:
            self.checks[spec.path] = QCheckBox(spec.check)
            return self.checks[spec.path]
        edit = QLineEdit()
        edit.setObjectName(spec.path.replace(".", "_") + "_edit")
        self.edits[spec.path] = edit
        return edit

    def value(self, path: str) -> Any:
        """What the control of ``path`` holds now (text for typed fields)."""
        if path == "timezone":
            return self.zone.value()
        if path in self.checks:
            return self.checks[path].isChecked()
        return self.edits[path].text()

    def set_value(self, path: str, value: Any) -> None:
        if path == "timezone":
            self.zone.set_value(value)
        elif path in self.checks:
            self.checks[path].setChecked(value)
        else:
            self.edits[path].setText(shown(value))

    def fill(self, settings: StationSettings, before: StationSettings | None = None) -> None:
        """Show ``settings``. With ``before`` (what was shown), fields edited since keep
        what was typed: a change made elsewhere never wipes an edit in progress."""
        for path in FIELDS:
            if before is None or self.value(path) == shown(value_at(before, path)):
                self.set_value(path, value_at(settings, path))

    def edited(self, settings: StationSettings) -> list[str]:
        """The paths whose control differs from ``settings``."""
        return [path for path in FIELDS if self.value(path) != shown(value_at(settings, path))]

    def changes(self, settings: StationSettings) -> dict[str, Any]:
        """The edited values as ``update_station`` takes them: ``{"station_name": "x",
        "remote": {"port": 8081}}``, numbers read from their text by each section's rules."""
        typed: dict[str, dict[str, Any]] = {}
        for path in self.edited(settings):
            section, _, key = path.rpartition(".")
            typed.setdefault(section, {})[key] = self.value(path)
        changes: dict[str, Any] = {}
        for section, values in typed.items():
            read = cfg.from_text(SECTION_MODELS[section], values)
            changes.update({section: read} if section else read)
        return changes

    def show_problems(self, problems: Mapping[str, str]) -> list[str]:
        """Each reason under its field; returns the reasons about no field of this page."""
        for path, label in self.messages.items():
            show_message(label, problems.get(path, ""))
        rest = {field: why for field, why in problems.items() if field not in FIELDS}
        return [why if field == "form" else f"{field}: {why}" for field, why in rest.items()]

    def set_editable(self, editable: bool) -> None:
        """Typed fields read-only, switches and the zone list off (a viewer sees values)."""
        for edit in self.edits.values():
            edit.setReadOnly(not editable)
        for check in self.checks.values():
            check.setEnabled(editable)
        self.zone.set_editable(editable)
