"""Station settings as a service: load with recovery, validated updates, change events."""

from __future__ import annotations

import logging
import threading
from datetime import tzinfo
from typing import Any

from pydantic import BaseModel

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.events import Event, SettingsChanged, SettingsProblem
from eyepi_gui.errors import InvalidInput
from eyepi_gui.ports import TextStore
from eyepi_gui.services.access import AccessControl, internal, reads, requires
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.listen_check import ListenCheck
from eyepi_gui.services.settings_file import FILE, SettingsFile
from eyepi_gui.settings import (
    CameraSettings,
    Loaded,
    NetworkCameraSettings,
    SectionProblem,
    StationSettings,
)
from eyepi_gui.settings.limits import check_limits, fit_to_cameras

_log = logging.getLogger("eyepi.settings")
OWN_CALLS = {
    "cameras": "update_camera",
    "network_cameras": "the network cameras service (services.network_cameras)",
}
"""Tables ``update_station`` leaves to their own calls, and which call that is."""


class SettingsService:
    """Owns station.toml. A bad file never stops the station and never opens it further:

    - a file it cannot use (unreadable, or empty beside a last good copy) is moved aside and
      the station runs on what ran before (``services.settings_file``);
    - some bad sections or values: the rest is used, each bad part runs as
      ``settings.sections`` says (a ``[remote]``/``[security]`` key left out keeps its last
      good value; unclear ones close); the file stays in place;
    - a camera's section it cannot deliver (too large, a format it lacks): the camera
      captures what it can (``settings.limits``).

    Each such part is a problem: ``problems()``, ``problem()`` (one line for a banner) and
    ``camera_problem(id)``. A save from a frontend first reads station.toml again when it
    changed on disk since it was read or written (a hand edit is saved with the change,
    never lost), keeps a copy of a file with problems (``station.toml.bad-*``) and writes
    the settings in force, valid throughout.
    """

    def __init__(
        self,
        store: TextStore,
        bus: EventBus,
        system_tz: tzinfo,
        access: AccessControl,
        audit: AuditLog,
        *,
        listen_check: ListenCheck | None = None,
    ) -> None:
        self._file = SettingsFile(store)
        self._listen_check = listen_check
        self._bus = bus
        self._system_tz = system_tz
        self.access = access
        self._audit = audit
        self._lock = threading.Lock()
        self._written = Loaded(StationSettings())
        self._running = Loaded(StationSettings())
        self._found: dict[str, CameraInfo] = {}
        self._pending: list[Event] = []  # published once the lock is released

    @internal
    def describe_camera(self, info: CameraInfo) -> None:
        """What a found camera can deliver: its section is fitted to it from now on, and
        larger stills or other formats are refused. Raises InvalidInput for an id that
        breaks the id rule (such a camera is left out)."""
        if not cfg.CAMERA_ID.fullmatch(info.camera_id):
            raise InvalidInput("camera_id", f"{cfg.dotted(info.camera_id)}: {cfg.CAMERA_ID_RULE}")
        with self._lock:
            before = self._camera_problem(info.camera_id)
            # kept only once it fits, so a camera that cannot be described never fails others
            found = {**self._found, info.camera_id: info}
            self._running = fit_to_cameras(self._written.settings, found)
            self._found = found
            after = self._camera_problem(info.camera_id)
        if after is not None and after != before:
            self._bus.publish(SettingsProblem((after,)))

    @internal
    def load(self, repair: bool = True) -> StationSettings:
        """Read station.toml (see the class). With ``repair`` False (a CLI beside the running
        station) nothing is written, moved or published."""
        with self._lock:
            self._take(self._reading(None, repair))
            settings = self._running.settings
        self._publish_pending()
        return settings

    def _reading(self, before: StationSettings | None, repair: bool = True) -> Loaded:
        reading = self._file.read(repair, before)
        self._pending.extend(reading.events)
        return reading.loaded

    def _take(self, loaded: Loaded) -> None:
        self._written = loaded
        self._running = fit_to_cameras(loaded.settings, self._found)

    def _publish_pending(self) -> None:
        with self._lock:
            events, self._pending = self._pending, []
        for event in events:
            self._bus.publish(event)

    @reads
    def current(self) -> StationSettings:
        """The settings in force: as written where valid, fitted to the found cameras."""
        with self._lock:
            return self._running.settings

    @reads
    def problems(self) -> tuple[SectionProblem, ...]:
        """Every part of station.toml not in force as written, with what runs instead."""
        with self._lock:
            return self._written.problems + self._running.problems

    @reads
    def problem(self) -> str | None:
        """Why the station is not running on station.toml as written (one line), or None."""
        problems = self.problems()
        if not problems:
            return None
        said = "; ".join(problem.text() for problem in problems)
        return said if problems[0].section == FILE else f"{FILE}: {said}"

    @reads
    def camera_problem(self, camera_id: str) -> str | None:
        """Why this camera does not run on its section as written (one line), or None."""
        with self._lock:
            return self._camera_problem(camera_id)

    def _camera_problem(self, camera_id: str) -> str | None:
        sections = {cfg.dotted(kind, camera_id) for kind in ("cameras", "network_cameras")}
        problems = self._written.problems + self._running.problems
        texts = [problem.text() for problem in problems if problem.section in sections]
        return "; ".join(texts) or None

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
        """Validate and save ``changes`` to one camera, on top of station.toml as it is now.
        Raises InvalidInput naming the field, also for what the camera cannot deliver."""
        try:
            with self._lock:
                self._refresh()
                before = self._running.settings.camera(camera_id)
                updated = cfg.with_camera(self._running.settings, camera_id, changes)
                check_limits(camera_id, updated.cameras[camera_id], self._found.get(camera_id))
                self._save(updated)
                after = self._running.settings.camera(camera_id)
        finally:
            self._publish_pending()
        changed = tuple(
            k for k in CameraSettings.model_fields if getattr(before, k) != getattr(after, k)
        )
        self._changed(principal, f"cameras.{camera_id}", changed)
        return after

    @requires(Permission.STATION_SETTINGS)
    def update_station(self, principal: Principal, changes: dict[str, Any]) -> StationSettings:
        """Validate and save station-wide ``changes``, on top of station.toml as it is now,
        all or nothing. Keys are those of ``StationSettings``; a section (``remote``,
        ``security``, ``preview``) is given as a nested dict that changes only the keys it
        names: ``{"timezone": "Europe/Berlin", "remote": {"port": 8081}}``. Dotted keys
        ("remote.port") are not taken. Raises InvalidInput whose field is the dotted path
        ("remote.port"), also for a ``[remote]`` the station could not listen on
        (``ListenCheck``). Cameras and network cameras have their own calls. Publishes
        ``SettingsChanged("station", <dotted paths changed>)``; audited."""
        for key, call in OWN_CALLS.items():
            if key in changes:
                raise InvalidInput(key, f"not changed here: use {call}")
        try:
            with self._lock:
                self._refresh()
                before = self._running.settings
                updated = cfg.with_station(before, changes)
                if self._listen_check is not None:
                    self._listen_check.check(before.remote, updated.remote)
                self._save(updated)
                after = self._running.settings
        finally:
            self._publish_pending()
        self._changed(principal, "station", changed_paths(before, after, changes))
        return after

    @requires(Permission.STATION_SETTINGS)
    def set_network_camera(
        self, principal: Principal, camera_id: str, camera: NetworkCameraSettings | None
    ) -> None:
        """Save ``camera`` as network camera ``camera_id`` (None: remove it), on top of
        station.toml as it is now. Audited by id only: the URL may hold secrets."""
        if not cfg.CAMERA_ID.fullmatch(camera_id):
            raise InvalidInput("camera_id", cfg.CAMERA_ID_RULE)
        try:
            with self._lock:
                self._refresh()
                cameras = dict(self._running.settings.network_cameras)
                if camera is None:
                    cameras.pop(camera_id, None)
                else:
                    cameras[camera_id] = camera
                update = {"network_cameras": cameras}
                self._save(self._running.settings.model_copy(update=update))
        finally:
            self._publish_pending()
        what = "removed" if camera is None else "saved"
        self._audit.record(principal, "settings", cfg.dotted("network_cameras", camera_id), what)
        self._bus.publish(SettingsChanged("network_cameras", (camera_id,)))

    def _changed(self, principal: Principal, section: str, changed: tuple[str, ...]) -> None:
        self._audit.record(principal, "settings", section, ", ".join(changed))
        self._bus.publish(SettingsChanged(section, changed))

    def _refresh(self) -> None:
        """Read station.toml again when it changed on disk since it was last read or
        written (a hand edit while the station runs), so a save applies on top of it."""
        if not self._file.changed():
            return
        before = self._written.settings
        self._take(self._reading(before))
        changed = tuple(
            key
            for key in StationSettings.model_fields
            if getattr(before, key) != getattr(self._written.settings, key)
        )
        _log.info(
            "station.toml changed since it was read: read again before saving",
            extra={"event": "settings_reread", "fields": {"changed": list(changed)}},
        )
        if changed:
            self._pending.append(SettingsChanged("station", changed))

    def _save(self, updated: StationSettings) -> None:
        self._file.save(updated, keep=bool(self._written.problems or self._running.problems))
        self._written = Loaded(updated)
        self._running = fit_to_cameras(updated, self._found)


def changed_paths(
    before: StationSettings, after: StationSettings, changes: dict[str, Any]
) -> tuple[str, ...]:
    """The dotted paths of the values ``changes`` changed ("timezone", "remote.port")."""
    changed: list[str] = []
    for key in changes:
        old, new = getattr(before, key, None), getattr(after, key, None)
        if isinstance(old, BaseModel) and isinstance(new, BaseModel):
            fields = type(old).model_fields
            changed += [f"{key}.{k}" for k in fields if getattr(old, k) != getattr(new, k)]
        elif old != new:
            changed.append(key)
    return tuple(changed)
