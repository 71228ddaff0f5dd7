"""The API's models of storage (``/api/v1/storage``): volumes, the data disk's forecast, USB
exports (what to export, and the exports made)."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field

from eyepi_gui.domain.export import ExportRecord
from eyepi_gui.domain.volumes import CameraForecast, StorageForecast, Volume
from eyepi_gui.settings.values import CameraId, Flag, Number
from remote.models import STRICT

DEVICE_MAX = 64
DAY = Annotated[str, Field(max_length=10, description="a local day, YYYY-MM-DD")]


class VolumeOut(BaseModel):
    """A volume: ``device`` names it to the API (``/dev/sdb1``), sizes in bytes, ``free``
    null unless mounted; ``removable`` drives may be exported to."""

    device: str
    name: str
    size: int
    fstype: str | None
    label: str | None
    mountpoint: str | None
    free: int | None
    removable: bool
    usb: bool
    read_only: bool
    model: str | None
    vendor: str | None

    @classmethod
    def of(cls, volume: Volume) -> VolumeOut:
        return cls(**volume.__dict__)


class VolumesOut(BaseModel):
    """The data disk and the removable drives plugged in; ``problem`` says why removable
    drives could not be listed (then there are none)."""

    data_disk: VolumeOut
    removable: list[VolumeOut]
    problem: str | None


class CameraForecastOut(BaseModel):
    camera_id: str
    captures_per_day: int
    bytes_per_capture: float | None
    bytes_per_day: float | None

    @classmethod
    def of(cls, camera: CameraForecast) -> CameraForecastOut:
        return cls(
            camera_id=camera.camera_id,
            captures_per_day=camera.captures_per_day,
            bytes_per_capture=camera.bytes_per_capture,
            bytes_per_day=camera.bytes_per_day,
        )


class ForecastOut(BaseModel):
    """The data disk (bytes) and days until captures reach the floor (null: nothing
    measured captures)."""

    free: int
    total: int
    floor: int
    bytes_per_day: float
    days_until_full: float | None
    cameras: list[CameraForecastOut]

    @classmethod
    def of(cls, forecast: StorageForecast) -> ForecastOut:
        return cls(
            free=forecast.free,
            total=forecast.total,
            floor=forecast.floor,
            bytes_per_day=forecast.bytes_per_day,
            days_until_full=forecast.days_until_full,
            cameras=[CameraForecastOut.of(c) for c in forecast.cameras],
        )


class ExportIn(BaseModel):
    """What to export to the removable ``device`` (as ``storage/volumes`` lists it):
    ``cameras`` (empty: all) and the days ``first_day``..``last_day`` (both included), or
    ``not_exported``: everything no stick has yet."""

    model_config = STRICT
    device: Annotated[str, Field(max_length=DEVICE_MAX)]
    cameras: Annotated[list[CameraId], Field(max_length=64)] = []
    first_day: DAY | None = None
    last_day: DAY | None = None
    not_exported: Flag = False


class HistoryFilter(BaseModel):
    model_config = STRICT
    limit: Annotated[int, Number(1, 200, whole=True)] = 50


class ExportOut(BaseModel):
    """One export: when, by whom, to which stick, how many files and bytes were verified
    there, how it ended ("running", "done", "failed: ...", "cancelled: ...")."""

    export_id: int
    job_id: str
    started_at: float
    ended_at: float | None
    by: str
    device: str
    label: str | None
    fstype: str | None
    folder: str
    files: int
    bytes: int
    outcome: str

    @classmethod
    def of(cls, record: ExportRecord) -> ExportOut:
        return cls(**record.__dict__)
