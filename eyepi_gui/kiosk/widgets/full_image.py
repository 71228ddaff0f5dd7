"""One image full size: fits the screen, zooms (pinch, wheel, double tap, buttons) and pans
by dragging when zoomed; a horizontal swipe at fit size pages to the next or previous image."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, Signal
from PySide6.QtGui import QImage, QMouseEvent, QPainter, QPixmap, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import (
    QGestureEvent,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QPinchGesture,
    QWidget,
)

SWIPE_PX = 60
ZOOM_STEP = 1.25
ZOOM_MAX = 8.0


class FullImageView(QGraphicsView):
    """Signals: swiped(step: int): -1 for the earlier image (a swipe right), +1 for the later."""

    swiped = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fullImage")
        self.setScene(QGraphicsScene(self))
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().addItem(self._item)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(Qt.GlobalColor.black)
        self.viewport().grabGesture(Qt.GestureType.PinchGesture)
        self.zoom = 1.0
        self._press: QPoint | None = None

    def show_image(self, image: QImage) -> None:
        self._item.setPixmap(QPixmap.fromImage(image))
        self.scene().setSceneRect(self._item.boundingRect())
        self.fit()

    def clear(self) -> None:
        self._item.setPixmap(QPixmap())

    def fit(self) -> None:
        """Back to the whole image in view."""
        self.zoom = 1.0
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        if not self._item.pixmap().isNull():
            self.fitInView(self._item, Qt.AspectRatioMode.KeepAspectRatio)

    def zoom_by(self, factor: float) -> None:
        """Zoom in (factor > 1) or out, between fit size and ``ZOOM_MAX`` times it."""
        wanted = min(ZOOM_MAX, max(1.0, self.zoom * factor))
        if wanted == 1.0:
            self.fit()
            return
        self.scale(wanted / self.zoom, wanted / self.zoom)
        self.zoom = wanted
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.zoom == 1.0:
            self.fit()

    def wheelEvent(self, event: QWheelEvent) -> None:
        self.zoom_by(ZOOM_STEP if event.angleDelta().y() > 0 else 1 / ZOOM_STEP)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if self.zoom > 1.0:
            self.fit()
        else:
            self.zoom_by(2.0)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        start, self._press = self._press, None
        if start is None or self.zoom > 1.0:
            return
        moved = event.position().toPoint() - start
        if abs(moved.x()) >= SWIPE_PX and abs(moved.x()) > 2 * abs(moved.y()):
            self.swiped.emit(1 if moved.x() < 0 else -1)

    def viewportEvent(self, event: QEvent) -> bool:
        if isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                self.zoom_by(pinch.scaleFactor())
                return True
        return super().viewportEvent(event)
