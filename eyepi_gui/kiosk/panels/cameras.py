"""The Cameras tab: a card per camera, and each camera's settings as a full-window page."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import tzinfo
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QResizeEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import CameraInfo, CameraSetting
from eyepi_gui.domain.events import (
    CamerasChanged,
    CameraStateChanged,
    CaptureDone,
    CaptureFailed,
    FocusChecked,
    SettingsChanged,
)
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.errors import InvalidInput
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.widgets.camera_card import CameraCard, ImageSource
from eyepi_gui.kiosk.widgets.camera_form import CameraSettingsForm
from eyepi_gui.kiosk.widgets.capture_browser import CaptureBrowserView
from eyepi_gui.kiosk.widgets.device_settings import DeviceSettingsView
from eyepi_gui.kiosk.widgets.images import load_scaled
from eyepi_gui.kiosk.widgets.reflow import is_narrow
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, size_by_current_page
from eyepi_gui.ports import BackendStatus
from eyepi_gui.services.overview import CameraOverview
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.settings import StationSettings

REFRESH_MS = 5000
COLUMN_MIN_PX = 760
"""A card needs about this much width beside another one; narrower screens get one column."""
_REFRESH_EVENTS = (
    CaptureDone,
    CaptureFailed,
    CameraStateChanged,
    SettingsChanged,
    CamerasChanged,
    FocusChecked,
)


@dataclass(frozen=True)
class CamerasSnapshot:
    """Every camera's overview plus the zone and moment (epoch s) it was taken in."""

    cameras: list[CameraOverview]
    tz: tzinfo
    now: float


def fetch_snapshot(services: StationServices) -> CamerasSnapshot:
    """Runs on a TaskRunner thread."""
    return CamerasSnapshot(services.overview.cameras(), services.config.tz(), time.time())


def backends_text(backends: list[BackendStatus]) -> str:
    """One line per backend that cannot be used here, with the reason."""
    return "\n".join(f"{b.name}: {b.reason}" for b in backends if not b.available)


class CamerasPanel(Panel):
    """Cards for every camera; refreshes on capture, state and settings events and every 5 s.
    Test shots, enabling and saving settings run through the TaskRunner."""

    def __init__(
        self,
        context: PanelContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        services, runner, bridge, session = context.parts()
        self._services, self._runner, self._session = services, runner, session
        self.cards: dict[str, CameraCard] = {}
        self._columns = 1
        self._compact = False
        self.form: CameraSettingsForm | None = None
        self.browser: CaptureBrowserView | None = None
        self._wanted: str | None = None
        """A camera whose card a link asked for before the card was there."""
        self.stack = QStackedWidget(self)
        self.card_scroll = self._card_list()
        self.stack.addWidget(self.card_scroll)
        size_by_current_page(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self._soon = QTimer(self, singleShot=True, interval=50)
        self._soon.timeout.connect(self.refresh)
        self._timer = QTimer(self, interval=REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        bridge.service_event.connect(self._on_event)
        session.changed.connect(self._apply_access)
        self._apply_access(session.principal)

    def _card_list(self) -> QScrollArea:
        self.empty = plain_label("Looking for cameras…", "emptyState", wrap=True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.access_note = plain_label("", "accessNote", wrap=True)
        content = QWidget()
        content.setObjectName("cardList")
        column = QVBoxLayout(content)
        column.setContentsMargins(12, 12, 12, 12)
        column.addLayout(self._header())
        column.addWidget(self.access_note)
        column.addWidget(self.empty)
        self.grid = QGridLayout()
        self.grid.setSpacing(12)
        column.addLayout(self.grid)
        column.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setObjectName("cardScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        flick_to_scroll(scroll)
        return scroll

    def refresh(self) -> None:
        """Fetch every camera's overview off the GUI thread, then update the cards."""
        self._runner.refresh("cameras", partial(fetch_snapshot, self._services), self.show_snapshot)

    def shown(self) -> None:
        self.refresh()

    def station_started(self) -> None:
        """The cameras have been looked for: an empty list now means none were found."""
        self.empty.setText("No cameras found. Connect a camera, then press Rescan.")
        self.refresh()
        self.refresh_backends()

    def stop(self) -> None:
        self._timer.stop()
        self._soon.stop()
        if self.browser is not None:
            self.browser.stop()

    def open_browser(self, camera_id: str) -> None:
        """The camera's kept images (built on first use: the Storage tab will host it too)."""
        if self.browser is None:
            self.browser = CaptureBrowserView(self._services, self._runner, self)
            self.browser.closed.connect(self.close_form)
            self.stack.addWidget(self.browser)
        card = self.cards.get(camera_id)
        self.browser.open_camera(camera_id, card.name.text() if card else camera_id)
        self.stack.setCurrentWidget(self.browser)

    def _header(self) -> QHBoxLayout:
        self.backends_note = plain_label("", "hint", wrap=True)
        self.rescan_button = QPushButton("Rescan")
        self.rescan_button.clicked.connect(self._rescan)
        row = QHBoxLayout()
        row.addWidget(self.backends_note, 1)
        row.addWidget(self.rescan_button, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _rescan(self) -> None:
        self.rescan_button.setEnabled(False)
        self.rescan_button.setText("Looking…")
        rescan = partial(self._services.inventory.rescan, self._session.principal)
        self._runner.run("rescan", rescan, self._rescanned, self._rescanned)

    def _rescanned(self, _outcome: object = None) -> None:
        self.rescan_button.setText("Rescan")
        self.rescan_button.setEnabled(self._may(Permission.CAMERA_SETTINGS))
        self.refresh()
        self.refresh_backends()

    def refresh_backends(self) -> None:
        """Which backends work here (imports the camera libraries: only after first paint)."""
        status = self._services.inventory.backend_status
        self._runner.run("backends", status, self._show_backends)

    def _show_backends(self, backends: list[BackendStatus]) -> None:
        self.backends_note.setText(backends_text(backends))

    def show_camera(self, camera_id: str) -> None:
        """The card list, scrolled to ``camera_id``'s card (once it is there)."""
        self.close_form()
        self._wanted = camera_id
        QTimer.singleShot(0, self._reveal_wanted)  # after the list's layout

    def _reveal_wanted(self) -> None:
        card = self.cards.get(self._wanted or "")
        if card is not None:
            self.card_scroll.ensureWidgetVisible(card)
            self._wanted = None

    def show_snapshot(self, snapshot: CamerasSnapshot) -> None:
        seen = [camera.info for camera in snapshot.cameras]
        self._sync_cards(seen)
        for camera in snapshot.cameras:
            self.cards[camera.info.camera_id].show_overview(camera, snapshot.tz, snapshot.now)
        self._load_images()
        if self._wanted is not None:
            QTimer.singleShot(0, self._reveal_wanted)

    def _sync_cards(self, seen: list[CameraInfo]) -> None:
        ids = {info.camera_id for info in seen}
        if ids == set(self.cards):
            return
        for camera_id in set(self.cards) - ids:
            self.cards.pop(camera_id).deleteLater()
        for camera_id in ids - set(self.cards):
            self.cards[camera_id] = self._new_card(camera_id)
        self.empty.setVisible(not self.cards)
        self._place_cards(force=True)

    def _new_card(self, camera_id: str) -> CameraCard:
        card = CameraCard(camera_id)
        card.test_shot_requested.connect(self._test_shot)
        card.enable_requested.connect(self._set_enabled)
        card.settings_requested.connect(self._open_settings)
        card.browse_requested.connect(self.open_browser)
        card.set_allowed(self._may(Permission.TEST_SHOT), self._may(Permission.CAMERA_SETTINGS))
        return card

    def _may(self, permission: Permission) -> bool:
        return self._session.why_not(permission) is None

    def _apply_access(self, _principal: Principal) -> None:
        """Enable what the person at the screen may do; say plainly why the rest is off."""
        reasons = [
            reason
            for permission in (Permission.TEST_SHOT, Permission.CAMERA_SETTINGS)
            if (reason := self._session.why_not(permission))
        ]
        self.access_note.setText(" ".join(dict.fromkeys(reasons)))
        self.access_note.setVisible(bool(reasons))
        self.rescan_button.setEnabled(self._may(Permission.CAMERA_SETTINGS))
        for card in self.cards.values():
            card.set_allowed(self._may(Permission.TEST_SHOT), self._may(Permission.CAMERA_SETTINGS))
        if self.form is not None and not self._may(Permission.CAMERA_SETTINGS):
            self.close_form()

    def _place_cards(self, force: bool = False) -> None:
        """Cards in as many columns as fit, each compact (stacked) on a portrait screen."""
        columns = max(1, self.card_scroll.viewport().width() // COLUMN_MIN_PX)
        compact = is_narrow(self)
        if (columns, compact) == (self._columns, self._compact) and not force:
            return
        self._columns, self._compact = columns, compact
        for index, card in enumerate(self.cards[k] for k in sorted(self.cards)):
            card.set_compact(compact)
            self.grid.addWidget(card, index // columns, index % columns)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_cards()

    def _load_images(self) -> None:
        for card in self.cards.values():
            source = card.image_needed()
            if source is None:
                continue
            card.loading_source = source
            size = card.image_pixels()
            read = partial(self._services.overview.latest_image, card.camera_id)
            self._runner.run(
                f"image:{card.camera_id}",
                partial(load_scaled, read, size.width(), size.height()),
                partial(self._image_loaded, card.camera_id, source),
                partial(self._image_failed, card.camera_id, source),
            )

    def _image_loaded(self, camera_id: str, source: ImageSource, image: QImage) -> None:
        if card := self.cards.get(camera_id):
            card.show_image(source, image)

    def _image_failed(self, camera_id: str, source: ImageSource, error: Exception) -> None:
        if card := self.cards.get(camera_id):
            card.show_image_error(source, self.context.say(error))

    def _on_event(self, event: object) -> None:
        if isinstance(event, _REFRESH_EVENTS):
            self._soon.start()
        browsing = self.browser is not None and self.stack.currentWidget() is self.browser
        if isinstance(event, CaptureDone) and browsing and self.browser is not None:
            self.browser.capture_landed(event.camera_id)

    def _test_shot(self, camera_id: str) -> None:
        self.cards[camera_id].set_busy(True)
        self.cards[camera_id].show_message("")
        self._runner.run(
            f"shot:{camera_id}",
            partial(self._services.cameras.test_shot, self._session.principal, camera_id),
            partial(self._shot_done, camera_id),
            partial(self._shot_failed, camera_id),
        )

    def _shot_done(self, camera_id: str, records: list[CaptureRecord]) -> None:
        if card := self.cards.get(camera_id):
            card.set_busy(False)
            names = ", ".join(Path(record.path).name for record in records)
            card.show_message(f"Test shot saved: {names}", "ok")
        self.refresh()

    def _shot_failed(self, camera_id: str, error: Exception) -> None:
        if card := self.cards.get(camera_id):
            card.set_busy(False)
            card.show_message(f"Test shot failed: {self.context.say(error)}")

    def _set_enabled(self, camera_id: str, enabled: bool) -> None:
        principal, changes = self._session.principal, {"enabled": enabled}
        update = partial(self._services.config.update_camera, principal, camera_id, changes)
        self._runner.run(
            f"enable:{camera_id}",
            update,
            self._after_change,
            partial(self._change_failed, camera_id),
        )

    def _after_change(self, _result: object) -> None:
        self.refresh()

    def _change_failed(self, camera_id: str, error: Exception) -> None:
        if card := self.cards.get(camera_id):
            card.show_message(f"Not changed: {self.context.say(error)}")

    def _open_settings(self, camera_id: str) -> None:
        self._runner.run(
            "settings", self._services.config.current, partial(self._show_form, camera_id)
        )

    def _show_form(self, camera_id: str, station: StationSettings) -> None:
        if self.form is None:
            self.form = CameraSettingsForm(self)
            self.form.save_requested.connect(self._save)
            self.form.cancelled.connect(self.close_form)
            self.device = DeviceSettingsView()
            self.device.change_requested.connect(self._change_device)
            self.form.add_section(self.device)
            self.stack.addWidget(self.form)
        self.form.edit(camera_id, station)
        self.stack.setCurrentWidget(self.form)
        self._read_device(camera_id)

    def _read_device(self, camera_id: str) -> None:
        self.device.show_settings([])
        self.device.status.setText("Reading the camera…")
        self._runner.run(
            "device-settings",
            partial(self._services.cameras.device_settings, camera_id),
            self.device.show_settings,
            lambda error: self.device.show_unavailable(self.context.say(error)),
        )

    def _change_device(self, name: str, value: str) -> None:
        camera_id = self.form.camera_id if self.form is not None else None
        if camera_id is None:
            return
        change = partial(
            self._services.cameras.set_device_setting,
            self._session.principal,
            camera_id,
            name,
            value,
        )
        self._runner.run(
            f"device-set:{name}", change, self._device_changed, partial(self._device_refused, name)
        )

    def _device_changed(self, setting: CameraSetting) -> None:
        self.device.set_value(setting)
        self.device.show_result(setting.name, f"Set to {setting.value}.", ok=True)

    def _device_refused(self, name: str, error: Exception) -> None:
        reason = as_sentence(error.reason) if isinstance(error, InvalidInput) else None
        self.device.show_result(name, reason or self.context.say(error), ok=False)

    def close_form(self) -> None:
        self.stack.setCurrentWidget(self.card_scroll)

    def _save(self, camera_id: str, changes: dict[str, Any]) -> None:
        if not changes:
            self.close_form()
            return
        assert self.form is not None
        self.form.set_saving(True)
        principal = self._session.principal
        update = partial(self._services.config.update_camera, principal, camera_id, changes)
        self._runner.run(f"save:{camera_id}", update, self._saved, self._save_failed)

    def _saved(self, _result: object) -> None:
        self.close_form()
        self.refresh()

    def _save_failed(self, error: Exception) -> None:
        assert self.form is not None
        self.form.set_saving(False)
        if isinstance(error, InvalidInput):
            self.form.show_problems(error.problems)
        else:
            self.form.show_error(f"Not saved: {self.context.say(error)}")
