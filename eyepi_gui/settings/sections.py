"""Reading station.toml section by section, so that a bad part costs only itself.

- A bad ``[cameras.<id>]`` section: that camera runs on its section from the last good
  copy, else on defaults named after its id. A bad ``[network_cameras.<id>]``: its last good
  URL, else it is left out. An id that breaks the id rule is left out.
- A bad station-wide value (``timezone``, ``capture_timeout_s``, ...), ``[preview]`` or
  ``[network]`` section: the last good one, else the default.
- ``[remote]`` and ``[security]`` change only where the file states a key: a key it leaves
  out keeps its last good value (a file cut short, or one that leaves the section out,
  never reopens what the last good copy closed); where that is not the default it is a
  problem, so the file is not taken as last good. Each key the file does not state clearly
  (a bad value, or absent beside an unknown key that may be its misspelling) takes its
  closed value (``remote.CLOSED``, ``security.CLOSED``), never more open than the file may
  have meant. An unknown table named like one of them ("remot", "Security") may be a
  misspelling: the absent section then fails closed as well.
- Unknown keys are problems and otherwise ignored.

``fail_closed`` is for a file that cannot be read at all: what it said there is unknown.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import remote, security
from eyepi_gui.settings.camera import CameraSettings
from eyepi_gui.settings.network import NetworkSettings
from eyepi_gui.settings.retention import KEEP_FREE_FIELD, RetentionSettings, floor_problem
from eyepi_gui.settings.station import NetworkCameraSettings, PreviewSettings, StationSettings
from eyepi_gui.settings.values import CAMERA_ID, CAMERA_ID_RULE, dotted, invalid_from

SCALARS = ("station_name", "timezone", "free_space_floor_mib", "capture_timeout_s")
Closed = dict[str, Callable[[Any, Any], Any]]
GUARDED: dict[str, tuple[type[BaseModel], Closed, tuple[frozenset[str], ...]]] = {
    "remote": (remote.RemoteSettings, remote.CLOSED, remote.TOGETHER),
    "security": (security.SecuritySettings, security.CLOSED, ()),
}
M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class SectionProblem:
    """A part of station.toml not used as written: ``reasons`` by dotted field (keys quoted
    and escaped, so one line each), ``instead`` says what runs in its place."""

    section: str
    reasons: Mapping[str, str]
    instead: str

    def text(self) -> str:
        said = "; ".join(f"{key}: {reason}" for key, reason in self.reasons.items())
        return f"{said} ({self.instead})"


@dataclass(frozen=True)
class Loaded:
    """Settings as read, and the problems met on the way (empty: used as written)."""

    settings: StationSettings
    problems: tuple[SectionProblem, ...] = field(default=())

    def invalid(self) -> InvalidInput:
        """Every problem as one error (the first one named)."""
        reasons = {key: why for problem in self.problems for key, why in problem.reasons.items()}
        first, reason = next(iter(reasons.items()))
        return InvalidInput(first, reason, reasons)


def read_station(data: Mapping[str, Any], fallback: StationSettings) -> Loaded:
    """Settings from parsed station.toml ``data``; a bad part takes its value from
    ``fallback`` (the last good settings) or its safe side, as the module says."""
    reader = _Reader(data, fallback)
    return Loaded(reader.read(), tuple(reader.problems))


class _Reader:
    def __init__(self, data: Mapping[str, Any], fallback: StationSettings) -> None:
        self.data, self.fallback = data, fallback
        self.problems: list[SectionProblem] = []

    def read(self) -> StationSettings:
        for key, reason in unknown_keys(StationSettings, self.data).items():
            self._problem(key, {key: reason}, "ignored")
        values: dict[str, Any] = {name: self._scalar(name) for name in SCALARS if name in self.data}
        values["preview"] = self._section("preview", PreviewSettings)
        values["network"] = self._section("network", NetworkSettings)
        values["retention"] = self._retention(values.get("free_space_floor_mib"))
        for name, guard in GUARDED.items():
            values[name] = self._guarded(name, *guard)
        values["network_cameras"] = self._tables("network_cameras", NetworkCameraSettings)
        values["cameras"] = self._tables("cameras", CameraSettings)
        return StationSettings.model_validate(values)

    def _problem(self, section: str, reasons: Mapping[str, str], instead: str) -> None:
        self.problems.append(SectionProblem(section, dict(reasons), instead))

    def _scalar(self, name: str) -> Any:
        try:
            return getattr(StationSettings.model_validate({name: self.data[name]}), name)
        except ValidationError as err:
            value = getattr(self.fallback, name)
            self._problem(name, invalid_from(err).problems, f"{name} = {json.dumps(value)} is used")
            return value

    def _section(self, name: str, model: type[M]) -> M:
        if name not in self.data:
            return model()
        section, reasons = _validated(model, self.data[name], name)
        if section is None:
            self._problem(name, reasons, f"[{name}] runs on its last good values, else defaults")
            last_good: M = getattr(self.fallback, name)
            return last_good
        return section

    def _retention(self, floor_mib: int | None) -> RetentionSettings:
        """``[retention]`` as ``_section`` reads it, unless it keeps no more free than the
        floor in force: then its last good values where they do, else defaults (off)."""
        section = self._section("retention", RetentionSettings)
        floor = StationSettings().free_space_floor_mib if floor_mib is None else floor_mib
        problem = floor_problem(section, floor)
        if problem is None:
            return section
        last_good = self.fallback.retention
        if floor_problem(last_good, floor) is None and last_good != section:
            instead, runs = "[retention] runs on its last good values", last_good
        else:
            instead, runs = "retention is off", RetentionSettings()
        self._problem("retention", {KEEP_FREE_FIELD: problem}, instead)
        return runs

    def _guarded(
        self,
        name: str,
        model: type[M],
        closed: Closed,
        together: tuple[frozenset[str], ...],
    ) -> M:
        raw = self.data.get(name, {})
        table = raw if isinstance(raw, dict) else {}
        reasons, unsettled = _unclear(name, model, table)
        if name not in self.data and (misspelt := self._misspelt(name)):
            reasons[name] = f"absent, and [{misspelt}] may be a misspelt [{name}]"
        if not isinstance(raw, dict):
            reasons[name] = f"must be a table ([{name}])"
        if set(reasons) - {dotted(name, key) for key in unsettled}:  # more than bad values
            unsettled |= set(model.model_fields) - set(table)
        for group in together:
            unsettled |= group if unsettled & group else set()
        last_good: M = getattr(self.fallback, name)
        section = _close(model, table, unsettled, last_good, closed)
        kept = _kept(section, table, unsettled)
        reasons |= {dotted(name, key): NOT_WRITTEN for key in kept}
        if reasons:
            self._problem(name, reasons, _running(name, section, unsettled | kept, table))
        return section

    def _misspelt(self, name: str) -> str | None:
        """An unknown table whose name is close to ``name``, if any ("remot", "Remote")."""
        known = StationSettings.model_fields
        tables = {
            k.lower(): k for k, v in self.data.items() if isinstance(v, dict) and k not in known
        }
        if not tables:
            return None
        import difflib  # seldom needed: kept out of the station's start

        close = difflib.get_close_matches(name, tables, n=1, cutoff=0.6)
        return tables[close[0]] if close else None

    def _tables(self, kind: str, model: type[M]) -> dict[str, M]:
        raw = self.data.get(kind, {})
        if not isinstance(raw, dict):
            reasons = {kind: f"must be a table of sections ([{kind}.<id>])"}
            self._problem(kind, reasons, f"{kind} as in the last good copy")
            return dict(getattr(self.fallback, kind))
        found: dict[str, M] = {}
        for key, value in raw.items():
            path = dotted(kind, key)
            if not CAMERA_ID.fullmatch(key):
                self._problem(path, {path: CAMERA_ID_RULE}, "left out")
                continue
            section, reasons = _validated(model, value, kind, key)
            if section is None:
                section, instead = self._instead(kind, key)
                self._problem(path, reasons, instead)
            if section is not None:
                found[key] = section
        return found

    def _instead(self, kind: str, key: str) -> tuple[Any, str]:
        """What runs in place of a bad section: the last good one, else defaults (a camera)
        or nothing (a network camera, which has no default URL)."""
        last_good = getattr(self.fallback, kind).get(key)
        what = "camera" if kind == "cameras" else "network camera"
        if last_good is not None:
            return last_good, f"{what} {key} runs on its last good settings"
        if kind == "cameras":
            return self.fallback.camera(key), f"camera {key} runs on defaults"
        return None, f"network camera {key} is left out"


def _validated(model: type[M], value: Any, *keys: str) -> tuple[M | None, dict[str, str]]:
    """``value`` as a ``model`` section, or None and the reasons by dotted field."""
    if not isinstance(value, dict):
        return None, {dotted(*keys): f"must be a table ([{'.'.join(keys)}])"}
    try:
        return model.model_validate(value), {}
    except ValidationError as err:
        return None, invalid_from(err, dotted(*keys)).problems | unknown_keys(model, value, *keys)


def unknown_keys(model: type[BaseModel], table: Mapping[str, Any], *keys: str) -> dict[str, str]:
    """A reason for each key of ``table`` that ``model`` does not have, naming those it has."""
    known = ", ".join(model.model_fields)
    reason = f"unknown setting (check its spelling); known here: {known}"
    return {dotted(*keys, key): reason for key in table if key not in model.model_fields}


def _unclear(
    name: str, model: type[BaseModel], table: Mapping[str, Any]
) -> tuple[dict[str, str], set[str]]:
    """Reasons by dotted field, and the names of the keys given a bad value."""
    reasons = unknown_keys(model, table, name)
    try:
        model.model_validate({k: v for k, v in table.items() if k in model.model_fields})
    except ValidationError as err:
        reasons |= invalid_from(err, name).problems
        return reasons, {str(item["loc"][0]) for item in err.errors() if item["loc"]}
    return reasons, set()


def _close(
    model: type[M],
    table: Mapping[str, Any],
    unsettled: set[str],
    last_good: M,
    closed: Closed,
) -> M:
    """The section with each ``unsettled`` key on its closed value, the others as given,
    and those not given as they were in ``last_good``."""
    default = model()
    values = {k: v for k, v in table.items() if k in model.model_fields and k not in unsettled}
    for key in unsettled:
        values[key] = closed[key](getattr(last_good, key), getattr(default, key))
    kept = {key: getattr(last_good, key) for key in model.model_fields if key not in values}
    return model.model_validate(values | kept)


NOT_WRITTEN = "not in station.toml, so its last good value stays (write the key to change it)"


def _kept(section: BaseModel, table: Mapping[str, Any], unsettled: set[str]) -> set[str]:
    """Keys the file leaves out whose last good value, kept, is not the default."""
    default = type(section)()
    return {
        key
        for key in type(section).model_fields
        if key not in table
        and key not in unsettled
        and getattr(section, key) != getattr(default, key)
    }


def fail_closed(settings: StationSettings) -> StationSettings:
    """``settings`` with every ``[remote]`` and ``[security]`` key on its closed value (from
    its value here and the default): what runs when station.toml cannot be parsed, so what
    it said in those sections is unknown and may have been more closed."""
    update = {}
    for name, (model, closed, _) in GUARDED.items():
        update[name] = _close(model, {}, set(model.model_fields), getattr(settings, name), closed)
    return settings.model_copy(update=update)


SAFE_DEFAULTS = fail_closed(StationSettings())
"""What runs when nothing of station.toml can be read and no good copy exists: the defaults
with ``[remote]`` and ``[security]`` closed (the remote endpoint off)."""


def _running(name: str, section: BaseModel, unsettled: set[str], table: Mapping[str, Any]) -> str:
    """What a guarded section runs with instead: each bad key's value, and each absent key's
    where it is not the default."""
    default = type(section)()
    shown = [
        f"{key} = {json.dumps(getattr(section, key))}"
        for key in type(section).model_fields
        if key in unsettled and (key in table or getattr(section, key) != getattr(default, key))
    ]
    return f"[{name}] runs with {', '.join(shown)}" if shown else f"[{name}] runs on defaults"
