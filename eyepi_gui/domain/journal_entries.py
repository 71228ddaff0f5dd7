"""Journal records (one object of ``journalctl -o json``) as log entries, and the places
between journal entries that the merged log's cursor carries. Pure: no programs run.

A record's text values are strings; a value that is not UTF-8 (or holds control bytes) comes
as a list of byte values, and one journalctl left out as too long as null. PRIORITY is the
syslog priority (0 emergency .. 7 debug); _SYSTEMD_UNIT (or SYSLOG_IDENTIFIER) names where
the entry came from and becomes the entry's ``logger``; its event kind is always "journal".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from eyepi_gui.domain.log_entries import LogEntry

EVENT = "journal"
"""The event kind of every journal entry (a filter on event kinds can keep or drop them)."""
_LEVELS = ("CRITICAL",) * 3 + ("ERROR", "WARNING", "INFO", "INFO", "DEBUG")
_CURSOR = re.compile(
    r"s=[0-9a-f]{32};i=[0-9a-f]{1,16};b=[0-9a-f]{32};m=[0-9a-f]{1,16};t=[0-9a-f]{1,16};"
    r"x=[0-9a-f]{1,16}"
)
NEWEST, BEFORE, AFTER, DONE = "newest", "before", "after", "done"


def entry_of_record(record: Mapping[str, Any]) -> LogEntry:
    """The log entry of one journal record (``fields`` keeps the whole record as read)."""
    source = _text(record.get("_SYSTEMD_UNIT")) or _text(record.get("SYSLOG_IDENTIFIER"))
    return LogEntry(
        time=_time(record.get("__REALTIME_TIMESTAMP")),
        level=level_of(record.get("PRIORITY")),
        logger=source,
        event=EVENT,
        camera=None,
        message=_text(record.get("MESSAGE")),
        fields=record,
    )


def level_of(priority: object) -> str:
    """The logging level of a syslog priority ("0".."7"); INFO when it is missing or odd."""
    text = _text(priority)
    return _LEVELS[int(text)] if len(text) == 1 and text in "01234567" else "INFO"


def _text(value: object) -> str:
    """A journal value as text: bytes given as a list decoded (bad bytes as U+FFFD)."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(b, int) and 0 <= b < 256 for b in value):
        return bytes(value).decode("utf-8", "replace")
    return ""


def _time(value: object) -> float | None:
    """Epoch seconds from microseconds as text."""
    text = _text(value)
    return int(text) / 1e6 if text.isdigit() and len(text) < 20 else None


def valid_cursor(text: object) -> bool:
    """Whether ``text`` is a cursor as journald writes them (checked before it goes to
    journalctl as an option's value: it can never start with "-")."""
    return isinstance(text, str) and _CURSOR.fullmatch(text) is not None


@dataclass(frozen=True)
class JournalPlace:
    """A place between journal entries. ``side`` NEWEST: after the newest entry there will
    be (a page from it starts at the newest; a follow from it reads from the oldest);
    BEFORE/AFTER: just before/after the entry at ``cursor``; DONE: before the oldest entry
    (nothing older is left)."""

    side: str
    cursor: str = ""

    def __post_init__(self) -> None:
        if self.side not in (NEWEST, BEFORE, AFTER, DONE):
            raise ValueError(f"no place in a journal: {self.side!r}")
        if self.side in (BEFORE, AFTER) and not valid_cursor(self.cursor):
            raise ValueError("a place before or after an entry needs that entry's cursor")
        if self.side in (NEWEST, DONE) and self.cursor != "":
            raise ValueError(f"the place {self.side!r} takes no cursor")
