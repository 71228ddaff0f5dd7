"""One camera's section of station.toml: ``[cameras.<id>]`` and its ``focus_lock``."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from eyepi_gui.domain import naming, roi, schedule
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings.values import Flag, Number, plain_text

MIN_SIDE, MAX_SIDE = 16, 8192
DEFAULT_RESOLUTION = "1920x1080"
NAME_MAX = 40
_RESOLUTION = re.compile(r"([0-9]{1,5})x([0-9]{1,5})")
_RESOLUTION_RULE = (
    f'use WIDTHxHEIGHT in pixels, each side {MIN_SIDE} to {MAX_SIDE}, for example "1920x1080"'
)

Label = Annotated[str, Field(min_length=1, max_length=NAME_MAX), AfterValidator(plain_text)]
Fraction = Annotated[float, Number(0, 1)]


def _window(text: str) -> str:
    schedule.parse_window(text)
    window = text.strip(" ")
    return schedule.ALWAYS if window.lower() == schedule.ALWAYS else window


def _resolution(text: str) -> str:
    match = _RESOLUTION.fullmatch(text.strip(" "))
    if not match:
        raise ValueError(_RESOLUTION_RULE)
    width, height = int(match.group(1)), int(match.group(2))
    if not (MIN_SIDE <= width <= MAX_SIDE and MIN_SIDE <= height <= MAX_SIDE):
        raise ValueError(f"{width}x{height} is not allowed: {_RESOLUTION_RULE}")
    return f"{width}x{height}"


def _formats(formats: tuple[str, ...]) -> tuple[str, ...]:
    if not formats:
        raise ValueError('list one or more of "jpg", "png"')
    if len(set(formats)) != len(formats):
        raise ValueError("list each format once")
    return formats


def _roi(values: tuple[float, ...]) -> tuple[float, ...]:
    try:
        return roi.make_roi(values).as_tuple()
    except InvalidInput as err:
        raise ValueError(err.reason) from err


class FocusLock(BaseModel):
    """A locked focus: the score of the reference still over ``roi`` (left, top, width,
    height as fractions of the frame); a capture scoring below ``drift_fraction`` of the
    reference raises a focus-drift warning."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reference: Annotated[float, Number(0, above=True)]
    roi: Annotated[tuple[Fraction, ...], AfterValidator(_roi)]
    drift_fraction: Annotated[float, Number(0.05, 0.99)] = 0.7
    locked_at: Annotated[str, Field(max_length=40), AfterValidator(plain_text)] = ""


class CameraSettings(BaseModel):
    """One camera's capture settings; intervals in seconds, quality 1-100.

    ``resolution`` is the still's size in px. A size the camera cannot take is a problem of
    that camera (see ``settings.limits``), except the default: "1920x1080" means "up to
    1920x1080", so a smaller camera takes its largest still of that shape without complaint.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Label
    enabled: Flag = True
    interval_s: Annotated[float, Number(0.5, 86400, "seconds")] = 300.0
    window: Annotated[str, AfterValidator(_window)] = "05:00-22:00"
    formats: Annotated[
        tuple[Literal["jpg", "png"], ...],
        Field(json_schema_extra={"minItems": 1}),  # said by _formats, in the station's words
        AfterValidator(_formats),
    ] = ("jpg",)
    resolution: Annotated[str, AfterValidator(_resolution)] = DEFAULT_RESOLUTION
    jpeg_quality: Annotated[int, Number(1, 100, whole=True)] = 90
    keep: Literal["all", "latest"] = "all"
    filename: Annotated[str, AfterValidator(naming.check_pattern)] = naming.DEFAULT_PATTERN
    focus_lock: FocusLock | None = None

    @property
    def size(self) -> tuple[int, int]:
        width, height = self.resolution.split("x")
        return int(width), int(height)

    @property
    def daily_window(self) -> schedule.DailyWindow | None:
        return schedule.parse_window(self.window)
