"""Validated station settings: station.toml, one object passed down.

Every rejected value raises ``InvalidInput`` whose ``field`` is the dotted path of the value
("cameras.sim-1.interval_s", keys quoted as TOML does: 'cameras."cam\\n"') and whose
``reason`` says what is allowed. One module per section: ``camera``, ``network``,
``remote``, ``security``, ``station`` (the whole file); ``values`` holds the rules they share,
``sections`` reads a file section by section (a bad part costs only itself) and ``limits``
checks a camera's section against what the camera can deliver.
"""

from __future__ import annotations

import tomllib
from typing import Any

from pydantic import BaseModel, ValidationError

from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings.camera import DEFAULT_RESOLUTION, MAX_SIDE, CameraSettings, FocusLock
from eyepi_gui.settings.network import NetworkSettings
from eyepi_gui.settings.remote import RemoteSettings
from eyepi_gui.settings.sections import (
    SAFE_DEFAULTS,
    Loaded,
    SectionProblem,
    fail_closed,
    read_station,
)
from eyepi_gui.settings.security import MIN_AUTO_LOCK_S, SecuritySettings
from eyepi_gui.settings.station import (
    NetworkCameraSettings,
    PreviewSettings,
    StationSettings,
    time_zones,
)
from eyepi_gui.settings.values import (
    CAMERA_ID,
    CAMERA_ID_RULE,
    Number,
    dotted,
    from_text,
    invalid_from,
)

__all__ = [
    "CAMERA_ID",
    "CAMERA_ID_RULE",
    "DEFAULT_RESOLUTION",
    "MAX_SIDE",
    "MIN_AUTO_LOCK_S",
    "SAFE_DEFAULTS",
    "CameraSettings",
    "FocusLock",
    "Loaded",
    "NetworkCameraSettings",
    "NetworkSettings",
    "Number",
    "PreviewSettings",
    "RemoteSettings",
    "SectionProblem",
    "SecuritySettings",
    "StationSettings",
    "dotted",
    "dumps",
    "fail_closed",
    "from_text",
    "invalid_from",
    "loads",
    "parse_station",
    "parse_toml",
    "read_last_good",
    "read_station",
    "time_zones",
    "with_camera",
    "with_station",
]


def parse_toml(text: str) -> dict[str, Any]:
    """station.toml's text as data. Raises InvalidInput (field "station.toml", "not valid
    TOML: ...") for any text the parser cannot turn into data: bad syntax, and values nested
    too deep or too large to parse (RecursionError, MemoryError) alike."""
    try:
        return tomllib.loads(text)
    except ValueError as err:  # TOMLDecodeError and UnicodeDecodeError among them
        raise InvalidInput("station.toml", f"not valid TOML: {err}") from err
    except RecursionError as err:
        raise InvalidInput("station.toml", "not valid TOML: values nested too deep") from err
    except MemoryError as err:
        raise InvalidInput("station.toml", "not valid TOML: too large to parse") from err


def read_last_good(text: str | None) -> StationSettings | None:
    """The settings of a last-known-good copy's ``text``, read section by section (its own
    bad parts on their safe side); None when there is no copy or it is not TOML."""
    try:
        data = None if text is None else parse_toml(text)
    except InvalidInput:
        return None
    return None if data is None else read_station(data, StationSettings()).settings


def parse_station(data: dict[str, Any]) -> StationSettings:
    """Settings from parsed data, all of it valid; else InvalidInput naming every problem."""
    loaded = read_station(data, StationSettings())
    if loaded.problems:
        raise loaded.invalid()
    return loaded.settings


def loads(text: str) -> StationSettings:
    """Parse station.toml text, all of it valid. Raises InvalidInput ("station.toml" for bad
    TOML). The station itself reads leniently: ``read_station``."""
    return parse_station(parse_toml(text))


def dumps(settings: StationSettings) -> str:
    """TOML text that ``loads`` turns back into an equal object."""
    import tomli_w  # only when writing: the station starts without it

    return tomli_w.dumps(settings.model_dump(mode="json", exclude_none=True))


def with_camera(
    settings: StationSettings, camera_id: str, changes: dict[str, Any]
) -> StationSettings:
    """A copy with ``changes`` applied to one camera, validated as a whole."""
    if not CAMERA_ID.fullmatch(camera_id):
        raise InvalidInput("camera_id", CAMERA_ID_RULE)
    merged = settings.camera(camera_id).model_dump() | changes
    try:
        camera = CameraSettings.model_validate(merged)
    except ValidationError as err:
        raise invalid_from(err, dotted("cameras", camera_id)) from err
    return settings.model_copy(update={"cameras": settings.cameras | {camera_id: camera}})


def with_station(settings: StationSettings, changes: dict[str, Any]) -> StationSettings:
    """A copy with station-level ``changes`` applied, validated as a whole. A section given
    as a table (``{"remote": {"port": 8443}}``) changes only the keys it names."""
    current = settings.model_dump()
    merged = dict(current)
    for key, value in changes.items():
        section = getattr(settings, key, None)
        if isinstance(section, BaseModel) and isinstance(value, dict):
            merged[key] = current[key] | value
        else:
            merged[key] = value
    return parse_station(merged)
