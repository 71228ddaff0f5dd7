"""station.toml without its secrets, by rule, for a support bundle.

The file is parsed and walked beside the settings' own models, so what is secret is said
once, where a field is declared (``values.Secret``), never by a list of key names:

- a field marked ``Secret`` keeps its key, its value becomes "***" (a password is set);
- a key no model knows (a misspelt "pasword") may hold anything: its value is withheld too,
  as is every value of a table where the models have none;
- a text value that is a URL is shown by ``without_password`` (its password and its
  key=value values become "***"), any other text by ``text_without_passwords`` (the same
  for each URL inside it).

Comments go with the parsing (one may quote an old password); every other value is kept, so
the result parses and loads as the file did, less its secrets.
"""

from __future__ import annotations

import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from eyepi_gui.domain.network_cameras import WITHHELD, text_without_passwords, without_password
from eyepi_gui.settings.station import StationSettings
from eyepi_gui.settings.values import is_secret

_URL = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]{0,15}://")
"""A value that is a URL: all of it is one (spaces and all), not only up to a space."""


def redacted_toml(data: dict[str, Any]) -> str:
    """Parsed station.toml ``data`` as TOML text, its secrets withheld as the module says."""
    import tomli_w  # only when writing: the station starts without it

    return tomli_w.dumps(_table(data, StationSettings))


def _table(table: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    shown: dict[str, Any] = {}
    for key, value in table.items():
        field = model.model_fields.get(key)
        if field is None or is_secret(field.metadata):
            shown[key] = WITHHELD
        else:
            shown[key] = _value(value, field.annotation)
    return shown


def _value(value: Any, annotation: Any) -> Any:
    """``value`` shown as the field's ``annotation`` says; unknown shapes withheld."""
    inner = _unwrapped(annotation)
    if isinstance(value, dict):
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return _table(value, inner)
        if typing.get_origin(inner) is dict:
            item = typing.get_args(inner)[1]
            return {key: _value(each, item) for key, each in value.items()}
        return dict.fromkeys(value, WITHHELD)
    if isinstance(value, list):
        item = _item(inner)
        return [_value(each, item) for each in value]
    if isinstance(value, str):
        return without_password(value) if _URL.search(value) else text_without_passwords(value)
    return value


def _unwrapped(annotation: Any) -> Any:
    """The type inside ``Annotated[...]`` and ``X | None``."""
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        kinds = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _unwrapped(kinds[0]) if len(kinds) == 1 else None
    return annotation


def _item(annotation: Any) -> Any:
    """The type of a list's or tuple's items, None when not a sequence type."""
    if typing.get_origin(annotation) in (list, tuple):
        return next(iter(typing.get_args(annotation)), None)
    return None
