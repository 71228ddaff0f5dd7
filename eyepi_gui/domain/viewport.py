"""What part of a live frame a preview shows, at what scale, and the picture it paints.

``scale`` is screen pixels per image pixel: 1.0 is 100 % (one image pixel on one screen
pixel); ``None`` fits the whole frame. ``centre`` is the shown point, as fractions of the frame.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import cv2
import numpy as np

from eyepi_gui.domain import focus

if TYPE_CHECKING:
    from eyepi_gui.domain.focus import Image

MAX_SCALE = 8.0  # 800 %
ZOOM_STEP = 2.0


@dataclass(frozen=True)
class Viewport:
    scale: float | None = None
    centre: tuple[float, float] = (0.5, 0.5)

    @property
    def fitted(self) -> bool:
        return self.scale is None

    def effective_scale(self, image: tuple[int, int], screen: tuple[int, int]) -> float:
        """Screen px per image px for an ``image`` (w, h) shown on a ``screen`` (w, h)."""
        return self.scale if self.scale is not None else fit_scale(image, screen)

    def source(self, image: tuple[int, int], screen: tuple[int, int]) -> tuple[float, ...]:
        """The shown part of the image: (left, top, width, height) in image px, kept inside
        the image (so panning stops at the edges)."""
        width, height = image
        scale = self.effective_scale(image, screen)
        w, h = min(width, screen[0] / scale), min(height, screen[1] / scale)
        left = min(max(self.centre[0] * width - w / 2, 0.0), width - w)
        top = min(max(self.centre[1] * height - h / 2, 0.0), height - h)
        return float(int(left)), float(int(top)), w, h  # whole pixels: as ``render`` crops

    def to_image(
        self, point: tuple[float, float], image: tuple[int, int], screen: tuple[int, int]
    ) -> tuple[float, float]:
        """A screen point as fractions of the image (clamped to it)."""
        left, top, scale, ox, oy = self._placement(image, screen)
        x = left + (point[0] - ox) / scale
        y = top + (point[1] - oy) / scale
        return (min(max(x / image[0], 0.0), 1.0), min(max(y / image[1], 0.0), 1.0))

    def to_screen(
        self, fraction: tuple[float, float], image: tuple[int, int], screen: tuple[int, int]
    ) -> tuple[float, float]:
        """Fractions of the image as a screen point (may lie outside the screen)."""
        left, top, scale, ox, oy = self._placement(image, screen)
        return (
            ox + (fraction[0] * image[0] - left) * scale,
            oy + (fraction[1] * image[1] - top) * scale,
        )

    def _placement(
        self, image: tuple[int, int], screen: tuple[int, int]
    ) -> tuple[float, float, float, float, float]:
        """Shown part's image left/top, the scale, and where it starts on the screen."""
        left, top, w, h = self.source(image, screen)
        scale = self.effective_scale(image, screen)
        ox, oy = offset(w * scale, h * scale, screen)
        return left, top, scale, ox, oy

    def zoomed(self, factor: float, image: tuple[int, int], screen: tuple[int, int]) -> Viewport:
        """Zoom by ``factor`` about the centre; back to fitted when it would show less than
        the fitted view does."""
        scale = self.effective_scale(image, screen) * factor
        if scale <= fit_scale(image, screen) + 1e-9:
            return replace(self, scale=None)
        return replace(self, scale=min(scale, MAX_SCALE))

    def panned(
        self, dx: float, dy: float, image: tuple[int, int], screen: tuple[int, int]
    ) -> Viewport:
        """Move the view by a finger drag of (dx, dy) screen px (the picture follows it)."""
        scale = self.effective_scale(image, screen)
        left, top, w, h = self.source(image, screen)
        cx = (left + w / 2 - dx / scale) / image[0]
        cy = (top + h / 2 - dy / scale) / image[1]
        return replace(self, centre=(min(max(cx, 0.0), 1.0), min(max(cy, 0.0), 1.0)))


def fit_scale(image: tuple[int, int], screen: tuple[int, int]) -> float:
    return min(screen[0] / image[0], screen[1] / image[1])


def offset(shown_w: float, shown_h: float, screen: tuple[int, int]) -> tuple[float, float]:
    """Where the shown picture starts on the screen (it is centred when smaller)."""
    return (max(0.0, (screen[0] - shown_w) / 2), max(0.0, (screen[1] - shown_h) / 2))


def render(
    image: Image, viewport: Viewport, screen: tuple[int, int], peaking: Image | None = None
) -> Image:
    """The RGB picture to paint: the viewport's part of ``image`` at its scale (area-averaged
    when reduced, nearest-neighbour when magnified, so pixels stay visible), with peaking."""
    height, width = image.shape[:2]
    left, top, w, h = viewport.source((width, height), screen)
    x0, y0 = int(left), int(top)
    x1, y1 = min(width, int(np.ceil(left + w))), min(height, int(np.ceil(top + h)))
    part = image[y0:y1, x0:x1]
    if peaking is not None:
        part = focus.overlay_peaking(part, peaking[y0:y1, x0:x1])
    scale = viewport.effective_scale((width, height), screen)
    size = (max(1, round((x1 - x0) * scale)), max(1, round((y1 - y0) * scale)))
    if size == (x1 - x0, y1 - y0):
        return np.ascontiguousarray(part)
    if scale >= 1:
        return np.asarray(cv2.resize(part, size, interpolation=cv2.INTER_NEAREST), np.uint8)
    factor = int(1 / scale)
    if factor >= 2:  # area-average by a whole factor (fast), then the small remainder
        reduced = (max(1, part.shape[1] // factor), max(1, part.shape[0] // factor))
        part = np.asarray(cv2.resize(part, reduced, interpolation=cv2.INTER_AREA), np.uint8)
    return np.asarray(cv2.resize(part, size, interpolation=cv2.INTER_LINEAR), np.uint8)
