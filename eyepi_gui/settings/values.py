"""Value rules every settings section shares: strict numbers and switches, plain text,
camera ids, and how a rejected value is named (its dotted path, keys quoted as TOML does).

Numbers and switches are strict for every frontend: ``true`` is not 1, 1 is not ``true``
and ``"300"`` is not 300. Frontends that hold text (a web form, a kiosk field, a query
string) turn it into numbers with ``from_text`` first, so one rule gives one message.
"""

from __future__ import annotations

import json
import math
import re
import sys
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field, GetCoreSchemaHandler, ValidationError
from pydantic_core import CoreSchema, core_schema

from eyepi_gui.errors import InvalidInput

CAMERA_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
"""A camera id, matched whole (``fullmatch``)."""
CAMERA_ID_RULE = "camera ids use a-z, 0-9, '_' and '-' (1 to 64, starting with a-z or 0-9)"
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
NUMBER_TEXT = re.compile(r"-?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
"""A number as text, matched whole: ASCII digits, an optional leading "-", decimal point and
exponent. Never "_" between digits, other scripts' digits, "+", hex, "inf" or "nan"."""
_WHOLE_TEXT = re.compile(r"-?[0-9]+")


def key_text(key: object) -> str:
    """``key`` as it appears in a dotted path: bare when TOML allows it, else quoted with
    every control character escaped (``"cam\\n"``), so a path is always one plain line."""
    text = str(key)
    return text if _BARE_KEY.fullmatch(text) else json.dumps(text)


def dotted(*keys: object) -> str:
    """The dotted path of a value: ``dotted("cameras", "sim-1", "window")``."""
    return ".".join(key_text(key) for key in keys if key != "")


def check_camera_id(camera_id: str) -> str:
    if not CAMERA_ID.fullmatch(camera_id):
        raise ValueError(CAMERA_ID_RULE)
    return camera_id


CameraId = Annotated[
    str,
    Field(json_schema_extra={"pattern": f"^{CAMERA_ID.pattern}$"}),
    AfterValidator(check_camera_id),
]


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


@dataclass(frozen=True)
class Number:
    """A numeric setting's rule, used as ``Annotated[float, Number(0.5, 86400, "seconds")]``.
    Only ints and finite floats inside the bounds pass (never a bool, text or NaN); a
    ``whole`` number also refuses fractions; ``above`` makes ``low`` itself not allowed."""

    low: float | None = None
    high: float | None = None
    unit: str = ""
    whole: bool = False
    above: bool = False

    def allowed(self) -> str:
        """What may be written, in words: "a whole number from 1 to 100"."""
        kind = "a whole number" if self.whole else "a number"
        if self.low is not None and self.high is not None and not self.above:
            span = f" from {_shown(self.low)} to {_shown(self.high)}"
        elif self.low is not None:
            span = f" {'above' if self.above else 'of at least'} {_shown(self.low)}"
            span += f" and at most {_shown(self.high)}" if self.high is not None else ""
        else:
            span = ""
        return f"{kind}{span}{f' ({self.unit})' if self.unit else ''}"

    def check(self, value: object) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"must be {self.allowed()}{_not_a_number(value)}")
        if not self._takes(value):
            raise ValueError(f"must be {self.allowed()}")
        return int(value) if self.whole else float(value)

    def _takes(self, value: int | float) -> bool:
        """Finite, a whole number where one is asked for, inside the bounds (an int too
        large for any float is refused, never turned into one)."""
        if isinstance(value, float):
            if not math.isfinite(value) or (self.whole and not value.is_integer()):
                return False
        elif abs(value) > sys.float_info.max:
            return False
        return self._inside(value)

    def _inside(self, value: float) -> bool:
        low_ok = self.low is None or (value > self.low if self.above else value >= self.low)
        return low_ok and (self.high is None or value <= self.high)

    def from_text(self, text: str) -> object:
        """The number ``text`` spells as ``NUMBER_TEXT`` (ASCII spaces around it allowed),
        else ``text`` unchanged, for the rule to refuse it."""
        number = text.strip(" ")
        if not NUMBER_TEXT.fullmatch(number):
            return text
        try:
            return int(number) if self.whole and _WHOLE_TEXT.fullmatch(number) else float(number)
        except ValueError:  # more digits than int() takes: refused as text
            return text

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        bounds: dict[str, Any] = {"gt" if self.above else "ge": self.low, "le": self.high}
        inner = (
            core_schema.int_schema(**bounds)
            if self.whole
            else core_schema.float_schema(allow_inf_nan=False, **bounds)
        )
        return core_schema.no_info_before_validator_function(self.check, inner)


def _not_a_number(value: object) -> str:
    if isinstance(value, bool):
        return ", not true or false"
    if isinstance(value, str):
        return ", written without quotes" if _spells_number(value) else ", not text"
    return ""


def _spells_number(text: str) -> bool:
    return NUMBER_TEXT.fullmatch(text.strip(" ")) is not None


@dataclass(frozen=True)
class Switch:
    """An on/off setting: only ``true`` or ``false`` (never 1, 0 or "yes")."""

    def check(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise ValueError("must be true or false")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_before_validator_function(self.check, core_schema.bool_schema())


Flag = Annotated[bool, Switch()]


@dataclass(frozen=True)
class Secret:
    """Marks a setting whose value is a secret (a stream password): write-only, and left out
    of anything the station hands out (the support bundle's station.toml). Used as
    ``Annotated[str | None, Secret()]``; ``is_secret`` finds it."""


def is_secret(metadata: list[Any]) -> bool:
    """Whether a field's ``metadata`` (pydantic's ``FieldInfo.metadata``) holds ``Secret``."""
    return any(isinstance(item, Secret) for item in metadata)


def plain_text(text: str) -> str:
    """Text shown to people: no control characters, line breaks or surrounding spaces."""
    if not text.isprintable():
        raise ValueError("must not contain control characters or line breaks")
    if text != text.strip():
        raise ValueError("must not start or end with spaces")
    return text


def from_text(model: type[BaseModel], values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` from a form or query string (text) with each numeric field's text turned
    into its number; text that spells no number stays, for the field's rule to name it."""
    converted = dict(values)
    for name, value in values.items():
        field = model.model_fields.get(name)
        rule = None if field is None else _number_rule(field.metadata, field.annotation)
        if rule is not None and isinstance(value, str):
            converted[name] = rule.from_text(value)
    return converted


def _number_rule(metadata: list[Any], annotation: Any) -> Number | None:
    """A field's Number rule, also inside an optional type (``Annotated[int, Number()] | None``)."""
    for item in metadata:
        if isinstance(item, Number):
            return item
    for arg in typing.get_args(annotation):
        if typing.get_origin(arg) is typing.Annotated:
            found = _number_rule(list(arg.__metadata__), None)
            if found is not None:
                return found
    return None


def invalid_from(err: ValidationError, prefix: str = "") -> InvalidInput:
    """Turn pydantic's errors into one InvalidInput naming every field and its reason."""
    problems: dict[str, str] = {}
    for item in err.errors():
        keys = [part for part in item["loc"] if isinstance(part, str) and part != "[key]"]
        field = ".".join(p for p in (prefix, dotted(*keys)) if p) or "settings"
        problems.setdefault(field, reason_of(item))
    field, reason = next(iter(problems.items()))
    return InvalidInput(field, reason, problems)


_REASONS = {
    "extra_forbidden": "unknown setting (check its spelling)",
    "missing": "required",
    "string_type": 'must be text in quotes ("...")',
    "tuple_type": "must be a list ([...])",
    "list_type": "must be a list ([...])",
    "dict_type": "must be a table ({...} or a [section])",
    "model_type": "must be a table ({...} or a [section])",
}


def reason_of(item: Any) -> str:
    """One pydantic error as a reason that says what is allowed, in the station's words."""
    kind, ctx = item["type"], item.get("ctx") or {}
    if kind in _SIZES:
        words, limit = _SIZES[kind]
        count = ctx.get(limit)
        if kind == "string_too_short" and count == 1:
            return "must not be empty"
        return words.format(count=count, s="" if count == 1 else "s")
    if kind == "literal_error":
        return f"must be {ctx.get('expected', 'one of the values listed')}"
    return _REASONS.get(kind) or str(item["msg"]).removeprefix("Value error, ")


_SIZES = {
    "too_short": ("must list at least {count} item{s}", "min_length"),
    "too_long": ("must list at most {count} item{s}", "max_length"),
    "string_too_short": ("must be at least {count} character{s} long", "min_length"),
    "string_too_long": ("must be at most {count} character{s} long", "max_length"),
}
"""Sizes pydantic words as "Tuple should have at least 1 item after validation", by type:
the reason, and the context key that holds the limit."""
