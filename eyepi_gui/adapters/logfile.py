"""Structured logging: rotating JSON lines under ``<home>/logs/`` plus a readable console."""

from __future__ import annotations

import json
import logging
import logging.handlers
from datetime import UTC, datetime
from pathlib import Path

LOG_NAME = "eyepi.jsonl"


class JsonLinesFormatter(logging.Formatter):
    """One JSON object per line: ts (ISO 8601 UTC), level, logger, event, msg, fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": getattr(record, "event", "log"),
            "msg": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if fields:
            entry["fields"] = fields
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def configure(home: Path, *, console_level: int = logging.INFO, max_bytes: int = 5 * 2**20) -> Path:
    """Send the ``eyepi`` loggers to the rotating JSON log and the console; returns the log path."""
    logs = home / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    path = logs / LOG_NAME
    root = logging.getLogger("eyepi")
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    file_handler = logging.handlers.RotatingFileHandler(path, maxBytes=max_bytes, backupCount=10)
    file_handler.setFormatter(JsonLinesFormatter())
    console = logging.StreamHandler()
    console.setLevel(console_level)
    console.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root.addHandler(file_handler)
    root.addHandler(console)
    return path
