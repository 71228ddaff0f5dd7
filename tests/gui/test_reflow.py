"""Form grids and boxes that follow the window's width (eyepi_gui/kiosk/widgets/reflow.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QBoxLayout, QGridLayout, QLabel, QLineEdit, QWidget

from eyepi_gui.kiosk.widgets.reflow import follow_width, reflow_grid


def cell(grid: QGridLayout, widget: QWidget) -> tuple[int, int, int, int]:
    return tuple(grid.getItemPosition(grid.indexOf(widget)))


def test_a_form_grid_puts_labels_above_fields_on_a_narrow_window_and_back(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    grid = QGridLayout(host)
    label, field, message = QLabel("Name"), QLineEdit(), QLabel("too long")
    grid.addWidget(label, 0, 0)
    grid.addWidget(field, 0, 1)
    grid.addWidget(message, 1, 1)
    reflow_grid(grid, host)
    host.resize(800, 480)
    host.show()
    qtbot.waitExposed(host)
    assert cell(grid, label) == (0, 0, 1, 1) and cell(grid, field) == (0, 1, 1, 1)
    host.resize(480, 800)
    qtbot.waitUntil(lambda: cell(grid, field) == (1, 0, 1, 2))
    assert cell(grid, label) == (0, 0, 1, 2)
    assert cell(grid, message) == (3, 0, 1, 2)
    section = QLabel("added while narrow")
    grid.addWidget(section, grid.rowCount(), 0, 1, 2)
    host.resize(800, 480)
    qtbot.waitUntil(lambda: cell(grid, field) == (0, 1, 1, 1))
    assert cell(grid, section)[0] > cell(grid, message)[0]


def test_a_box_turns_into_a_column_on_a_narrow_window(qtbot):
    host = QWidget()
    qtbot.addWidget(host)
    box = QBoxLayout(QBoxLayout.Direction.LeftToRight, host)
    host.resize(480, 800)
    follow_width(box, host, QBoxLayout.Direction.LeftToRight)
    assert box.direction() == QBoxLayout.Direction.TopToBottom
    host.resize(800, 480)
    follow_width(box, host, QBoxLayout.Direction.LeftToRight)
    assert box.direction() == QBoxLayout.Direction.LeftToRight
