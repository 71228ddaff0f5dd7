"""Forms drawn in Qt Designer with a message label under each field, and service errors
turned into those messages (each reason next to the field it is about)."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QLabel, QLineEdit, QScrollArea, QWidget

from eyepi_gui.errors import InvalidInput, LoginFailed, TooManyAttempts
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.messages import sentence as say
from eyepi_gui.kiosk.widgets.designer import child, fill_with_ui
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, set_role


def show_message(label: QLabel, text: str, role: str = "error") -> None:
    """Show ``text`` in ``label`` styled as ``role`` ("error", "ok"); hide it when empty."""
    label.setText(text)
    set_role(label, role)
    label.setVisible(bool(text))


def problems_of(
    error: Exception, renamed: Mapping[str, str] | None = None, login_field: str = "form"
) -> dict[str, str]:
    """A service error as reasons per form field: ``renamed`` maps the service's field names
    to the form's, a failed password check goes under ``login_field``, the rest under "form"."""
    renamed = renamed or {}
    if isinstance(error, InvalidInput):
        return {
            renamed.get(field, field): as_sentence(why) for field, why in error.problems.items()
        }
    if isinstance(error, (LoginFailed, TooManyAttempts)):
        return {login_field: say(error)}
    return {"form": say(error)}


class FormPage(QWidget):
    """A Designer form with a ``<field>_message`` label under each field and ``form_message``
    above its buttons."""

    def __init__(self, ui_name: str, fields: tuple[str, ...], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ui = fill_with_ui(self, ui_name)
        self._fields = fields
        self.message = child(self.ui, QLabel, "form_message")
        flick_to_scroll(child(self.ui, QScrollArea, "scroll"))
        self.show_problems({})

    def field_message(self, field: str) -> QLabel:
        return child(self.ui, QLabel, f"{field}_message")

    def show_problems(self, problems: Mapping[str, str]) -> None:
        """Each reason under its field; reasons about no field of this form above the buttons."""
        rest = [reason for field, reason in problems.items() if field not in self._fields]
        for field in self._fields:
            show_message(self.field_message(field), problems.get(field, ""))
        show_message(self.message, " ".join(rest))

    def show_error(self, text: str) -> None:
        """One message above the buttons ("" clears every message)."""
        self.show_problems({"form": text} if text else {})

    def show_failure(self, error: Exception) -> None:
        self.show_problems(problems_of(error))

    def clear(self) -> None:
        """Empty every field (typed passwords never outlive a session) and every message."""
        for edit in self.ui.findChildren(QLineEdit):
            edit.clear()
        self.show_problems({})
