"""Log entries as the Logs tab shows them, read from one line of the station's JSON-lines log
(``adapters.logfile.JsonLinesFormatter``: ts, level, logger, event, msg, fields, exc). A line
that is not a JSON object is kept as a plain message, never an error. Pure: no files."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
"""The levels a filter may name (Python's logging levels, as the formatter writes them)."""


@dataclass(frozen=True)
class LogEntry:
    """One log line. ``time`` is epoch seconds (None when the line gives none or an unreadable
    one); ``camera`` comes from the line's fields; ``fields`` is the whole JSON object as read
    (empty for a plain line); ``plain`` marks a line that was not a JSON object, whose text is
    the ``message``."""

    time: float | None
    level: str
    logger: str
    event: str
    camera: str | None
    message: str
    fields: Mapping[str, Any] = field(default_factory=dict)
    plain: bool = False


def entry_of_line(line: bytes) -> LogEntry:
    """The entry one line holds (without its newline); a plain entry when it is no JSON object
    (bad JSON, bad UTF-8, nesting too deep, another JSON value)."""
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, dict):
        return plain_entry(line)
    message = value.get("msg", value.get("message"))
    return LogEntry(
        time=time_of(value.get("ts", value.get("time"))),
        level=_name(value.get("level")).upper(),
        logger=_name(value.get("logger")),
        event=_name(value.get("event")),
        camera=_camera(value),
        message=_message(message, line),
        fields=value,
    )


def plain_entry(line: bytes) -> LogEntry:
    """A line that is not a JSON object, shown as it is (bad bytes as U+FFFD)."""
    text = line.decode("utf-8", "replace").rstrip("\r")
    return LogEntry(None, "", "", "", None, text, plain=True)


def time_of(value: object) -> float | None:
    """Epoch seconds from an ISO 8601 text (no zone: UTC) or a number; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _camera(value: dict[str, Any]) -> str | None:
    """The ``camera`` given as text at the top or in ``fields`` (the formatter's place), or
    the ``camera_id`` of a service event's fields (``domain.events``: captures, gaps, focus
    drift), so those count as the camera's entries too."""
    camera, fields = value.get("camera"), value.get("fields")
    if not isinstance(camera, str) and isinstance(fields, dict):
        camera = fields.get("camera")
        if not isinstance(camera, str):
            camera = fields.get("camera_id")
    return camera if isinstance(camera, str) else None


def _name(value: object) -> str:
    """A name-like field as text; anything but text counts as none."""
    return value if isinstance(value, str) else ""


def _message(value: object, line: bytes) -> str:
    """The message as text; one given as another JSON value shows the whole line."""
    if value is None or isinstance(value, str):
        return value or ""
    return line.decode("utf-8", "replace")


@dataclass(frozen=True)
class LogPage:
    """Entries newest first. ``older_cursor`` asks for the entries before these (None: the
    oldest line was reached); ``newer_cursor`` for those after them (follow). ``scanned`` is
    how many bytes of log were examined. A page holds fewer entries than asked when the
    oldest line was reached or its time ran out: asking again from ``older_cursor`` goes on."""

    entries: list[LogEntry]
    older_cursor: str | None
    newer_cursor: str | None
    scanned: int
