"""A query string (an API call's, or a page's GET form) as the values of a query model.

A list field takes every value given for its name (``levels=INFO&levels=ERROR``: OpenAPI's
form style for arrays, and what checkboxes send); a switch takes ``true`` or ``false``; a
number field its number (``settings.from_text``); any other text stays text, for the field's
rule to name it. Other names keep their first value, for the model to refuse as unknown.
"""

from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel
from werkzeug.datastructures import MultiDict

from eyepi_gui.settings import from_text

SWITCH_TEXT = {"true": True, "false": False}


def query_values(model: type[BaseModel], args: MultiDict[str, str]) -> dict[str, Any]:
    """``args`` as ``model``'s fields take them."""
    values: dict[str, Any] = {}
    for name in args:
        field = model.model_fields.get(name)
        annotation = None if field is None else field.annotation
        if typing.get_origin(annotation) in (list, tuple):
            values[name] = args.getlist(name)
        elif annotation is bool:
            values[name] = SWITCH_TEXT.get(args[name], args[name])
        else:
            values[name] = args[name]
    return from_text(model, values)
