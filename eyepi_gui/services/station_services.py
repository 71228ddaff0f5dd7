"""The service layer as one object: what the kiosk and the remote endpoint are given."""

from __future__ import annotations

from dataclasses import dataclass

from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.capture import CaptureScheduler
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.overview import StationOverview


@dataclass(frozen=True)
class StationServices:
    """Every service of one station. All methods may block: frontends call them off the GUI
    thread (the kiosk's TaskRunner) and subscribe to ``bus`` for changes."""

    config: SettingsService
    cameras: CameraService
    scheduler: CaptureScheduler
    overview: StationOverview
    bus: EventBus
