"""The camera settings form: inline validation, Save only when valid, nothing saved when bad."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from eyepi_gui.kiosk.widgets.camera_form import FIELDS

LEFT = Qt.MouseButton.LeftButton
BAD_VALUES = [
    ("interval_s", "0.1", "must be a number from 0.5 to 86400 (seconds)"),
    ("interval_s", "nan", "must be a number from 0.5 to 86400 (seconds)"),
    ("interval_s", "true", "must be a number from 0.5 to 86400 (seconds)"),
    ("interval_s", "soon", "must be a number from 0.5 to 86400 (seconds)"),
    ("interval_s", "1_0", "must be a number from 0.5 to 86400 (seconds)"),
    ("window", "25:00-03:00", "HH:MM-HH:MM"),
    ("filename", "{bogus}", "unknown placeholder {bogus}"),
    ("resolution", "big", "WIDTHxHEIGHT"),
    ("name", "", "must not be empty"),
]


def edit_for(form, field) -> QLineEdit:
    return {
        "name": form.name_edit,
        "interval_s": form.interval_edit,
        "window": form.window_edit,
        "resolution": form.resolution_edit,
        "filename": form.filename_edit,
    }[field]


def test_the_form_has_every_camera_setting(panel, open_form):
    form = open_form("sim-1")
    for field in FIELDS:
        assert not form.message(field).isVisible(), field
    assert form.interval_edit.text() == "86400"
    assert form.window_edit.text() == "always"
    assert form.jpg_check.isChecked() and not form.png_check.isChecked()
    assert form.keep_combo.currentData() == "all"
    assert form.save_button.isEnabled()


@pytest.mark.parametrize(("field", "value", "reason"), BAD_VALUES)
def test_a_bad_value_is_named_next_to_its_field_and_nothing_is_saved(
    field, value, reason, panel, services, eyepi_home, qtbot, open_form
):
    toml_before = (eyepi_home / "station.toml").read_bytes()
    settings_before = services.config.camera("sim-1")
    form = open_form("sim-1")
    edit = edit_for(form, field)
    edit.clear()
    qtbot.keyClicks(edit, value)
    message = form.message(field)
    qtbot.waitUntil(message.isVisible)
    assert reason in message.text()
    assert message.textFormat() == Qt.TextFormat.PlainText
    others = [f for f in FIELDS if f != field]
    assert not any(form.message(f).isVisible() for f in others)
    assert not form.save_button.isEnabled()
    qtbot.mouseClick(form.save_button, LEFT)
    assert not panel._runner.is_running("save:sim-1")
    assert panel.stack.currentWidget() is form
    assert (eyepi_home / "station.toml").read_bytes() == toml_before
    assert services.config.camera("sim-1") == settings_before


def test_fixing_the_value_clears_the_message(panel, qtbot, open_form):
    form = open_form("sim-1")
    form.interval_edit.setText("0.1")
    assert form.message("interval_s").isVisible()
    form.interval_edit.setText("600")
    assert not form.message("interval_s").isVisible()
    assert form.save_button.isEnabled()


def test_no_format_is_rejected(panel, open_form):
    form = open_form("sim-1")
    form.jpg_check.setChecked(False)
    assert form.message("formats").isVisible()
    assert not form.save_button.isEnabled()


def test_a_save_the_service_rejects_shows_its_reasons(
    panel, services, eyepi_home, qtbot, open_form
):
    """The service validates again (settings may change under the form): its InvalidInput is
    shown the same way and nothing is written."""
    toml_before = (eyepi_home / "station.toml").read_bytes()
    form = open_form("sim-1")
    form.save_requested.emit("sim-1", {"interval_s": 0.1})
    qtbot.waitUntil(form.message("interval_s").isVisible)
    assert "0.5" in form.message("interval_s").text()
    assert panel.stack.currentWidget() is form
    assert (eyepi_home / "station.toml").read_bytes() == toml_before


def test_quality_buttons_step_and_save_only_changes(panel, services, qtbot, open_form):
    form = open_form("sim-2")
    qtbot.mouseClick(form.ui.findChild(type(form.save_button), "quality_minus"), LEFT)
    assert form.quality_spin.value() == 85
    form.keep_combo.setCurrentIndex(form.keep_combo.findData("latest"))
    assert form.changes() == {"jpeg_quality": 85, "keep": "latest"}
    qtbot.mouseClick(form.save_button, LEFT)
    qtbot.waitUntil(lambda: panel.stack.currentWidget() is panel.card_scroll)
    saved = services.config.camera("sim-2")
    assert (saved.jpeg_quality, saved.keep) == (85, "latest")


def test_cancel_returns_to_the_cards_without_saving(panel, services, eyepi_home, qtbot, open_form):
    toml_before = (eyepi_home / "station.toml").read_bytes()
    form = open_form("sim-1")
    form.interval_edit.setText("60")
    qtbot.mouseClick(form.ui.findChild(type(form.save_button), "cancel_button"), LEFT)
    assert panel.stack.currentWidget() is panel.card_scroll
    assert (eyepi_home / "station.toml").read_bytes() == toml_before


def test_a_resolution_the_camera_cannot_take_is_refused_on_save(
    panel, services, eyepi_home, qtbot, open_form
):
    """Only the service knows each camera's largest still: its refusal shows like any other."""
    toml_before = (eyepi_home / "station.toml").read_bytes()
    form = open_form("sim-1")
    form.resolution_edit.setText("8000x6000")
    assert form.save_button.isEnabled()  # fine by the settings rules alone
    qtbot.mouseClick(form.save_button, LEFT)
    message = form.message("resolution")
    qtbot.waitUntil(message.isVisible)
    assert "at most" in message.text()
    assert panel.stack.currentWidget() is form
    assert form.save_button.text() == "Save"
    assert (eyepi_home / "station.toml").read_bytes() == toml_before
    assert services.config.camera("sim-1").resolution == "1920x1080"
