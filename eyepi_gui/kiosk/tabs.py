"""The kiosk's tabs, in order: one row per tab. Adding a tab is one panel file plus one row
here (see ``eyepi_gui.kiosk.panel``)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from eyepi_gui.kiosk.panel import Panel


@dataclass(frozen=True)
class Tab:
    """One tab: ``name`` (tooltip, and what tests and ``window.show_tab`` call it), ``label``
    (short text on the tab bar), ``icon`` (an SVG under resources/icons/) and ``panel``, the
    panel class as ``"package.module:Class"``, imported only when the tab is first shown."""

    name: str
    label: str
    icon: str
    panel: str

    def panel_class(self) -> type[Panel]:
        """Import the panel's module now and return its class."""
        module_name, _, class_name = self.panel.partition(":")
        found = getattr(importlib.import_module(module_name), class_name)
        if not (isinstance(found, type) and issubclass(found, Panel)):
            raise TypeError(f"tab {self.name}: {self.panel} is not a Panel")
        return found

    def holds(self, cls: type[Panel]) -> bool:
        """True when this row names ``cls`` (compared by name: nothing is imported)."""
        return self.panel == f"{cls.__module__}:{cls.__qualname__}"


_PANELS = "eyepi_gui.kiosk.panels"

TABS: tuple[Tab, ...] = (
    Tab("Cameras", "Cameras", "camera.svg", f"{_PANELS}.cameras:CamerasPanel"),
    Tab("Focus", "Focus", "focus.svg", f"{_PANELS}.focus:FocusPanel"),
    Tab("Network", "Network", "network.svg", f"{_PANELS}.network.panel:NetworkPanel"),
    Tab("Storage", "Storage", "storage.svg", f"{_PANELS}.storage.panel:StoragePanel"),
    Tab("Logs", "Logs", "logs.svg", f"{_PANELS}.logs.panel:LogsPanel"),
    Tab("Users", "Users", "users.svg", f"{_PANELS}.users:UsersPanel"),
    Tab("Station", "Station", "station.svg", f"{_PANELS}.station.panel:StationPanel"),
)
CAMERA_TAB = "Cameras"
"""The tab a camera link goes to (``PanelContext.show_camera``)."""
