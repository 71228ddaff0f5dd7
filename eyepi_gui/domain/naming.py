"""Image file names from a fixed set of placeholders; never a format string on user text."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime

PLACEHOLDERS: dict[str, str] = {
    "name": "the camera's name, made file-safe",
    "camera": "the camera id",
    "station": "the station's name, made file-safe",
    "timestamp": "capture time as YYYY_MM_DD_HH_MM_SS (required)",
    "date": "capture date as YYYY-MM-DD",
    "time": "capture time as HH_MM_SS",
}
DEFAULT_PATTERN = "{name}_{timestamp}"
MAX_PATTERN = 100
_TOKEN = re.compile(r"\{([^{}]*)\}")
_LITERAL = re.compile(r"[A-Za-z0-9_.\-]*")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.\-]+")


def check_pattern(pattern: str) -> str:
    """Return ``pattern`` if it is a valid file-name pattern, else raise ValueError(reason)."""
    if not pattern or len(pattern) > MAX_PATTERN:
        raise ValueError(f"must be 1 to {MAX_PATTERN} characters")
    if not pattern.isprintable():
        raise ValueError("must not contain control characters or line breaks")
    names = _TOKEN.findall(pattern)
    unknown = [n for n in names if n not in PLACEHOLDERS]
    if unknown:
        allowed = ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)
        raise ValueError(f"unknown placeholder {{{unknown[0]}}}; allowed: {allowed}")
    if not _LITERAL.fullmatch(_TOKEN.sub("", pattern)):
        raise ValueError("outside placeholders use only letters, digits, '_', '.' and '-'")
    if "timestamp" not in names:
        raise ValueError("must contain {timestamp} so images never overwrite each other")
    if pattern.startswith((".", "-")):
        raise ValueError("must not start with '.' or '-'")
    return pattern


def file_safe(text: str, fallback: str = "camera") -> str:
    """ASCII letters, digits, '_', '.', '-' only; never empty, never starting with '.' or '-'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    safe = _UNSAFE.sub("-", ascii_text).strip(".-")[:40]
    return safe or fallback


def render(pattern: str, *, name: str, camera: str, station: str, when: datetime) -> str:
    """Fill a checked pattern; ``when`` is the local capture time."""
    values = {
        "name": file_safe(name),
        "camera": camera,
        "station": file_safe(station, "station"),
        "timestamp": when.strftime("%Y_%m_%d_%H_%M_%S"),
        "date": when.strftime("%Y-%m-%d"),
        "time": when.strftime("%H_%M_%S"),
    }
    return _TOKEN.sub(lambda m: values[m.group(1)], pattern)


def image_path(camera: str, when: datetime, stem: str, ext: str) -> str:
    """Path under images/: ``<camera>/<YYYY-MM-DD>/<stem>.<ext>``."""
    return f"{camera}/{when:%Y-%m-%d}/{stem}.{ext}"
