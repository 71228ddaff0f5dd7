"""The Station page: station-wide settings and network cameras, changed by an admin.

Every service call runs through the TaskRunner. The service validates and decides who may
change what; the page shows the values to everyone, makes them read-only with the reason
for anyone else, and puts each refusal under the field it is about.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.events import CamerasChanged, SettingsChanged
from eyepi_gui.domain.network_cameras import NetworkCameraView, StreamTest
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.panels.station.cameras import NetworkCamerasSection
from eyepi_gui.kiosk.panels.station.fields import LABEL_PX, StationFields
from eyepi_gui.kiosk.panels.station.zone import pickable_zones
from eyepi_gui.kiosk.widgets.form_page import problems_of, show_message
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, set_role
from eyepi_gui.settings import StationSettings

_STYLE = """
#stationPanel #sectionTitle { font-size: 19px; font-weight: 700; padding-top: 8px; }
#netcamRow { background: #ffffff; border: 1px solid #c9d1d9; border-radius: 10px; }
#netcamRow QLabel { background: transparent; }
#stationPanel QLineEdit[readOnly="true"] { background: #eef1f4; border-color: #d0d7de; }
"""
"""Section titles and rows as the Users panel has them (touch.qss styles only that panel's);
values a person may not change look like it."""
_REFRESH_EVENTS = (SettingsChanged, CamerasChanged)
_TASKS = ("station", "netcams", "station-save", "netcam-test", "netcam-add", "netcam-remove")


class StationPanel(Panel):
    """Station name, time zone, storage floor, capture timeout, screen lock, live view,
    the remote endpoint and network cameras. Refreshes when shown and on settings and camera
    events; keeps edits in progress when settings change elsewhere."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setObjectName("stationPanel")
        self.setStyleSheet(_STYLE)
        self._services, self._runner = context.services, context.runner
        self._session = session = context.session
        self._settings: StationSettings | None = None
        self._zones_asked = False
        self.fields = StationFields()
        self.cameras = NetworkCamerasSection(LABEL_PX)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 0)
        layout.addLayout(self._header())
        for label in (self.access_note, self.message):
            layout.addWidget(label)
        layout.addWidget(self._scroll(), 1)
        self._connect()
        context.bridge.service_event.connect(self._on_event)
        session.changed.connect(self._session_changed)
        self._session_changed(session.principal)

    def _header(self) -> QHBoxLayout:
        self.access_note = plain_label("", "accessNote", wrap=True)
        self.message = plain_label("", wrap=True)
        self.revert_button = QPushButton("Revert")
        self.save_button = QPushButton("Save")
        set_role(self.save_button, "primary")
        row = QHBoxLayout()
        row.addWidget(plain_label("Station settings", "title"), 1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        return row

    def _scroll(self) -> QScrollArea:
        content = QWidget()
        content.setObjectName("stationContent")
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 8, 12)
        column.addWidget(self.fields)
        column.addWidget(self.cameras)
        column.addStretch(1)
        self.page_scroll = QScrollArea(self)
        self.page_scroll.setObjectName("stationScroll")
        self.page_scroll.setWidgetResizable(True)
        self.page_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.page_scroll.setWidget(content)
        flick_to_scroll(self.page_scroll)
        return self.page_scroll

    def _connect(self) -> None:
        self.save_button.clicked.connect(self._save)
        self.revert_button.clicked.connect(self._revert)
        self.cameras.test_requested.connect(self._test_stream)
        self.cameras.add_requested.connect(self._add_camera)
        self.cameras.remove_requested.connect(self._remove_camera)

    # ---- showing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the settings and network cameras off the GUI thread."""
        current = self._services.config.current
        self._runner.refresh("station", current, self.show_settings, self._fetch_failed)
        cameras = self._services.network_cameras.list
        self._runner.refresh("netcams", cameras, self.cameras.show_cameras, self._list_failed)

    def show_settings(self, settings: StationSettings) -> None:
        self.fields.fill(settings, self._settings)
        self._settings = settings

    def _fetch_failed(self, error: Exception) -> None:
        self.show_message(f"Not loaded: {self.context.say(error)}")

    def _list_failed(self, error: Exception) -> None:
        self.cameras.show_list_message(f"Not loaded: {self.context.say(error)}")

    def show_message(self, text: str, role: str = "error") -> None:
        """A message above the page (a failure tied to no field, or "Saved.")."""
        show_message(self.message, text, role)

    def shown(self) -> None:
        if not self._zones_asked:
            self._zones_asked = True
            self._runner.run("zones", pickable_zones, self.fields.zone.set_zones)
        self.refresh()

    def _on_event(self, event: object) -> None:
        if isinstance(event, _REFRESH_EVENTS):
            self.refresh()

    def _session_changed(self, _principal: Principal) -> None:
        """Someone else is at the screen: drop what was typed and any task still running."""
        for key in _TASKS:
            self._runner.cancel(key)
        if self._settings is not None:
            self.fields.fill(self._settings)
        self.fields.show_problems({})
        self.cameras.clear()
        self.cameras.set_busy(False)
        self.show_message("")
        self._set_busy(False)
        self.refresh()

    def _set_busy(self, busy: bool) -> None:
        """Enable what the person at the screen may change (nothing while a save runs)."""
        reason = self._session.why_not(Permission.STATION_SETTINGS)
        show_message(self.access_note, reason or "", "hint")
        editable = reason is None
        self.fields.set_editable(editable)
        self.cameras.set_editable(editable)
        for button in (self.save_button, self.revert_button):
            button.setVisible(editable)
            button.setEnabled(not busy)
        self.save_button.setText("Saving…" if busy else "Save")

    # ---- station-wide settings -------------------------------------------------------------

    def _save(self) -> None:
        if self._settings is None:
            return
        changes = self.fields.changes(self._settings)
        self.fields.show_problems({})
        if not changes:
            self.show_message("Nothing changed.", "hint")
            return
        self.show_message("")
        self._set_busy(True)
        update = partial(self._services.config.update_station, self._session.principal, changes)
        self._runner.run("station-save", update, self._saved, self._save_failed)

    def _saved(self, settings: StationSettings) -> None:
        self._set_busy(False)
        self._settings = settings
        self.fields.fill(settings)
        self.show_message("Saved.", "ok")

    def _save_failed(self, error: Exception) -> None:
        self._set_busy(False)
        rest = self.fields.show_problems(problems_of(error))
        self.show_message(" ".join(rest))

    def _revert(self) -> None:
        if self._settings is not None:
            self.fields.fill(self._settings)
        self.fields.show_problems({})
        self.show_message("")

    # ---- network cameras -------------------------------------------------------------------

    def _test_stream(self, url: str, password: str | None) -> None:
        self.cameras.set_busy(True)
        test = partial(self._services.network_cameras.test, self._session.principal, url, password)
        self._runner.run("netcam-test", test, self._tested, self._camera_failed)

    def _tested(self, result: StreamTest) -> None:
        self.cameras.set_busy(False)
        self.cameras.show_test(result)

    def _add_camera(self, camera_id: str, url: str, password: str | None) -> None:
        self.cameras.set_busy(True)
        add = partial(
            self._services.network_cameras.add, self._session.principal, camera_id, url, password
        )
        self._runner.run("netcam-add", add, self._camera_added, self._camera_failed)

    def _camera_added(self, camera: NetworkCameraView) -> None:
        self.cameras.set_busy(False)
        self.cameras.show_added(camera)
        self.refresh()

    def _camera_failed(self, error: Exception) -> None:
        self.cameras.set_busy(False)
        self.cameras.show_problems(problems_of(error))

    def _remove_camera(self, camera_id: str) -> None:
        self.cameras.set_busy(True)
        remove = partial(self._services.network_cameras.remove, self._session.principal, camera_id)
        self._runner.run(
            "netcam-remove", remove, partial(self._camera_removed, camera_id), self._remove_failed
        )

    def _camera_removed(self, camera_id: str, _result: Any) -> None:
        self.cameras.set_busy(False)
        self.cameras.show_removed(camera_id)
        self.refresh()

    def _remove_failed(self, error: Exception) -> None:
        self.cameras.set_busy(False)
        self.cameras.show_list_message(" ".join(problems_of(error).values()))
