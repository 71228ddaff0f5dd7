"""Station settings as a service: load with recovery, validated updates, change events."""

from __future__ import annotations

import hashlib
import logging
import threading
from datetime import tzinfo
from pathlib import Path
from typing import Any

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.events import Event, SettingsChanged, SettingsProblem, SettingsRecovered
from eyepi_gui.errors import InvalidInput, StorageError
from eyepi_gui.ports import TextStore
from eyepi_gui.services.access import AccessControl, internal, reads, requires
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.events import EventBus
from eyepi_gui.settings import CameraSettings, Loaded, SectionProblem, StationSettings
from eyepi_gui.settings.limits import check_limits, fit_to_cameras

_log = logging.getLogger("eyepi.settings")
FILE = "station.toml"
LAST_GOOD = "the last-known-good copy"
IN_FORCE = "the settings in force"
CLOSED_NOTE = ", [remote] and [security] closed"
SAFE_SOURCE = "defaults with the remote endpoint off"


class SettingsService:
    """Owns station.toml. A bad file never stops the station and never opens it further:

    - unreadable (not TOML, not UTF-8, not a regular file, over the store's size limit):
      the file is moved aside and the station runs on what ran before it (the last good
      copy at start) with ``[remote]`` and ``[security]`` closed (``settings.fail_closed``:
      what the file said there is unknown), else on ``SAFE_DEFAULTS``;
    - empty (or missing) while the last good copy holds settings: treated as unreadable,
      but what ran before runs as it was (nothing in the file can have closed it);
    - some bad sections or values: the rest is used, each bad part runs as
      ``settings.sections`` says (a ``[remote]``/``[security]`` key left out keeps its last
      good value; unclear ones close); the file stays in place;
    - a camera's section it cannot deliver (too large, a format it lacks): the camera
      captures what it can (``settings.limits``).

    Each such part is a problem: ``problems()``, ``problem()`` (one line for a banner) and
    ``camera_problem(id)``. Only a file used whole, without a problem, becomes the last good
    copy. A save from a frontend first reads station.toml again when it changed on disk since
    it was read or written (a hand edit is saved with the change, never lost), keeps a copy
    of a file with problems (``station.toml.bad-*``) and writes the settings in force, valid
    throughout.
    """

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
        self._written = Loaded(StationSettings())
        self._running = Loaded(StationSettings())
        self._found: dict[str, CameraInfo] = {}
        self._seen: str | None = None  # station.toml as last read or written (a digest)
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
            self._take(self._read(repair, None))
            settings = self._running.settings
        self._publish_pending()
        return settings

    def _take(self, loaded: Loaded) -> None:
        self._written = loaded
        self._running = fit_to_cameras(loaded.settings, self._found)

    def _read(self, repair: bool, before: StationSettings | None) -> Loaded:
        """station.toml as the station reads it; a bad part falls back on ``before`` (what
        runs now), at start (None) on the last good copy. Sets what was seen on disk."""
        try:
            text = self._store.read()
            self._seen = _digest(text)
            data = {} if text is None else cfg.parse_toml(text)
        except StorageError as err:
            self._seen = f"unreadable: {err}"
            return self._recover(str(err), repair, before, unknown=True)
        except InvalidInput as err:
            return self._recover(err.reason, repair, before, unknown=True)
        if not data and self._remembers(before):
            said = "empty" if text is not None else "missing"
            return self._recover(f"{said}, while settings were saved before", repair, before)
        fallback = before if before is not None else self._last_good()
        loaded = cfg.read_station(data, fallback or StationSettings())
        if repair and loaded.problems:
            self._pending.append(SettingsProblem(tuple(p.text() for p in loaded.problems)))
        elif repair and text is not None:
            self._mark_good(text)
        return loaded

    def _remembers(self, before: StationSettings | None) -> bool:
        """Whether settings ran, or were saved, that an empty file would silently drop."""
        if before is not None and before != StationSettings():
            return True
        try:
            text = self._store.read_last_good()
            return text is not None and bool(cfg.parse_toml(text))
        except (InvalidInput, StorageError):
            return True  # a copy that cannot be read held something

    def _mark_good(self, text: str) -> None:
        try:
            self._store.mark_good(text)
        except StorageError as err:
            _log.warning(
                "station.toml is valid but could not be kept as last good: %s",
                err,
                extra={"event": "settings_not_kept"},
            )

    def _last_good(self) -> StationSettings | None:
        """The last-known-good copy, read the same way (its own bad parts on their safe side)."""
        try:
            return cfg.read_last_good(self._store.read_last_good())
        except StorageError:
            return None

    def _recover(
        self, problem: str, repair: bool, before: StationSettings | None, unknown: bool = False
    ) -> Loaded:
        """What runs when station.toml cannot be used: ``before`` (at start the last good
        copy) with ``[remote]`` and ``[security]`` closed when what the file said is
        ``unknown``, else the safe defaults. The file is moved aside (``repair``)."""
        moved = self._move_aside() if repair else None
        good = before if before is not None else self._last_good()
        if good is None:
            settings, source = cfg.SAFE_DEFAULTS, SAFE_SOURCE
        else:
            settings = cfg.fail_closed(good) if unknown else good
            source = LAST_GOOD if before is None else IN_FORCE
            source += CLOSED_NOTE if unknown else ""
        if repair:
            self._pending.append(SettingsRecovered(problem, source, str(moved or "")))
        reasons = {FILE: f"could not be used ({problem})"}
        return Loaded(settings, (SectionProblem(FILE, reasons, f"running on {source}"),))

    def _move_aside(self) -> Path | None:
        try:
            moved = self._store.quarantine()
        except StorageError as err:
            _log.error("%s", err, extra={"event": "settings_not_moved"})
            return None
        if moved is not None:
            self._seen = None
        return moved

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
        """Validate and save station-wide ``changes``, on top of station.toml as it is now."""
        try:
            with self._lock:
                self._refresh()
                before = self._running.settings
                updated = cfg.with_station(before, changes)
                self._save(updated)
                after = self._running.settings
        finally:
            self._publish_pending()
        changed = tuple(k for k in changes if getattr(before, k, None) != getattr(after, k, None))
        self._changed(principal, "station", changed)
        return after

    def _changed(self, principal: Principal, section: str, changed: tuple[str, ...]) -> None:
        self._audit.record(principal, "settings", section, ", ".join(changed))
        self._bus.publish(SettingsChanged(section, changed))

    def _refresh(self) -> None:
        """Read station.toml again when it changed on disk since it was last read or
        written (a hand edit while the station runs), so a save applies on top of it."""
        try:
            now = _digest(self._store.read())
        except StorageError as err:
            now = f"unreadable: {err}"
        if now == self._seen:
            return
        before = self._written.settings
        self._take(self._read(True, before))
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
        problems = self._written.problems or self._running.problems
        kept = self._store.keep_copy() if problems else None
        if kept is not None:
            _log.warning(
                "station.toml had problems: kept as it was in %s, saved as in force",
                kept.name,
                extra={"event": "settings_kept", "fields": {"kept": kept.name}},
            )
        text = cfg.dumps(updated)
        self._store.write(text)
        self._seen = _digest(text)
        self._written = Loaded(updated)
        self._running = fit_to_cameras(updated, self._found)


def _digest(text: str | None) -> str | None:
    """What identifies station.toml's content (None: no file)."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()
