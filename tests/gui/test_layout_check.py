"""The layout checker itself (tests/gui/layout_check.py): each rule fails on a tiny widget
that breaks it and passes on one that keeps it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabBar,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.kiosk.widgets.keyboard import attach_keyboard
from tests.gui.layout_check import layout_problems


@pytest.fixture
def window(qtbot):
    """An empty 300x200 window; children are placed by hand."""
    window = QWidget()
    window.setObjectName("checked")
    qtbot.addWidget(window)
    window.setFixedSize(300, 200)
    return window


def show(qtbot, window: QWidget) -> None:
    window.show()
    qtbot.waitExposed(window)


def rules(window: QWidget, keyboard: QWidget | None = None) -> list[str]:
    return sorted({problem.rule for problem in layout_problems(window, keyboard)})


def test_a_roomy_button_passes(qtbot, window):
    QPushButton("Settings", window).setGeometry(10, 10, 160, 48)
    show(qtbot, window)
    assert layout_problems(window) == []


def test_a_button_too_narrow_for_its_text_is_cut(qtbot, window):
    QPushButton("Settings", window).setGeometry(10, 10, 48, 48)
    show(qtbot, window)
    assert rules(window) == ["cut"]


def test_style_sheet_padding_counts_as_used_room(qtbot, window):
    button = QPushButton("Settings", window)
    width = button.fontMetrics().horizontalAdvance("Settings") + 12
    button.setGeometry(10, 10, width, 48)
    show(qtbot, window)
    assert "cut" not in rules(window)
    button.setStyleSheet("QPushButton { padding: 0 30px; }")
    assert "cut" in rules(window)


def test_a_label_narrower_than_its_text_is_cut(qtbot, window):
    label = QLabel("A rather long line of text", window)
    label.setGeometry(10, 10, 60, 30)
    show(qtbot, window)
    assert rules(window) == ["cut"]


def test_a_wrapped_label_needs_the_height_of_its_lines(qtbot, window):
    label = QLabel("one two three four five six seven eight nine ten", window)
    label.setWordWrap(True)
    label.setGeometry(10, 10, 100, 20)
    show(qtbot, window)
    assert rules(window) == ["cut"]
    label.setGeometry(10, 10, 100, label.heightForWidth(100))
    assert layout_problems(window) == []


def test_a_wrapped_label_with_a_word_wider_than_itself_is_cut(qtbot, window):
    label = QLabel("Unbreakablewordwiderthanthelabel", window)
    label.setWordWrap(True)
    label.setGeometry(10, 10, 60, 120)
    show(qtbot, window)
    assert rules(window) == ["cut"]


def test_elided_text_needs_the_full_text_in_its_tooltip(qtbot, window):
    label = QLabel("Greenhouse ro…", window)
    label.setGeometry(10, 10, 200, 30)
    show(qtbot, window)
    assert rules(window) == ["elided"]
    label.setToolTip("Greenhouse row 3")
    assert layout_problems(window) == []


def test_an_ellipsis_after_ongoing_wording_is_not_elision(qtbot, window):
    QLabel("Looking for cameras…", window).setGeometry(10, 10, 250, 30)
    show(qtbot, window)
    assert layout_problems(window) == []


def test_a_check_box_text_cut_by_its_indicator(qtbot, window):
    box = QCheckBox("Capture on schedule", window)
    box.setGeometry(10, 10, 80, 48)
    show(qtbot, window)
    assert rules(window) == ["cut"]


def test_a_button_under_44_px_is_too_small(qtbot, window):
    QPushButton("OK", window).setGeometry(10, 10, 80, 30)
    show(qtbot, window)
    assert rules(window) == ["small"]


@pytest.mark.parametrize("kind", [QLineEdit, QCheckBox])
def test_fields_and_check_boxes_are_touch_targets(qtbot, window, kind):
    kind(window).setGeometry(10, 10, 200, 30)
    show(qtbot, window)
    assert rules(window) == ["small"]


def test_tabs_that_do_not_fit_their_bar_scroll_and_are_outside(qtbot, window):
    bar = QTabBar(window)
    bar.setUsesScrollButtons(True)
    for name in ("Cameras", "Focus", "Network", "Storage", "Logs", "Users"):
        bar.addTab(name)
    bar.setGeometry(0, 0, 300, 48)
    show(qtbot, window)
    assert {"outside", "scroll"} <= set(rules(window))


def test_a_tab_lower_than_44_px_is_small(qtbot, window):
    bar = QTabBar(window)
    bar.addTab("A")
    bar.setStyleSheet("QTabBar::tab { height: 30px; width: 60px; }")
    bar.setGeometry(0, 0, 300, 30)
    show(qtbot, window)
    assert "small" in rules(window)


def test_a_widget_past_the_window_edge_is_outside(qtbot, window):
    QPushButton("Save", window).setGeometry(260, 10, 100, 48)
    show(qtbot, window)
    assert rules(window) == ["outside"]


def test_scroll_contents_may_run_past_the_bottom_but_not_the_side(qtbot, window):
    area = QScrollArea(window)
    area.setGeometry(0, 0, 300, 200)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content = QWidget()
    content.resize(280, 600)
    area.setWidget(content)
    show(qtbot, window)
    assert "outside" not in rules(window)
    content.resize(400, 600)
    assert "outside" in rules(window)


def test_a_horizontal_scroll_bar_is_reported(qtbot, window):
    area = QScrollArea(window)
    area.setGeometry(0, 0, 300, 200)
    content = QWidget()
    content.setMinimumSize(600, 100)
    area.setWidget(content)
    show(qtbot, window)
    assert "scroll" in rules(window)


def test_the_focused_field_scrolled_under_the_keyboard_is_reported(qtbot, themed):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    content = QWidget()
    column = QVBoxLayout(content)
    fields = [QLineEdit() for _ in range(8)]
    for field in fields:
        column.addWidget(field)
    area.setWidget(content)
    layout.addWidget(area)
    keyboard = attach_keyboard(window, automatic=False)
    window.setFixedSize(600, 400)
    window.show()
    qtbot.waitExposed(window)
    fields[-1].setFocus()
    keyboard.show()
    qtbot.waitUntil(lambda: fields[-1].hasFocus())
    area.verticalScrollBar().setValue(0)  # the field is below the view, behind the keyboard
    assert "keyboard" in rules(window, keyboard)
    area.ensureWidgetVisible(fields[-1], 0, 60)
    assert "keyboard" not in rules(window, keyboard)
