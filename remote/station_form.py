"""The station page's form: its fields (named by their dotted path in station.toml), what
the typed text changes, and whether that change cuts off the browser that makes it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from eyepi_gui.services.listen_check import WILDCARDS
from eyepi_gui.settings import (
    PreviewSettings,
    RemoteSettings,
    SecuritySettings,
    StationSettings,
    from_text,
    time_zones,
)

__all__ = ["Cutoff", "by_field", "changes", "cutoff", "shown", "time_zones", "typed"]

TEXT_FIELDS = (
    "station_name",
    "timezone",
    "free_space_floor_mib",
    "capture_timeout_s",
    "security.auto_lock_s",
    "preview.max_fps",
    "remote.bind",
    "remote.port",
)
SWITCHES = ("security.viewer_when_locked", "remote.enabled", "remote.tls")
FIELDS = (*TEXT_FIELDS, *SWITCHES)
SECTIONS: dict[str, type[BaseModel]] = {
    "": StationSettings,
    "security": SecuritySettings,
    "preview": PreviewSettings,
    "remote": RemoteSettings,
}
CUTS_OFF = ("remote.enabled", "remote.bind", "remote.port", "remote.tls")
"""Changes that restart or stop the endpoint this page is served by."""


def shown(settings: StationSettings) -> dict[str, Any]:
    """The form's values for ``settings``, as a person would type them."""
    values: dict[str, Any] = {}
    for path in FIELDS:
        value = value_at(settings, path)
        values[path] = value if isinstance(value, bool) else _text(value)
    return values


def _text(value: object) -> str:
    return repr(value).removesuffix(".0") if isinstance(value, float) else str(value)


def value_at(settings: BaseModel, path: str) -> Any:
    value: Any = settings
    for key in path.split("."):
        value = getattr(value, key)
    return value


def typed(form: Mapping[str, str]) -> dict[str, Any]:
    """What the form sent (an unchecked box is absent from a form post)."""
    values: dict[str, Any] = {path: form.get(path, "")[:200] for path in TEXT_FIELDS}
    return values | {path: path in form for path in SWITCHES}


def changes(current: StationSettings, values: Mapping[str, Any]) -> dict[str, Any]:
    """The typed values that differ from ``current``, as ``update_station`` takes them
    (sections nested), numbers read from their text by each field's own rule."""
    found: dict[str, Any] = {}
    for section, model in SECTIONS.items():
        prefix = f"{section}." if section else ""
        given = {p.removeprefix(prefix): v for p, v in values.items() if _in(p, section)}
        for key, value in from_text(model, given).items():
            if value != value_at(current, prefix + key):
                (found.setdefault(section, {}) if section else found)[key] = value
    return found


def _in(path: str, section: str) -> bool:
    return path.startswith(f"{section}.") if section else "." not in path


@dataclass(frozen=True)
class Cutoff:
    """What a change does to the endpoint this page came through: ``off`` (it stops), or
    the URL it moves to (None: it stays where it is)."""

    off: bool
    moves_to: str | None

    @property
    def any(self) -> bool:
        return self.off or self.moves_to is not None


def cutoff(current: StationSettings, wanted: Mapping[str, Any], host: str) -> Cutoff:
    """The effect of ``wanted`` (as ``changes`` gives it) on the endpoint; ``host`` is the
    name or address this browser reached it by."""
    remote = {**current.remote.model_dump(), **wanted.get("remote", {})}
    touched = [key for key in CUTS_OFF if key.partition(".")[2] in wanted.get("remote", {})]
    if not touched:
        return Cutoff(False, None)
    if remote["enabled"] is False:
        return Cutoff(True, None)
    return Cutoff(False, new_url(remote, host))


def new_url(remote: Mapping[str, Any], host: str) -> str:
    """Where the endpoint answers with ``remote``: the host this browser used when it
    listens everywhere, else its own address."""
    bind = str(remote["bind"])
    where = host if bind in WILDCARDS else bind
    where = f"[{where}]" if ":" in where and not where.startswith("[") else where
    scheme = "https" if remote["tls"] is True else "http"
    return f"{scheme}://{where}:{remote['port']}"


def by_field(problems: Mapping[str, str]) -> tuple[dict[str, str], list[str]]:
    """Problems by form field (a dotted path), and those that belong to no field."""
    fields = {key: why for key, why in problems.items() if key in FIELDS}
    others = [f"{key}: {why}" for key, why in problems.items() if key not in FIELDS]
    return fields, others
