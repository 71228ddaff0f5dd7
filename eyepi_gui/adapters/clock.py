"""The real clock and the system's time zone."""

from __future__ import annotations

import os
import threading
import time
import zoneinfo
from datetime import UTC, tzinfo
from pathlib import Path


class SystemClock:
    """Wall-clock epoch seconds; ``wait`` is an Event wait that ``wake`` cuts short."""

    def __init__(self) -> None:
        self._wakeup = threading.Event()

    def now(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()

    def wait(self, seconds: float) -> None:
        if seconds > 0 and self._wakeup.wait(seconds):
            self._wakeup.clear()

    def wake(self) -> None:
        self._wakeup.set()


def system_timezone(localtime: Path = Path("/etc/localtime")) -> tzinfo:
    """The zone of TZ or ``localtime``, with its DST rules and, where the system says it (the
    link into a zoneinfo folder, as timedatectl makes), its name ("Europe/Berlin", not
    "localtime"); UTC when neither is usable."""
    key = os.environ.get("TZ", "").lstrip(":")
    try:
        if key:
            return zoneinfo.ZoneInfo(key)
        linked = _linked_zone(localtime)
        if linked is not None:
            return linked
        with localtime.open("rb") as handle:
            return zoneinfo.ZoneInfo.from_file(handle, key="localtime")
    except (OSError, ValueError, zoneinfo.ZoneInfoNotFoundError):
        return UTC


def _linked_zone(localtime: Path) -> tzinfo | None:
    """The zone ``localtime`` links to by name, or None (a copied file, a foreign link)."""
    try:
        target = os.readlink(localtime)
    except OSError:
        return None
    _, found, key = target.partition("zoneinfo/")
    if not found:
        return None
    try:
        return zoneinfo.ZoneInfo(key)
    except (ValueError, zoneinfo.ZoneInfoNotFoundError):
        return None
