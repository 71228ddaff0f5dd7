"""The service layer as one object: what the kiosk and the remote endpoint are given."""

from __future__ import annotations

import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from eyepi_gui.services.access import AccessControl
from eyepi_gui.services.addresses import StationAddresses
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.capture import CaptureScheduler
from eyepi_gui.services.captures import CaptureLibrary
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.endpoint import RemoteEndpoint
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.focus import FocusService
from eyepi_gui.services.inventory import CameraInventory
from eyepi_gui.services.login import LoginGate
from eyepi_gui.services.network import NetworkService
from eyepi_gui.services.network_cameras import NetworkCameras
from eyepi_gui.services.overview import StationOverview
from eyepi_gui.services.station_info import StationInfo
from eyepi_gui.services.streams import LiveStreams
from eyepi_gui.services.tokens import ApiTokens
from eyepi_gui.services.users import UserService
from eyepi_gui.services.web_sessions import WebSessions

if TYPE_CHECKING:  # built on first use (station_storage, station_logs): kept out of start-up
    from eyepi_gui.services.browse import CaptureBrowser
    from eyepi_gui.services.export import ExportService
    from eyepi_gui.services.jobs import JobService
    from eyepi_gui.services.logs import LogService
    from eyepi_gui.services.retention import RetentionService
    from eyepi_gui.services.support_bundle import SupportBundles
    from eyepi_gui.services.thumbnails import ThumbnailService
    from eyepi_gui.services.volumes import VolumeService


@dataclass(frozen=True)
class StationServices:
    """Every service of one station. All methods may block: frontends call them off the GUI
    thread (the kiosk's TaskRunner) and subscribe to ``bus`` for changes. Methods that change
    anything take the ``Principal`` asking and check its permission (see services.access)."""

    config: SettingsService
    cameras: CameraService
    scheduler: CaptureScheduler
    overview: StationOverview
    bus: EventBus
    access: AccessControl
    audit: AuditLog
    login: LoginGate
    users: UserService
    inventory: CameraInventory
    focus: FocusService
    captures: CaptureLibrary
    browser: CaptureBrowser
    """Kept images by camera and day, with focus score and drift flag; a day as a zip."""
    thumbnails: ThumbnailService
    """Small JPEGs of kept images, made once and cached under the home."""
    tokens: ApiTokens
    web_sessions: WebSessions
    streams: LiveStreams
    addresses: StationAddresses
    network_cameras: NetworkCameras
    station_info: StationInfo
    """Hostname, addresses, the endpoint's URLs, version and uptimes ("This station")."""
    network: NetworkService
    """The Network tab: status, Wi-Fi, addressing, hostname, hotspot, changes waiting."""
    jobs: JobService
    """Long-running work (exports, rescans): progress, cancel, result; one list for all."""
    volumes: VolumeService
    """The data disk, removable drives and how long the data disk lasts."""
    export: ExportService
    """USB export as jobs (copy, verify, manifest, eject) and the exports made."""
    retention: RetentionService
    """Deleting the oldest exported-and-verified images to keep room (off by default)."""
    logs: LogService
    """The station's log newest first: filtered, paged by cursor, followed live."""
    support: SupportBundles
    """Support bundles (logs, settings without secrets, doctor, health): download or stick."""
    endpoint: RemoteEndpoint = field(default_factory=RemoteEndpoint)
    """The remote endpoint's state, reported by whoever runs it (``cli``)."""


def service_types() -> dict[str, Any]:
    """Each field of StationServices and its class (for checks over every service); imports
    the services that start-up leaves out."""
    from eyepi_gui.services.browse import CaptureBrowser
    from eyepi_gui.services.export import ExportService
    from eyepi_gui.services.jobs import JobService
    from eyepi_gui.services.logs import LogService
    from eyepi_gui.services.retention import RetentionService
    from eyepi_gui.services.support_bundle import SupportBundles
    from eyepi_gui.services.thumbnails import ThumbnailService
    from eyepi_gui.services.volumes import VolumeService

    later = (
        CaptureBrowser,
        ExportService,
        JobService,
        LogService,
        RetentionService,
        SupportBundles,
        ThumbnailService,
        VolumeService,
    )
    return typing.get_type_hints(StationServices, localns={cls.__name__: cls for cls in later})
