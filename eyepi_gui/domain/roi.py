"""The region of interest a focus score is measured over (no numpy: settings load it)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from eyepi_gui.errors import InvalidInput

MIN_ROI_PX = 16


@dataclass(frozen=True)
class Roi:
    """A region of interest as fractions of the frame: left, top, width, height in 0..1, so
    one region fits the live view and every still size."""

    x: float = 1 / 3
    y: float = 1 / 3
    w: float = 1 / 3
    h: float = 1 / 3

    def pixels(self, width: int, height: int) -> tuple[int, int, int, int]:
        """(left, top, width, height) in px inside a ``width`` x ``height`` frame, at least
        ``MIN_ROI_PX`` on each side (or the whole frame when it is smaller)."""
        w = min(width, max(MIN_ROI_PX, round(self.w * width)))
        h = min(height, max(MIN_ROI_PX, round(self.h * height)))
        left = min(max(0, round(self.x * width)), width - w)
        top = min(max(0, round(self.y * height)), height - h)
        return left, top, w, h

    def as_tuple(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.w, self.h)


def make_roi(values: Sequence[float]) -> Roi:
    """A checked ``Roi`` from (x, y, w, h); ``InvalidInput("roi")`` names what is wrong."""
    if len(values) != 4:
        raise InvalidInput("roi", "give four numbers: left, top, width and height (0 to 1)")
    x, y, w, h = (float(v) for v in values)
    if not all(math.isfinite(v) for v in (x, y, w, h)):
        raise InvalidInput("roi", "left, top, width and height must be numbers")
    if not (0.0 <= x < 1.0 and 0.0 <= y < 1.0):
        raise InvalidInput("roi", "left and top must be from 0 up to (not including) 1")
    if not (0.0 < w <= 1.0 and 0.0 < h <= 1.0):
        raise InvalidInput("roi", "width and height must be above 0 and at most 1")
    if x + w > 1.0 + 1e-9 or y + h > 1.0 + 1e-9:
        raise InvalidInput("roi", "the region must lie inside the frame")
    return Roi(x, y, w, h)


def roi_around(cx: float, cy: float, w: float, h: float) -> Roi:
    """A region of ``w`` x ``h`` centred as near (cx, cy) as the frame allows (fractions)."""
    w, h = min(max(w, 0.02), 1.0), min(max(h, 0.02), 1.0)
    x = min(max(cx - w / 2, 0.0), 1.0 - w)
    y = min(max(cy - h / 2, 0.0), 1.0 - h)
    return Roi(x, y, w, h)
