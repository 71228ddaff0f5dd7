"""station.toml on disk as the station reads it: recovery from a file it cannot use, which
file becomes the last good copy, and whether the file changed since it was read or written.

- unusable (not TOML, not UTF-8, not a regular file, over the store's size limit): moved
  aside; what ran before it runs (the last good copy at start) with ``[remote]`` and
  ``[security]`` closed (``settings.fail_closed``: what the file said there is unknown),
  else ``SAFE_DEFAULTS``;
- empty (or missing) while the last good copy holds settings: moved aside as unusable, but
  what ran before runs as it was (nothing in the file can have closed it);
- otherwise read section by section (``settings.sections``); only a file used whole, without
  a problem, becomes the last good copy.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

from eyepi_gui import settings as cfg
from eyepi_gui.domain.events import Event, SettingsProblem, SettingsRecovered
from eyepi_gui.errors import InvalidInput, StorageError
from eyepi_gui.ports import TextStore
from eyepi_gui.settings import Loaded, SectionProblem, StationSettings

_log = logging.getLogger("eyepi.settings")
FILE = "station.toml"
LAST_GOOD = "the last-known-good copy"
IN_FORCE = "the settings in force"
CLOSED_NOTE = ", [remote] and [security] closed"
SAFE_SOURCE = "defaults with the remote endpoint off"


@dataclass(frozen=True)
class Reading:
    """Settings as read, and the events to publish about it (none for a CLI's reading)."""

    loaded: Loaded
    events: tuple[Event, ...] = field(default=())


class SettingsFile:
    """station.toml through a TextStore, read as the module says. Not thread-safe: the
    settings service calls it under its lock."""

    def __init__(self, store: TextStore) -> None:
        self._store = store
        self._seen: str | None = None  # the file as last read or written (a digest)

    def read(self, repair: bool, before: StationSettings | None = None) -> Reading:
        """Read the file; a bad part falls back on ``before`` (what runs now), at start
        (None) on the last good copy. With ``repair`` False (a CLI beside the running
        station) nothing is written or moved and there are no events."""
        events: list[Event] = []
        loaded = self._read(repair, before, events)
        return Reading(loaded, tuple(events) if repair else ())

    def changed(self) -> bool:
        """Whether the file on disk is no longer the one last read or written."""
        try:
            now = _digest(self._store.read())
        except StorageError as err:
            now = f"unreadable: {err}"
        return now != self._seen

    def save(self, settings: StationSettings, keep: bool) -> None:
        """Write ``settings`` (valid throughout) as the file and the last good copy; with
        ``keep``, first a copy of the file as it was (``station.toml.bad-*``)."""
        kept = self._store.keep_copy() if keep else None
        if kept is not None:
            _log.warning(
                "station.toml had problems: kept as it was in %s, saved as in force",
                kept.name,
                extra={"event": "settings_kept", "fields": {"kept": kept.name}},
            )
        text = cfg.dumps(settings)
        self._store.write(text)
        self._seen = _digest(text)

    def _read(self, repair: bool, before: StationSettings | None, events: list[Event]) -> Loaded:
        try:
            text = self._store.read()
            self._seen = _digest(text)
            data = {} if text is None else cfg.parse_toml(text)
        except StorageError as err:
            self._seen = f"unreadable: {err}"
            return self._recover(str(err), repair, before, events, unknown=True)
        except InvalidInput as err:
            return self._recover(err.reason, repair, before, events, unknown=True)
        if not data and self._remembers(before):
            said = "empty" if text is not None else "missing"
            problem = f"{said}, while settings were saved before"
            return self._recover(problem, repair, before, events)
        fallback = before if before is not None else self._last_good()
        loaded = cfg.read_station(data, fallback or StationSettings())
        if loaded.problems:
            events.append(SettingsProblem(tuple(p.text() for p in loaded.problems)))
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

    def _last_good(self) -> StationSettings | None:
        """The last-known-good copy, read the same way (its own bad parts on their safe side)."""
        try:
            return cfg.read_last_good(self._store.read_last_good())
        except StorageError:
            return None

    def _mark_good(self, text: str) -> None:
        try:
            self._store.mark_good(text)
        except StorageError as err:
            _log.warning(
                "station.toml is valid but could not be kept as last good: %s",
                err,
                extra={"event": "settings_not_kept"},
            )

    def _recover(
        self,
        problem: str,
        repair: bool,
        before: StationSettings | None,
        events: list[Event],
        unknown: bool = False,
    ) -> Loaded:
        """What runs in place of a file that cannot be used: ``before`` (at start the last
        good copy), with ``[remote]`` and ``[security]`` closed when what the file said is
        ``unknown``; else the safe defaults. The file is moved aside (``repair``)."""
        moved = self._move_aside() if repair else None
        good = before if before is not None else self._last_good()
        if good is None:
            settings, source = cfg.SAFE_DEFAULTS, SAFE_SOURCE
        else:
            settings = cfg.fail_closed(good) if unknown else good
            source = (LAST_GOOD if before is None else IN_FORCE) + (CLOSED_NOTE if unknown else "")
        events.append(SettingsRecovered(problem, source, str(moved or "")))
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


def _digest(text: str | None) -> str | None:
    """What identifies the file's content (None: no file)."""
    return None if text is None else hashlib.sha256(text.encode("utf-8")).hexdigest()
