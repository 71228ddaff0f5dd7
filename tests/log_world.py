"""Generated station logs for the log engine's tests: JSON lines as adapters.logfile writes
them (and lines that are not), spread over eyepi.jsonl and its rotated files, and a simple
reference reader (every line read, json.loads, filter, newest first) to hold the engine to."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from eyepi_gui.domain.log_entries import LogEntry, entry_of_line
from eyepi_gui.domain.log_filter import LogFilter

NAME = "eyepi.jsonl"
START = datetime(2026, 5, 30, tzinfo=UTC).timestamp()


def json_line(n: int, message: str, *, level="INFO", event="log", camera=None, ascii_only=False):
    """The line the station's formatter writes for entry ``n`` (one a second from START)."""
    entry: dict[str, object] = {
        "ts": datetime.fromtimestamp(START + n, UTC).isoformat(timespec="milliseconds"),
        "level": level,
        "logger": "eyepi.test",
        "event": event,
        "msg": message,
    }
    if camera is not None:
        entry["fields"] = {"camera": camera}
    return json.dumps(entry, ensure_ascii=ascii_only).encode()


def write_log(folder: Path, files: list[list[bytes]], *, live_tail: bytes = b"") -> None:
    """``files`` oldest first: the last is eyepi.jsonl, the others .1, .2, ... backwards.
    ``live_tail`` is a line still being written at the end of the live file (no newline)."""
    folder.mkdir(parents=True, exist_ok=True)
    for age, lines in enumerate(reversed(files)):
        path = folder / (NAME if age == 0 else f"{NAME}.{age}")
        path.write_bytes(
            b"".join(line + b"\n" for line in lines) + (live_tail if age == 0 else b"")
        )


def reference(folder: Path, query: LogFilter) -> list[LogEntry]:
    """Every matching entry, newest first, the simple way."""
    entries = []
    for age in range(10, -1, -1):
        path = folder / (NAME if age == 0 else f"{NAME}.{age}")
        if not path.exists():
            continue
        pieces = path.read_bytes().split(b"\n")
        if age == 0:
            pieces = pieces[:-1]  # the live file's last piece is not a whole line yet
        entries += [entry_of_line(line) for line in pieces if line]
    return [e for e in entries if reference_match(query, e, json_of(e))][::-1]


def json_of(entry: LogEntry) -> dict:
    return dict(entry.fields)


def reference_match(query: LogFilter, entry: LogEntry, raw: dict) -> bool:
    level = raw.get("level") if isinstance(raw.get("level"), str) else ""
    fields = raw.get("fields") if isinstance(raw.get("fields"), dict) else {}
    camera = raw.get("camera")
    if not isinstance(camera, str):
        camera = fields.get("camera")
        camera = camera if isinstance(camera, str) else fields.get("camera_id")
    camera = camera if isinstance(camera, str) else None
    if query.levels and level.upper() not in query.levels:
        return False
    if query.cameras and camera not in query.cameras:
        return False
    if query.events and raw.get("event") not in query.events:
        return False
    if query.since is not None or query.until is not None:
        if entry.time is None:
            return False
        if query.since is not None and entry.time < query.since:
            return False
        if query.until is not None and entry.time >= query.until:
            return False
    message = raw.get("msg") if not entry.plain else entry.message
    if not query.text:
        return True
    if query.regex:
        return query.pattern.search(message) is not None
    if query.ignore_case:
        return query.text.casefold() in message.casefold()
    return query.text in message
