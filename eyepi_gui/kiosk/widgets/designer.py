"""Forms drawn in Qt Designer (``ui/*.ui``): loading them and finding their named widgets."""

from __future__ import annotations

from functools import cache
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget

from eyepi_gui.kiosk.widgets.reflow import reflow_grid

_W = TypeVar("_W", bound=QWidget)


def load_ui(name: str, parent: QWidget) -> QWidget:
    """Build the widget tree of ``ui/<name>`` under ``parent``."""
    from eyepi_gui.resources import ui_path

    file = QFile(str(ui_path(name)))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise OSError(f"cannot open {file.fileName()}: {file.errorString()}")
    try:
        widget = _loader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise OSError(f"cannot load {name}")
    return widget


@cache
def _loader() -> QUiLoader:
    """One loader for every form, made without Qt Designer's plugins. A new QUiLoader loads
    every plugin under ``<library path>/designer`` (PySide's and QQuickWidget's, and with them
    the Designer, QML and QtQuick libraries): some 10 ms before the first paint, for custom
    widgets our forms never use. So the library paths are empty while it is made (the
    GUI thread's moment; they are restored at once) and it is made only once."""
    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        return QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)


def fill_with_ui(page: QWidget, name: str) -> QWidget:
    """Load ``ui/<name>`` into ``page`` edge to edge; returns the loaded form. A grid called
    ``field_grid`` puts its labels above their fields on narrow (portrait) windows."""
    form = load_ui(name, page)
    grid = form.findChild(QGridLayout, "field_grid")
    if grid is not None and (host := grid.parentWidget()) is not None:
        reflow_grid(grid, host)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(form)
    return form


def child(form: QWidget, kind: type[_W], name: str) -> _W:
    """The widget called ``name`` in ``form``; LookupError when the .ui file lacks it."""
    widget = form.findChild(kind, name)
    if not isinstance(widget, kind):
        raise LookupError(f"form {form.objectName()!r} has no {kind.__name__} named {name!r}")
    return widget
