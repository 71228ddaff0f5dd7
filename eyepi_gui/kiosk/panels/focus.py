"""The Focus tab: a camera's live view with its focus score, trend and histogram, zoom and
peaking, Near/Far steps, autofocus, and locking focus so drift is caught later.

Frames flow only while the tab is shown. Every service call goes through the TaskRunner.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import CameraInfo, FocusDirection, FocusStep, FocusSupport
from eyepi_gui.domain.events import CamerasChanged, SettingsChanged
from eyepi_gui.domain.roi import Roi
from eyepi_gui.domain.viewport import ZOOM_STEP, Viewport
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.preview import FrameFeed, Shown
from eyepi_gui.kiosk.widgets.focus_charts import FocusTrend, HistogramView
from eyepi_gui.kiosk.widgets.live_view import LiveView
from eyepi_gui.kiosk.widgets.reflow import follow_width
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.settings import FocusLock

STEP_MARKS = {FocusStep.FINE: 1, FocusStep.MEDIUM: 2, FocusStep.COARSE: 3}
NEAR_MARK, FAR_MARK = "\u2039", "\u203a"  # single angle quotation marks
ZOOM_OUT, NO_SCORE = "\u2212", "\u2013"  # minus sign, en dash
CLIPPED_WARN = 0.005  # warn when more than 0.5 % of the picture is clipped


class FocusPanel(Panel):
    """The Focus tab. ``score_label`` shows the live score of the latest frame."""

    def __init__(
        self,
        context: PanelContext,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(context, parent)
        services, runner, bridge, session = context.parts()
        self.setObjectName("focusPanel")
        self._services, self._runner, self._session = services, runner, session
        self.feed = FrameFeed(services.focus, self)
        self.support = FocusSupport()
        self.lock: FocusLock | None = None
        self.last_frame: Shown | None = None
        self._pending_roi: Roi | None = None  # chosen here, not yet in the frames
        self.live = LiveView()
        self.trend, self.histogram = FocusTrend(), HistogramView()
        self._build()
        self.feed.shown.connect(self._on_shown)
        self.feed.problem.connect(self._on_problem)
        self.live.view_changed.connect(lambda _view: self._send_view())
        self.live.roi_chosen.connect(self._choose_roi)
        bridge.service_event.connect(self._on_event)
        session.changed.connect(self._apply_access)
        self._apply_access(session.principal)
        self._load_cameras()

    @property
    def camera_id(self) -> str:
        return str(self.camera_box.currentData() or "")

    def _build(self) -> None:
        self.camera_box = QComboBox()
        self.camera_box.setObjectName("focusCamera")
        self.camera_box.currentIndexChanged.connect(lambda _index: self._camera_chosen())
        self.status = plain_label("", "focusStatus", wrap=True)
        self.access_note = plain_label("", "accessNote", wrap=True)
        top = QHBoxLayout()
        top.addWidget(self.camera_box)
        top.addWidget(self.status, 1)
        left = QVBoxLayout()
        left.addLayout(top)
        left.addWidget(self.live, 1)
        left.addLayout(self._view_row())
        self._columns = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._columns.setContentsMargins(8, 4, 8, 4)
        self._columns.addLayout(left, 3)
        self._columns.addLayout(self._side(), 2)

    def _view_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.zoom_out = _button(ZOOM_OUT, "zoomOut", lambda: self.live.zoom(1 / ZOOM_STEP))
        self.actual_size = _button("100 %", "actualSize", self._magnify_region)
        self.zoom_in = _button("+", "zoomIn", lambda: self.live.zoom(ZOOM_STEP))
        self.fit_button = _button("Fit", "fitView", lambda: self.live.set_viewport(Viewport()))
        self.peaking_button = _button("Peaking", "peaking", self._send_view)
        self.peaking_button.setCheckable(True)
        for button in (self.zoom_out, self.actual_size, self.zoom_in, self.fit_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.peaking_button)
        return row

    def _side(self) -> QVBoxLayout:
        self.score_label = plain_label(NO_SCORE, "focusScore")
        self.best_label = plain_label("", "focusBest", wrap=True)
        self.clip_label = plain_label("", "clipNote")
        side = QVBoxLayout()
        side.addWidget(plain_label("Focus score", "fieldLabel"))
        side.addWidget(self.score_label)
        side.addWidget(self.best_label)
        side.addWidget(self.trend, 2)
        side.addWidget(self.histogram, 1)
        side.addWidget(self.clip_label)
        side.addLayout(self._lens_grid())
        side.addWidget(self.access_note)
        return side

    def _lens_grid(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        self.near_buttons: dict[FocusStep, QPushButton] = {}
        self.far_buttons: dict[FocusStep, QPushButton] = {}
        for column, step in enumerate((FocusStep.COARSE, FocusStep.MEDIUM, FocusStep.FINE)):
            near = _button(
                NEAR_MARK * STEP_MARKS[step], f"near_{step}", partial(self._drive, -1, step)
            )
            near.setToolTip(f"Near, {step} step")
            grid.addWidget(near, 0, column)
            self.near_buttons[step] = near
        for column, step in enumerate((FocusStep.FINE, FocusStep.MEDIUM, FocusStep.COARSE)):
            far = _button(FAR_MARK * STEP_MARKS[step], f"far_{step}", partial(self._drive, 1, step))
            far.setToolTip(f"Far, {step} step")
            grid.addWidget(far, 0, column + 3)
            self.far_buttons[step] = far
        grid.addWidget(plain_label("Near", "fieldLabel"), 1, 0, 1, 3)
        grid.addWidget(plain_label("Far", "fieldLabel"), 1, 3, 1, 3)
        self.autofocus_button = _button("Autofocus", "autofocus", self._autofocus)
        self.lock_button = _button("Lock focus", "lockFocus", self._toggle_lock)
        grid.addWidget(self.autofocus_button, 2, 0, 1, 3)
        grid.addWidget(self.lock_button, 2, 3, 1, 3)
        return grid

    # Showing and choosing cameras -------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._start_feed()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The charts and lens keys go under the live view on a portrait screen."""
        super().resizeEvent(event)
        follow_width(self._columns, self, QBoxLayout.Direction.LeftToRight)
        stacked = self._columns.direction() == QBoxLayout.Direction.TopToBottom
        self._columns.setStretch(0, 5 if stacked else 3)  # stacked: the picture gets the room

    def hideEvent(self, event: QHideEvent) -> None:
        self.feed.stop()
        super().hideEvent(event)

    def stop(self) -> None:
        self.feed.stop()

    def _start_feed(self) -> None:
        if self.isVisible() and self.camera_id:
            self._send_view()
            self.feed.start(self.camera_id)

    def _load_cameras(self) -> None:
        self._runner.refresh(
            "focus-cameras", self._services.cameras.cameras, self._show_cameras, self._failed
        )

    def _show_cameras(self, cameras: list[CameraInfo]) -> None:
        current = self.camera_id
        self.camera_box.blockSignals(True)
        self.camera_box.clear()
        for info in cameras:
            self.camera_box.addItem(info.camera_id, info.camera_id)
            self.camera_box.setItemData(
                self.camera_box.count() - 1, info.model, Qt.ItemDataRole.ToolTipRole
            )
        index = max(0, self.camera_box.findData(current))
        self.camera_box.setCurrentIndex(index)
        self.camera_box.blockSignals(False)
        if not cameras:
            self.status.setText("No camera found yet.")
        if self.camera_id != current or not self.feed.running:
            self._camera_chosen()

    def _camera_chosen(self) -> None:
        camera_id = self.camera_id
        self.trend.clear()
        self.live.shown = None
        self.live.set_viewport(Viewport())
        self.feed.stop()
        if not camera_id:
            return
        self._start_feed()
        focus = self._services.focus
        self._runner.run("focus-support", lambda: focus.support(camera_id), self._show_support)
        self._load_lock()

    def _load_lock(self) -> None:
        camera_id, config = self.camera_id, self._services.config
        self._runner.run(
            "focus-lock-state", lambda: config.camera(camera_id).focus_lock, self._show_lock
        )

    # Frames -------------------------------------------------------------------------------

    def _send_view(self) -> None:
        peaking = self.peaking_button.isChecked()
        self.feed.set_view(self.live.viewport, self.live.screen_size, peaking)

    def _on_shown(self, shown: object) -> None:
        assert isinstance(shown, Shown)
        if shown.frame.camera_id != self.camera_id:
            self.feed.painted()
            return
        self.last_frame = shown
        frame = shown.frame
        if self._pending_roi in (None, frame.roi):
            self.live.roi, self._pending_roi = frame.roi, None
        self.live.show_frame(shown)
        self.score_label.setText(format_score(frame.score))
        self.trend.add(frame.grabbed, frame.score)
        self.histogram.set_histogram(frame.histogram)
        self._show_best()
        clipped = frame.histogram.clipped
        self.clip_label.setText(f"{clipped:.1%} clipped" if clipped > 0 else "")
        set_role(self.clip_label, "warn" if clipped > CLIPPED_WARN else "")
        self.feed.painted()

    def _show_best(self) -> None:
        parts = []
        if self.trend.best is not None:
            parts.append(f"best in the last minute {format_score(self.trend.best[1])}")
        if self.lock is not None:
            warn_at = self.lock.reference * self.lock.drift_fraction
            parts.append(
                f"locked {format_score(self.lock.reference)} from a still; "
                f"captures below {format_score(warn_at)} warn"
            )
        self.best_label.setText(" · ".join(parts))

    def _on_problem(self, problem: str) -> None:
        self.status.setText(problem)
        set_role(self.status, "warn" if problem else "")

    # Actions ------------------------------------------------------------------------------

    def _choose_roi(self, roi: object) -> None:
        assert isinstance(roi, Roi)
        reason = self._session.why_not(Permission.FOCUS)
        if reason:
            self.status.setText(reason)
            return
        self.live.roi = self._pending_roi = roi
        self.trend.clear()
        principal, camera_id, focus = self._session.principal, self.camera_id, self._services.focus
        self._runner.run(
            "focus-roi", lambda: focus.set_roi(principal, camera_id, roi), None, self._failed
        )

    def _magnify_region(self) -> None:
        roi = self.live.roi
        self.live.magnify((roi.x + roi.w / 2, roi.y + roi.h / 2))

    def _drive(self, sign: int, step: FocusStep) -> None:
        principal, camera_id, focus = self._session.principal, self.camera_id, self._services.focus
        direction = FocusDirection(sign)
        self._runner.run(
            f"focus-drive-{direction.name}-{step}",
            lambda: focus.drive(principal, camera_id, direction, step),
            None,
            self._failed,
        )

    def _autofocus(self) -> None:
        principal, camera_id, focus = self._session.principal, self.camera_id, self._services.focus
        self.status.setText("Autofocus running…")
        self.autofocus_button.setEnabled(False)
        self._runner.run(
            "focus-af",
            lambda: focus.autofocus(principal, camera_id),
            lambda _r: self._done("Autofocus done."),
            self._failed,
        )

    def _toggle_lock(self) -> None:
        principal, camera_id, focus = self._session.principal, self.camera_id, self._services.focus
        self.lock_button.setEnabled(False)
        work: Callable[[], object]
        if self.lock is None:
            self.status.setText("Taking a reference still…")
            work = partial(focus.lock, principal, camera_id)
        else:
            work = partial(focus.unlock, principal, camera_id)
        self._runner.run("focus-lock", work, lambda _r: self._load_lock(), self._failed)

    def _show_lock(self, lock: FocusLock | None) -> None:
        self.lock = lock
        self.lock_button.setText("Unlock focus" if self.lock else "Lock focus")
        if self.lock is not None:
            self._done(f"Focus locked at score {format_score(self.lock.reference)}.")
        self._show_best()
        self._apply_access(self._session.principal)

    def _show_support(self, support: FocusSupport) -> None:
        self.support = support
        self._apply_access(self._session.principal)

    def _done(self, message: str) -> None:
        self.status.setText(message)
        set_role(self.status, "")
        self._apply_access(self._session.principal)

    def _failed(self, error: Exception) -> None:
        self.status.setText(self.context.say(error))
        set_role(self.status, "error")
        self._apply_access(self._session.principal)

    def _on_event(self, event: object) -> None:
        if isinstance(event, CamerasChanged):
            self._load_cameras()
        elif isinstance(event, SettingsChanged):
            self._load_lock()

    def _apply_access(self, _principal: Principal) -> None:
        """Enable what the camera offers and the person may do; say why the rest is off."""
        reason = self._session.why_not(Permission.FOCUS)
        allowed = reason is None and bool(self.camera_id)
        for button in (*self.near_buttons.values(), *self.far_buttons.values()):
            button.setEnabled(allowed and self.support.drive)
        self.autofocus_button.setEnabled(allowed and self.support.autofocus)
        self.lock_button.setEnabled(allowed)
        notes = [reason] if reason else []
        if self.camera_id and not (self.support.drive or self.support.autofocus):
            notes.append("This camera's lens cannot be driven from the station.")
        self.access_note.setText(" ".join(notes))
        self.access_note.setVisible(bool(notes))


def format_score(score: float) -> str:
    """The score as the kiosk shows it: one decimal."""
    return f"{score:.1f}"


def _button(text: str, name: str, on_click: object) -> QPushButton:
    button = QPushButton(text)
    button.setObjectName(name)
    button.clicked.connect(on_click)
    return button
