"""The live picture: painted in software (QPainter, no OpenGL, so it works over VNC), with the
focus region drawn on it. A finger taps, drags and pinches; a mouse wheel zooms.

- Fitted view: drag draws a new region; a tap centres the region there and shows it at 100 %.
- Magnified: drag pans; a tap centres the region there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGestureEvent, QPinchGesture, QSizePolicy, QWidget

from eyepi_gui.domain import viewport as vp
from eyepi_gui.domain.roi import Roi, make_roi, roi_around
from eyepi_gui.kiosk.preview import Shown

TAP_PX = 12  # a press that moves less than this is a tap
MIN_REGION_PX = 16
ROI_COLOUR = QColor(255, 214, 0)


class LiveView(QWidget):
    """Shows ``Shown`` pictures. Signals: ``roi_chosen(Roi)``, ``view_changed(Viewport)``
    (the widget's own viewport or size changed: render frames for it)."""

    roi_chosen = Signal(object)
    view_changed = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("liveView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.grabGesture(Qt.GestureType.PinchGesture)
        self.viewport = vp.Viewport()
        self.roi = Roi()
        self.shown: Shown | None = None
        self._image: QImage | None = None
        self._press: QPointF | None = None
        self._drag_to: QPointF | None = None
        self._panned_from = self.viewport

    def sizeHint(self) -> QSize:
        return QSize(480, 270)

    @property
    def screen_size(self) -> tuple[int, int]:
        return (self.width(), self.height())

    @property
    def image_size(self) -> tuple[int, int] | None:
        if self.shown is None:
            return None
        height, width = self.shown.frame.image.shape[:2]
        return (width, height)

    def show_frame(self, shown: Shown) -> None:
        """Paint ``shown`` (it keeps the pixels alive while the QImage uses them)."""
        picture = shown.picture
        height, width = picture.shape[:2]
        self.shown = shown
        self._image = QImage(
            picture.data, width, height, picture.strides[0], QImage.Format.Format_RGB888
        )
        self.update()

    def set_viewport(self, viewport: vp.Viewport) -> None:
        self.viewport = viewport
        self.view_changed.emit(viewport)
        self.update()

    def zoom(self, factor: float) -> None:
        size = self.image_size
        if size is not None:
            self.set_viewport(self.viewport.zoomed(factor, size, self.screen_size))

    def magnify(self, centre: tuple[float, float]) -> None:
        """Show the picture at 100 % around ``centre`` (fractions of the frame)."""
        self.set_viewport(vp.Viewport(1.0, centre))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.black)
        shown, image, size = self.shown, self._image, self.image_size
        if shown is None or image is None or size is None:
            return
        x, y = vp.offset(image.width(), image.height(), shown.screen)
        painter.drawImage(QPointF(x, y), image)
        painter.setPen(QPen(ROI_COLOUR, 2))
        painter.drawRect(self._roi_rect(self.roi, size))
        if self._press is not None and self._drag_to is not None and self.viewport.fitted:
            painter.setPen(QPen(ROI_COLOUR, 1, Qt.PenStyle.DashLine))
            painter.drawRect(QRectF(self._press, self._drag_to).normalized())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.view_changed.emit(self.viewport)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press, self._drag_to = event.position(), None
        self._panned_from = self.viewport

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        size = self.image_size
        if self._press is None or size is None:
            return
        self._drag_to = event.position()
        if not self.viewport.fitted:
            delta = self._drag_to - self._press
            moved = self._panned_from.panned(delta.x(), delta.y(), size, self.screen_size)
            self.set_viewport(moved)
        self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        size = self.image_size
        if press is None or size is None:
            return
        end = event.position()
        if (end - press).manhattanLength() < TAP_PX:
            self._tap(end, size)
        elif self.viewport.fitted:
            self._draw_region(press, end, size)
        self._drag_to = None
        self.update()

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps:
            self.zoom(vp.ZOOM_STEP ** (steps / 2))

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Gesture and isinstance(event, QGestureEvent):
            pinch = event.gesture(Qt.GestureType.PinchGesture)
            if isinstance(pinch, QPinchGesture):
                self.zoom(pinch.scaleFactor())
                return True
        return super().event(event)

    def _tap(self, point: QPointF, size: tuple[int, int]) -> None:
        cx, cy = self.viewport.to_image((point.x(), point.y()), size, self.screen_size)
        self.roi_chosen.emit(roi_around(cx, cy, self.roi.w, self.roi.h))
        if self.viewport.fitted:
            self.magnify((cx, cy))

    def _draw_region(self, start: QPointF, end: QPointF, size: tuple[int, int]) -> None:
        screen = self.screen_size
        a = self.viewport.to_image((start.x(), start.y()), size, screen)
        b = self.viewport.to_image((end.x(), end.y()), size, screen)
        w, h = abs(a[0] - b[0]), abs(a[1] - b[1])
        smallest = MIN_REGION_PX / size[0], MIN_REGION_PX / size[1]
        roi = roi_around(
            (a[0] + b[0]) / 2, (a[1] + b[1]) / 2, max(w, smallest[0]), max(h, smallest[1])
        )
        self.roi_chosen.emit(make_roi(roi.as_tuple()))

    def _roi_rect(self, roi: Roi, size: tuple[int, int]) -> QRectF:
        screen = self.screen_size
        x0, y0 = self.viewport.to_screen((roi.x, roi.y), size, screen)
        x1, y1 = self.viewport.to_screen((roi.x + roi.w, roi.y + roi.h), size, screen)
        return QRectF(QPointF(x0, y0), QPointF(x1, y1))
