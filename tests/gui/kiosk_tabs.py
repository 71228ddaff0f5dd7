"""The one place tests learn which tabs the kiosk window has and how to show one (the window's
``tab_names()`` / ``show_tab(name)`` when it has them, its QTabWidget otherwise)."""

from __future__ import annotations

from eyepi_gui.kiosk.main_window import MainWindow


def tab_names(window: MainWindow) -> list[str]:
    """The window's tabs, in order."""
    if hasattr(window, "tab_names"):
        return list(window.tab_names())
    return [window.tabs.tabText(i) for i in range(window.tabs.count())]


def show_tab(window: MainWindow, name: str) -> None:
    if hasattr(window, "show_tab"):
        window.show_tab(name)
        return
    window.tabs.setCurrentIndex(tab_names(window).index(name))
