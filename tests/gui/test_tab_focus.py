"""Showing a tab never puts the focus in a text field (which would bring the on-screen
keyboard up over the tab): a field takes the focus when it is tapped."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tests.gui.kiosk_tabs import show_tab, tab_names
from tests.gui.layout_check import TEXT_FIELDS


def test_no_tab_shown_puts_the_focus_in_a_text_field(qtbot, window):
    window.activateWindow()
    focused: dict[str, str] = {}
    for name in tab_names(window):
        show_tab(window, name)
        qtbot.wait(100)  # the page's first refresh
        widget = QApplication.focusWidget()
        if isinstance(widget, TEXT_FIELDS):
            focused[name] = widget.objectName() or type(widget).__name__
    assert focused == {}
