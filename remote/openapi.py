"""JSON API operations declared once: their input is parsed with pydantic models, their
output serialised with them, and the OpenAPI 3.1 document is generated from the same models.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Blueprint, Response, jsonify, request
from pydantic import BaseModel, TypeAdapter, ValidationError

from eyepi_gui import __version__
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import invalid_from
from remote.models import Error
from remote.query_args import query_values

REF = "#/components/schemas/{model}"
_PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")
View = Callable[..., Any]
V = TypeVar("V", bound=View)


@dataclass(frozen=True)
class Operation:
    """One API operation. ``response`` is a type pydantic can describe, or None for a body
    the view makes itself (``media``: an image, a stream) or for 204."""

    blueprint: Blueprint
    rule: str
    method: str
    endpoint: str
    summary: str
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: Any
    status: int
    media: str
    public: bool

    @property
    def path(self) -> str:
        return _PARAM.sub(r"{\2}", f"{self.blueprint.url_prefix or ''}{self.rule}")


class Api:
    """The registry of operations behind ``/api/v1``."""

    def __init__(self) -> None:
        self.operations: list[Operation] = []

    def route(
        self,
        blueprint: Blueprint,
        rule: str,
        method: str = "GET",
        *,
        summary: str,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: Any = None,
        status: int = 200,
        media: str = "application/json",
        public: bool = False,
    ) -> Callable[[V], V]:
        def register(view: V) -> V:
            name = view.__name__
            op = Operation(
                blueprint, rule, method, name, summary, body, query, response, status, media, public
            )
            self.operations.append(op)
            blueprint.add_url_rule(rule, name, _endpoint(view, op), methods=[method])
            return view

        return register


def _endpoint(view: View, op: Operation) -> View:
    @functools.wraps(view)
    def endpoint(**path: Any) -> Any:
        kwargs = dict(path)
        if op.body is not None:
            kwargs["body"] = parse(op.body, _json_object())
        if op.query is not None:
            kwargs["query"] = parse(op.query, query_values(op.query, request.args))
        return _serialise(view(**kwargs), op)

    return endpoint


def _json_object() -> dict[str, Any]:
    try:
        data = request.get_json(silent=True)
    except RecursionError:
        raise InvalidInput("body", "the JSON is nested too deeply") from None
    if not isinstance(data, dict):
        raise InvalidInput("body", "send a JSON object (Content-Type: application/json)")
    return data


def parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """``data`` as ``model``; InvalidInput names each rejected field by its dotted path,
    under the model's ``errors_under`` when it has one (the names the service uses)."""
    try:
        return model.model_validate(data)
    except ValidationError as err:
        raise invalid_from(err, getattr(model, "errors_under", "")) from err


def _serialise(result: Any, op: Operation) -> Any:
    if isinstance(result, Response) or op.response is None:
        return result if result is not None else ("", 204)
    data = TypeAdapter(op.response).dump_python(result, mode="json")
    response = jsonify(data)
    response.status_code = op.status
    return response


def _schema(tp: Any, components: dict[str, Any], mode: str) -> dict[str, Any]:
    schema = TypeAdapter(tp).json_schema(ref_template=REF, mode=mode)  # type: ignore[arg-type]
    components.update(schema.pop("$defs", {}))
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        components[tp.__name__] = schema
        return {"$ref": REF.format(model=tp.__name__)}
    return schema


def _parameters(op: Operation, components: dict[str, Any]) -> list[dict[str, Any]]:
    params = []
    for converter, name in _PARAM.findall(op.rule):
        kind = {"type": "integer", "minimum": 0} if converter == "int" else {"type": "string"}
        params.append({"name": name, "in": "path", "required": True, "schema": kind})
    if op.query is not None:
        schema = op.query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", ()))
        for name, prop in schema["properties"].items():
            params.append(
                {"name": name, "in": "query", "required": name in required, "schema": prop}
            )
    return params


def _operation(op: Operation, components: dict[str, Any]) -> dict[str, Any]:
    error = {"content": {"application/json": {"schema": _schema(Error, components, "validation")}}}
    ok: dict[str, Any] = {"description": "OK"}
    if op.response is not None:
        ok["content"] = {op.media: {"schema": _schema(op.response, components, "serialization")}}
    elif op.status != 204:
        ok["content"] = {op.media: {"schema": {"type": "string", "format": "binary"}}}
    doc: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": [op.blueprint.name],
        "parameters": _parameters(op, components),
        "responses": {
            str(op.status): ok,
            "default": {"description": "Error", **error},
        },
    }
    if op.body is not None:
        body = _schema(op.body, components, "validation")
        doc["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if op.public:
        doc["security"] = []
    return doc


def document(api: Api) -> dict[str, Any]:
    """The OpenAPI 3.1 document of every operation in ``api``."""
    components: dict[str, Any] = {}
    paths: dict[str, dict[str, Any]] = {}
    for op in api.operations:
        paths.setdefault(op.path, {})[op.method.lower()] = _operation(op, components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "eyepi station API", "version": __version__},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": "an API token"},
                "session": {"type": "apiKey", "in": "cookie", "name": "eyepi_session"},
            },
        },
        "security": [{"token": []}, {"session": []}],
    }
