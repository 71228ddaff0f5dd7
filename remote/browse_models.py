"""The capture browser's API models: a camera's days, a day's images, thumbnail sizes."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from eyepi_gui.domain.browse import BrowseImage, DayCount
from eyepi_gui.settings.values import CameraId, Number
from remote.models import STRICT

DayText = Annotated[
    str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$", description="a day as YYYY-MM-DD (station zone)")
]


class CameraDaysQuery(BaseModel):
    model_config = STRICT
    camera: CameraId


class CameraDayQuery(BaseModel):
    model_config = STRICT
    camera: CameraId
    day: DayText


class ThumbnailQuery(BaseModel):
    """``size``: the longer side in pixels (160 for grids, 320 for large screens)."""

    model_config = STRICT
    size: Annotated[int, Number(160, 320, whole=True, unit="px")] = 160


class DayOut(BaseModel):
    day: str
    count: int

    @classmethod
    def of(cls, found: DayCount) -> DayOut:
        return cls(day=found.day.isoformat(), count=found.count)


class BrowseImageOut(BaseModel):
    """An image of a day: ``file_name`` only (never a path); ``drifted`` when focus was
    locked and the image scored below the drift mark."""

    id: int
    camera_id: str
    file_name: str
    taken_at: float
    size: int
    focus_score: float | None
    drifted: bool

    @classmethod
    def of(cls, image: BrowseImage) -> BrowseImageOut:
        return cls(
            id=image.record_id,
            camera_id=image.camera_id,
            file_name=image.name,
            taken_at=image.taken_at,
            size=image.size,
            focus_score=image.focus_score,
            drifted=image.drifted,
        )
