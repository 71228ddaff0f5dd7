"""A camera's capture health on its card: "Last good capture 12 min ago" and the last 24 h as
24 small bars (expected vs taken per hour, missed slots in a warning colour, hours the camera
did not run hatched grey). Shows what it is given; the panel fetches it off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget

from eyepi_gui.domain.ago import ago_text
from eyepi_gui.domain.health import HourHealth, summary_text
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.services.capture_health import CameraHealth

TAKEN = QColor(10, 88, 202)
MISSED = QColor(191, 87, 0)
EXPECTED = QColor(140, 149, 159)
OFF = QColor(175, 184, 193)
BASELINE = QColor(208, 215, 222)
MOSTLY_OFF = 0.5
"""An hour off for more than this share is hatched whole; less, only a strip at its foot."""


class HealthChart(QWidget):
    """24 bars, oldest on the left: outline = expected, blue = taken, orange = missed, grey
    hatching = the camera did not run (station off or camera disabled)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("healthChart")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.hours: tuple[HourHealth, ...] = ()

    def sizeHint(self) -> QSize:
        return QSize(240, 40)

    def minimumSizeHint(self) -> QSize:
        return QSize(96, 40)

    def show_hours(self, hours: Sequence[HourHealth]) -> None:
        self.hours = tuple(hours)
        summary = summary_text(self.hours) if self.hours else "No capture history yet"
        self.setToolTip(summary)
        self.setAccessibleDescription(summary)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.hours:
            return
        painter = QPainter(self)
        area = QRectF(self.rect()).adjusted(0, 1, 0, -1)
        step = area.width() / len(self.hours)
        top = max(1, *(h.expected for h in self.hours), *(h.taken for h in self.hours))
        painter.setPen(QPen(BASELINE, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        for index, hour in enumerate(self.hours):
            column = QRectF(area.left() + index * step + 1, area.top(), step - 2, area.height())
            _draw_hour(painter, column, hour, top)


def _draw_hour(painter: QPainter, column: QRectF, hour: HourHealth, top: int) -> None:
    length = hour.stop - hour.start
    off_share = hour.off_s / length if length > 0 else 0.0
    if off_share > 0:
        strip = column if off_share > MOSTLY_OFF else column.adjusted(0, column.height() - 4, 0, 0)
        painter.fillRect(strip, QBrush(OFF, Qt.BrushStyle.BDiagPattern))
    scale = column.height() / top
    taken_h, expected_h = hour.taken * scale, hour.expected * scale
    if taken_h:
        painter.fillRect(column.adjusted(0, column.height() - taken_h, 0, 0), TAKEN)
    if hour.gap:  # at least 2 px: one missed slot among thousands still shows
        missed_h = max(expected_h - taken_h, 2.0)
        y = column.bottom() - taken_h - missed_h
        painter.fillRect(QRectF(column.left(), y, column.width(), missed_h), MISSED)
    if hour.expected:
        painter.setPen(QPen(EXPECTED, 1))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(column.adjusted(0, column.height() - expected_h, -1, -1))


class CaptureHealthView(QWidget):
    """The card's health line and chart, in one widget the card adds in one place."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("captureHealth")
        self.last_capture = plain_label("", "cameraLastCapture", wrap=True)
        self.chart = HealthChart(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.last_capture)
        layout.addWidget(self.chart)

    def show_health(self, health: CameraHealth | None) -> None:
        """Show ``health``; None (not fetched) hides the view."""
        self.setVisible(health is not None)
        if health is None:
            return
        if not health.known:
            self.last_capture.setText("Capture history unknown: the database is busy")
            set_role(self.last_capture, "warn")
        else:
            when = ago_text(health.last_capture_at, health.now)
            self.last_capture.setText(f"Last good capture {when}")
            set_role(self.last_capture, "warn" if health.gaps else "")
        self.chart.show_hours(health.hours)
