"""Station settings as a service: load with recovery, validated updates, change events."""

from __future__ import annotations

import threading
from datetime import tzinfo
from typing import Any

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.events import SettingsChanged, SettingsRecovered
from eyepi_gui.errors import InvalidInput, StorageError
from eyepi_gui.ports import TextStore
from eyepi_gui.services.access import AccessControl, internal, reads, requires
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.events import EventBus
from eyepi_gui.settings import CameraSettings, StationSettings


class SettingsService:
    """Owns station.toml. A bad or unreadable file never stops the station: it starts from the
    last-known-good copy (or defaults), moves the bad file aside and reports ``problem()``."""

    def __init__(
        self,
        store: TextStore,
        bus: EventBus,
        system_tz: tzinfo,
        access: AccessControl,
        audit: AuditLog,
    ) -> None:
        self._store = store
        self._bus = bus
        self._system_tz = system_tz
        self.access = access
        self._audit = audit
        self._lock = threading.Lock()
        self._settings = StationSettings()
        self._problem: str | None = None
        self._found: dict[str, CameraInfo] = {}

    @internal
    def describe_camera(self, info: CameraInfo) -> None:
        """What a found camera can deliver: larger stills or other formats are refused."""
        self._found[info.camera_id] = info

    @internal
    def load(self, repair: bool = True) -> StationSettings:
        """Read station.toml. A bad file is moved aside and replaced by the last-known-good
        copy; with ``repair`` False (a CLI beside the running station) nothing is touched."""
        try:
            text = self._store.read()
            settings = StationSettings() if text is None else cfg.loads(text)
        except (InvalidInput, StorageError) as err:
            settings = self._recover(str(err)) if repair else self._last_good()
        else:
            if text is not None and repair:
                self._store.mark_good()
        with self._lock:
            self._settings = settings
        return settings

    def _last_good(self) -> StationSettings:
        try:
            good = self._store.read_last_good()
            return StationSettings() if good is None else cfg.loads(good)
        except (InvalidInput, StorageError):
            return StationSettings()

    def _recover(self, problem: str) -> StationSettings:
        moved = self._store.quarantine()
        settings = self._last_good()
        source = "defaults" if settings == StationSettings() else "the last-known-good copy"
        self._problem = f"station.toml could not be used ({problem}); running on {source}."
        self._bus.publish(SettingsRecovered(problem, source, str(moved or "")))
        return settings

    @reads
    def current(self) -> StationSettings:
        with self._lock:
            return self._settings

    @reads
    def problem(self) -> str | None:
        """Why the station is not running on station.toml as written, or None."""
        return self._problem

    @reads
    def tz(self) -> tzinfo:
        """The zone wall-clock rules (windows, dates in file names) use."""
        return self.current().tz() or self._system_tz

    @reads
    def camera(self, camera_id: str) -> CameraSettings:
        return self.current().camera(camera_id)

    @requires(Permission.CAMERA_SETTINGS)
    def update_camera(
        self, principal: Principal, camera_id: str, changes: dict[str, Any]
    ) -> CameraSettings:
        """Validate and save ``changes`` to one camera. Raises InvalidInput naming the field."""
        with self._lock:
            before = self._settings.camera(camera_id)
            updated = cfg.with_camera(self._settings, camera_id, changes)
            self._check_camera(camera_id, updated.cameras[camera_id], set(changes))
            self._save(updated)
        after = updated.cameras[camera_id]
        changed = tuple(
            k for k in CameraSettings.model_fields if getattr(before, k) != getattr(after, k)
        )
        self._changed(principal, f"cameras.{camera_id}", changed)
        return after

    def _check_camera(self, camera_id: str, camera: CameraSettings, changed: set[str]) -> None:
        """Refuse changed values the camera cannot deliver (its size and its formats)."""
        info = self._found.get(camera_id)
        if info is None:
            return
        largest, (width, height) = info.max_resolution, camera.size
        if "resolution" in changed and (width > largest[0] or height > largest[1]):
            raise InvalidInput(
                f"cameras.{camera_id}.resolution",
                f"this camera takes at most {largest[0]}x{largest[1]} px",
            )
        unknown = [fmt for fmt in camera.formats if fmt not in info.formats]
        if "formats" in changed and unknown:
            raise InvalidInput(
                f"cameras.{camera_id}.formats",
                f"this camera delivers {', '.join(info.formats)} only (not {', '.join(unknown)})",
            )

    @requires(Permission.STATION_SETTINGS)
    def update_station(self, principal: Principal, changes: dict[str, Any]) -> StationSettings:
        with self._lock:
            before = self._settings
            updated = cfg.with_station(before, changes)
            self._save(updated)
        changed = tuple(k for k in changes if getattr(before, k, None) != getattr(updated, k, None))
        self._changed(principal, "station", changed)
        return updated

    def _changed(self, principal: Principal, section: str, changed: tuple[str, ...]) -> None:
        self._audit.record(principal, "settings", section, ", ".join(changed))
        self._bus.publish(SettingsChanged(section, changed))

    def _save(self, updated: StationSettings) -> None:
        self._store.write(cfg.dumps(updated))
        self._settings = updated
        self._problem = None
