"""Small software-painted charts for the Focus tab: the score's last minute and the histogram."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from eyepi_gui.domain.focus import Histogram

TREND_S = 60.0
LINE = QColor(10, 88, 202)
BEST = QColor(191, 135, 0)
CLIPPED = QColor(207, 34, 46)
BARS = QColor(87, 96, 106)
GRID = QColor(140, 149, 159)


class FocusTrend(QWidget):
    """The focus score over the last minute, with the best value seen marked (a dot and a
    line). ``add(t, score)`` takes monotonic seconds; older points fall off."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("focusTrend")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.points: deque[tuple[float, float]] = deque()
        self.best: tuple[float, float] | None = None

    def sizeHint(self) -> QSize:
        return QSize(240, 80)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 48)

    def clear(self) -> None:
        self.points.clear()
        self.best = None
        self.update()

    def add(self, t: float, score: float) -> None:
        self.points.append((t, score))
        while self.points and self.points[0][0] < t - TREND_S:
            self.points.popleft()
        if self.best is None or score >= self.best[1] or self.best[0] < t - TREND_S:
            self.best = max(self.points, key=lambda point: point[1])
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect()).adjusted(2, 4, -2, -2)
        painter.setPen(QPen(GRID, 1))
        painter.drawRect(area)
        if len(self.points) < 2 or self.best is None:
            return
        end = self.points[-1][0]
        shown_s = min(TREND_S, max(5.0, end - self.points[0][0]))  # fill the width early on
        low, high = scale_range([score for _, score in self.points])

        def place(t: float, score: float) -> QPointF:
            x = area.right() - (end - t) / shown_s * area.width()
            return QPointF(x, area.bottom() - (score - low) / (high - low) * area.height())

        painter.setPen(QPen(LINE, 2))
        painter.drawPolyline(QPolygonF([place(t, s) for t, s in self.points]))
        best = place(*self.best)
        painter.setPen(QPen(BEST, 1, Qt.PenStyle.DashLine))
        painter.drawLine(QPointF(area.left(), best.y()), QPointF(area.right(), best.y()))
        painter.setBrush(BEST)
        painter.drawEllipse(best, 4, 4)


def scale_range(scores: list[float]) -> tuple[float, float]:
    """The trend's vertical range: the scores seen with a margin, at least 5 % of the top
    (a steady score draws a flat line in the middle, not noise blown up to full height)."""
    low, high = min(scores), max(scores)
    span = max(high - low, 0.05 * abs(high), 1e-6)
    middle = (low + high) / 2
    return middle - span * 0.6, middle + span * 0.6


class HistogramView(QWidget):
    """The live luma histogram; the top bin turns red when highlights clip."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("histogramView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.histogram: Histogram | None = None

    def sizeHint(self) -> QSize:
        return QSize(240, 56)

    def minimumSizeHint(self) -> QSize:
        return QSize(120, 32)

    def set_histogram(self, histogram: Histogram) -> None:
        self.histogram = histogram
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        area = QRectF(self.rect()).adjusted(2, 2, -2, -2)
        painter.setPen(QPen(GRID, 1))
        painter.drawRect(area)
        hist = self.histogram
        if hist is None or not any(hist.bins):
            return
        tallest, width = max(hist.bins), area.width() / len(hist.bins)
        painter.setPen(Qt.PenStyle.NoPen)
        for index, count in enumerate(hist.bins):
            clipped = index == len(hist.bins) - 1 and hist.clipped > 0
            painter.setBrush(CLIPPED if clipped else BARS)
            height = max(1.0 if count else 0.0, count / tallest * area.height())
            painter.drawRect(
                QRectF(area.left() + index * width, area.bottom() - height, width, height)
            )
