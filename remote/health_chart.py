"""The dashboard's capture-health chart as SVG shapes, drawn like the kiosk's: one column per
hour, outline = expected, blue = taken, orange = missed, grey hatching = the camera did not
run. Only numbers go into the template (``templates/health_chart.html``), never user text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from eyepi_gui.domain.health import HourHealth

WIDTH, HEIGHT, COLUMN = 240.0, 40.0, 10.0
"""The chart's viewBox (user units) and one hour's column: 24 columns fill the width."""
MOSTLY_OFF = 0.5
MISSED_MIN = 2.0


@dataclass(frozen=True)
class Shape:
    """A rectangle in the viewBox; ``kind`` is off, taken, missed or expected."""

    kind: str
    x: float
    y: float
    width: float
    height: float


def chart_shapes(hours: Sequence[HourHealth]) -> list[Shape]:
    top = max(1, *(h.expected for h in hours), *(h.taken for h in hours)) if hours else 1
    return [shape for i, hour in enumerate(hours) for shape in _hour(i * COLUMN + 1, hour, top)]


def _hour(x: float, hour: HourHealth, top: int) -> list[Shape]:
    width, scale, shapes = COLUMN - 2, HEIGHT / top, []
    length = hour.stop - hour.start
    off_share = hour.off_s / length if length > 0 else 0.0
    if off_share > MOSTLY_OFF:
        shapes.append(Shape("off", x, 0, width, HEIGHT))
    elif off_share > 0:
        shapes.append(Shape("off", x, HEIGHT - 4, width, 4))
    taken_h, expected_h = hour.taken * scale, hour.expected * scale
    if taken_h:
        shapes.append(Shape("taken", x, HEIGHT - taken_h, width, taken_h))
    if hour.gap:
        missed_h = max(expected_h - taken_h, MISSED_MIN)
        shapes.append(Shape("missed", x, HEIGHT - taken_h - missed_h, width, missed_h))
    if hour.expected:
        shapes.append(Shape("expected", x, HEIGHT - expected_h, width, expected_h))
    return shapes
