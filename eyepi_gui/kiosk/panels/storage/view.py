"""What the Storage tab reads, each in one go off the GUI thread (the panel's TaskRunner
work): the disk and drives with the forecast and the cameras, and the exports made."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from eyepi_gui.domain.export import ExportRecord
from eyepi_gui.domain.volumes import StorageForecast
from eyepi_gui.errors import EyepiError
from eyepi_gui.kiosk.messages import sentence
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.services.volumes import StationVolumes

HISTORY_ROWS = 20


@dataclass(frozen=True)
class CameraName:
    """A camera the station has now: its id and the name people gave it."""

    camera_id: str
    name: str


@dataclass(frozen=True)
class StorageView:
    """One refresh: the volumes, the forecast (None with ``forecast_problem`` saying why),
    the cameras (what an export may pick) and the station's time zone."""

    volumes: StationVolumes
    forecast: StorageForecast | None
    forecast_problem: str
    cameras: tuple[CameraName, ...]
    tz: tzinfo


def fetch_view(services: StationServices) -> StorageView:
    """Runs on a TaskRunner thread. A disk that cannot be measured is said, not raised."""
    volumes = services.volumes.volumes()
    forecast, problem = None, ""
    try:
        forecast = services.volumes.forecast()
    except EyepiError as err:
        problem = sentence(err)
    config = services.config
    ids = sorted(info.camera_id for info in services.cameras.cameras())
    cameras = tuple(CameraName(c, config.camera(c).name or c) for c in ids)
    return StorageView(volumes, forecast, problem, cameras, config.tz())


def fetch_history(services: StationServices) -> tuple[list[ExportRecord], tzinfo]:
    """Runs on a TaskRunner thread: the last exports, newest first."""
    return services.export.history(HISTORY_ROWS), services.config.tz()
