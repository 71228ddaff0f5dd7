"""Network cameras (RTSP, HTTP MJPEG) added and removed while the station runs.

A camera is saved to station.toml (``[network_cameras.<id>]``, its password beside the URL,
write-only) and the inventory scans at once: the camera appears and captures without a
restart; a removed one is stopped and forgotten. A stream can be tested before it is saved.
Every call is admin-only (``STATION_SETTINGS``) and audited without secrets.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.network_cameras import NetworkCameraView, StreamTest, redact, stream_host
from eyepi_gui.errors import InvalidInput, NotFound
from eyepi_gui.ports import StreamProbe
from eyepi_gui.services.access import AccessControl, reads, requires
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.cameras import CameraService
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.inventory import CameraInventory
from eyepi_gui.settings import NetworkCameraSettings

_log = logging.getLogger("eyepi.network_cameras")
TEST_TIMEOUT_S = 10.0
"""The longest a stream test blocks its caller (s)."""


class NetworkCameras:
    """List, test, add and remove network cameras (see the module)."""

    def __init__(
        self,
        config: SettingsService,
        inventory: CameraInventory,
        cameras: CameraService,
        probe: StreamProbe,
        access: AccessControl,
        audit: AuditLog,
    ) -> None:
        self._config, self._inventory, self._cameras = config, inventory, cameras
        self._probe, self.access, self._audit = probe, access, audit

    @reads
    def list(self) -> list[NetworkCameraView]:
        """Every configured network camera, URL without secrets, by id."""
        cameras = self._config.current().network_cameras
        return [_view(key, camera) for key, camera in sorted(cameras.items())]

    @requires(Permission.STATION_SETTINGS)
    def test(self, principal: Principal, url: str, password: str | None = None) -> StreamTest:
        """Open ``url`` once (with ``password``) and read a frame; blocks at most
        ``TEST_TIMEOUT_S``. Raises InvalidInput ("url", "password") for what station.toml
        would refuse; a stream that fails is a result, not an error."""
        camera = _checked({"url": url, "password": password or None})
        found = self._probe.test(camera.open_url(), TEST_TIMEOUT_S)
        detail = f"{stream_host(url)}: {'ok' if found.ok else 'failed'}"
        self._audit.record(principal, "network_camera_test", redact(url), detail, ok=found.ok)
        return found

    @requires(Permission.STATION_SETTINGS)
    def add(
        self, principal: Principal, camera_id: str, url: str, password: str | None = None
    ) -> NetworkCameraView:
        """Save a new network camera and scan for it now. Raises InvalidInput naming
        "camera_id" (the id rule, or an id in use by any camera), "url" or "password"."""
        if not cfg.CAMERA_ID.fullmatch(camera_id):
            raise InvalidInput("camera_id", cfg.CAMERA_ID_RULE)
        camera = _checked({"url": url, "password": password or None})
        if camera_id in self._config.current().network_cameras or self._in_use(camera_id):
            raise InvalidInput("camera_id", f"{camera_id} is taken: choose another id")
        self._config.set_network_camera(principal, camera_id, camera)
        _log.info(
            "network camera %s added (%s)",
            camera_id,
            redact(url),
            extra={"event": "network_camera_added", "fields": {"camera": camera_id}},
        )
        self._inventory.scan()
        return _view(camera_id, camera)

    @requires(Permission.STATION_SETTINGS)
    def remove(self, principal: Principal, camera_id: str) -> None:
        """Remove a network camera from station.toml and stop it now. ``NotFound`` for an
        id that is no network camera."""
        if camera_id not in self._config.current().network_cameras:
            raise NotFound(f"network camera {camera_id!r}")
        self._config.set_network_camera(principal, camera_id, None)
        self._cameras.detach(camera_id)
        _log.info(
            "network camera %s removed",
            camera_id,
            extra={"event": "network_camera_removed", "fields": {"camera": camera_id}},
        )
        self._inventory.scan()

    def _in_use(self, camera_id: str) -> bool:
        return any(info.camera_id == camera_id for info in self._cameras.cameras())


def _view(camera_id: str, camera: NetworkCameraSettings) -> NetworkCameraView:
    return NetworkCameraView(camera_id, redact(camera.url), camera.has_password)


def _checked(values: dict[str, Any]) -> NetworkCameraSettings:
    """``values`` as a network camera, by the rules of station.toml; InvalidInput naming
    the field ("url", "password") otherwise."""
    try:
        return NetworkCameraSettings.model_validate(values)
    except ValidationError as err:
        raise cfg.invalid_from(err) from err
