"""One camera at a glance: latest image, name, state, schedule, today's counts and actions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.camera import CameraState
from eyepi_gui.kiosk import formatting
from eyepi_gui.kiosk.widgets.health_chart import CaptureHealthView
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.services.overview import CameraOverview

IMAGE_SIZE = QSize(256, 144)
"""Thumbnail size in logical px (16:9); small enough for two cards per 800x480 screen."""

ImageSource = tuple[Path, float | None]
"""Which latest image a card wants: the file and when it was taken (changes on every capture)."""

_STATE_ROLES = {CameraState.IDLE: "ok", CameraState.CAPTURING: "busy"}


class CameraCard(QFrame):
    """A card for one camera. It only shows what it is given and asks for actions by signal.

    Signals:
        test_shot_requested(camera_id: str): the Test shot button was pressed.
        enable_requested(camera_id: str, enabled: bool): Enable or Disable was pressed.
        settings_requested(camera_id: str): the Settings button was pressed.
        browse_requested(camera_id: str): the Browse button was pressed (kept images).
    """

    test_shot_requested = Signal(str)
    enable_requested = Signal(str, bool)
    settings_requested = Signal(str)
    browse_requested = Signal(str)

    def __init__(self, camera_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.camera_id = camera_id
        self.setObjectName("cameraCard")
        self._enabled = True
        self._busy = False
        self._may_test = True
        self._wanted: ImageSource | None = None
        self.shown_source: ImageSource | None = None
        self.loading_source: ImageSource | None = None
        self.image = self._image_label()
        self.name = plain_label(camera_id, "cameraName", wrap=True)
        self.source = plain_label("", "cameraSource", wrap=True)
        self.state = plain_label("", "cameraState", wrap=True)
        self.next_capture = plain_label("", "cameraNext", wrap=True)
        self.counts = plain_label("", "cameraCounts", wrap=True)
        self.focus = plain_label("", "cameraFocus", wrap=True)
        self._focus_key = plain_label("Focus", "factKey")
        self.message = plain_label("", "cameraMessage", wrap=True)
        self.message.hide()
        self.health = CaptureHealthView(self)
        self.settings_problem = plain_label("", "cameraSettingsProblem", wrap=True)
        set_role(self.settings_problem, "warn")
        self.settings_problem.hide()
        self.latest_problem = plain_label("", "cameraLatestProblem", wrap=True)
        set_role(self.latest_problem, "warn")
        self.latest_problem.hide()
        self.test_button = self._button("Test shot", self._on_test)
        set_role(self.test_button, "primary")
        self.enable_button = self._button("Disable", self._on_enable)
        self.settings_button = self._button("Settings", self._on_settings)
        self.browse_button = self._button("Browse", self._on_browse)
        self._lay_out()

    def _image_label(self) -> QLabel:
        label = plain_label("No image yet", "cameraImage")
        label.setFixedSize(IMAGE_SIZE)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def _button(self, text: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        return button

    def _lay_out(self) -> None:
        facts = QGridLayout()
        facts.setHorizontalSpacing(12)
        facts.setVerticalSpacing(2)
        for row, (key, value) in enumerate(
            (("State", self.state), ("Next", self.next_capture), ("Today", self.counts))
        ):
            facts.addWidget(plain_label(key, "factKey"), row, 0, Qt.AlignmentFlag.AlignTop)
            facts.addWidget(value, row, 1)
        facts.addWidget(self._focus_key, 3, 0, Qt.AlignmentFlag.AlignTop)
        facts.addWidget(self.focus, 3, 1)
        facts.setColumnStretch(1, 1)
        info = QVBoxLayout()
        info.setSpacing(4)
        for widget in (self.name, self.source):
            info.addWidget(widget)
        info.addLayout(facts)
        info.addWidget(self.health)
        info.addWidget(self.settings_problem)
        info.addWidget(self.latest_problem)
        info.addWidget(self.message)
        info.addStretch(1)
        self._actions = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self._actions.setSpacing(8)
        for button in (self.test_button, self.enable_button, self.settings_button):
            self._actions.addWidget(button)
        self._actions.addStretch(1)
        self._info = info
        self._card = QGridLayout(self)
        self._card.setContentsMargins(14, 14, 14, 14)
        self._card.setSpacing(16)
        self.set_compact(False)

    def set_compact(self, compact: bool) -> None:
        """Wide: image, facts and a column of buttons side by side. Compact (portrait screens):
        the image over the facts over a row of buttons and Browse below, so the card fits 480 px."""
        self._actions.removeWidget(self.browse_button)
        for item in (self.image, self._info, self._actions, self.browse_button):
            if isinstance(item, QWidget):
                self._card.removeWidget(item)
            else:
                self._card.removeItem(item)
        top = Qt.AlignmentFlag.AlignTop
        if compact:
            self._actions.setDirection(QBoxLayout.Direction.LeftToRight)
            self._card.addWidget(self.image, 0, 0, top)
            self._card.addLayout(self._info, 1, 0)
            self._card.addLayout(self._actions, 2, 0)
            self._card.addWidget(self.browse_button, 3, 0)  # a fourth button would not fit a row
            self._card.setColumnStretch(1, 0)
        else:
            self._actions.setDirection(QBoxLayout.Direction.TopToBottom)
            self._card.addWidget(self.image, 0, 0, top)
            self._card.addLayout(self._info, 0, 1)
            self._card.addLayout(self._actions, 0, 2)
            self._actions.insertWidget(3, self.browse_button)
            self._card.setColumnStretch(1, 1)
        self.compact = compact

    def show_overview(self, camera: CameraOverview, tz: tzinfo, now: float) -> None:
        """Show the facts of ``camera``; ``now`` (epoch s) decides "today" for the next slot."""
        self._enabled = camera.settings.enabled
        self.name.setText(camera.settings.name)
        self.source.setText(formatting.source_text(camera))
        self.state.setText(formatting.state_text(camera.state, camera.detail))
        set_role(self.state, _STATE_ROLES.get(camera.state, "error"))
        self.next_capture.setText(formatting.camera_next_text(camera, tz, now))
        self.counts.setText(formatting.counts_text(camera))
        focus, role = formatting.focus_text(camera)
        self.health.show_health(camera.health)
        self.focus.setText(focus)
        set_role(self.focus, role)
        self.focus.setVisible(bool(focus))
        self._focus_key.setVisible(bool(focus))
        self.settings_problem.setText(camera.settings_problem or "")
        self.settings_problem.setVisible(bool(camera.settings_problem))
        self.latest_problem.setText(camera.latest_problem or "")
        self.latest_problem.setVisible(bool(camera.latest_problem))
        self.enable_button.setText("Disable" if camera.settings.enabled else "Enable")
        set_role(self, "on" if camera.settings.enabled else "off")
        self._wanted = (camera.latest_image, camera.latest_at) if camera.latest_image else None

    def image_needed(self) -> ImageSource | None:
        """The latest image to load, when it is neither shown nor being loaded."""
        if self._wanted in (None, self.shown_source, self.loading_source):
            return None
        return self._wanted

    def image_pixels(self) -> QSize:
        """The thumbnail size in device pixels (what a loader should decode to)."""
        return IMAGE_SIZE * self.devicePixelRatioF()

    def show_image(self, source: ImageSource, image: QImage) -> None:
        """Show a decoded thumbnail (QPixmap is made here, on the GUI thread)."""
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(self.devicePixelRatioF())
        self.image.setPixmap(pixmap)
        self.shown_source = source
        self.loading_source = None

    def show_image_error(self, source: ImageSource, reason: str) -> None:
        self.image.setText(reason)
        self.shown_source = source
        self.loading_source = None

    def set_allowed(self, test_shot: bool, change: bool) -> None:
        """Enable only the actions the person at the screen may use (the panel says why)."""
        self._may_test = test_shot
        self.test_button.setEnabled(test_shot and not self._busy)
        self.enable_button.setEnabled(change)
        self.settings_button.setEnabled(change)

    def set_busy(self, busy: bool) -> None:
        """Test shot running: the button says so and cannot be pressed twice."""
        self._busy = busy
        self.test_button.setEnabled(self._may_test and not busy)
        self.test_button.setText("Taking…" if busy else "Test shot")

    def show_message(self, text: str, role: str = "error") -> None:
        """A line under the facts (e.g. why a test shot failed); "" hides it."""
        self.message.setText(text)
        set_role(self.message, role)
        self.message.setVisible(bool(text))

    def _on_test(self) -> None:
        self.test_shot_requested.emit(self.camera_id)

    def _on_enable(self) -> None:
        self.enable_requested.emit(self.camera_id, not self._enabled)

    def _on_settings(self) -> None:
        self.settings_requested.emit(self.camera_id)

    def _on_browse(self) -> None:
        self.browse_requested.emit(self.camera_id)
