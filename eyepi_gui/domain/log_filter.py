"""Which log entries a viewer asks for, checked in one place (``log_filter``), and the rule
that decides whether an entry matches. Pure: no files.

Text is matched against the entry's message, as a substring or as a regular expression, with
or without case. Regular expressions run on the ``regex`` package (PyPI, Python's own syntax,
wheels for the Pi's aarch64) rather than ``re`` because each search takes a time limit: a
catastrophic pattern such as ``(a+)+$`` on a long line ends with a clear error instead of
holding a worker for ever. google-re2 would be linear time, but it refuses lookarounds and
backreferences and costs a UTF-8 round trip per call from Python.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any

import regex as regex_engine

from eyepi_gui.domain.log_cursor import LogCursor, parse_cursor
from eyepi_gui.domain.log_entries import LEVELS, LogEntry
from eyepi_gui.domain.log_merge import MergedCursor, parse_merged
from eyepi_gui.errors import InvalidInput

PAGE_MAX = 500
"""The most entries one page holds."""
PAGE_DEFAULT = 50
TEXT_MAX = 500
"""The longest text filter, in characters."""
CHOICES_MAX = 50
"""The most cameras (or event kinds) one filter names."""
REGEX_TIMEOUT_S = 0.25
"""The longest one search of a regular expression may take (one line, or one block of lines)."""


@dataclass(frozen=True)
class LogFilter:
    """A checked filter and page request. Empty sets and None bounds mean "any"; ``since`` is
    inclusive, ``until`` exclusive (epoch seconds); entries without a time pass only when
    neither bound is given. ``pattern`` is the compiled ``text`` when ``regex`` is set."""

    levels: frozenset[str] = frozenset()
    cameras: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset()
    since: float | None = None
    until: float | None = None
    text: str = ""
    regex: bool = False
    ignore_case: bool = True
    limit: int = PAGE_DEFAULT
    cursor: LogCursor | MergedCursor | None = None
    pattern: Any = None

    def matches(self, entry: LogEntry) -> bool:
        """Whether ``entry`` passes; ``InvalidInput("text")`` when the pattern runs too long."""
        if self.levels and entry.level not in self.levels:
            return False
        if self.cameras and entry.camera not in self.cameras:
            return False
        if self.events and entry.event not in self.events:
            return False
        if not self._in_time(entry.time):
            return False
        return self.text_matches(entry.message)

    def text_matches(self, text: str) -> bool:
        """Whether ``text`` holds the filter's text (always, without one)."""
        if not self.text:
            return True
        if self.pattern is not None:
            return search(self.pattern, text) is not None
        if self.ignore_case:
            return self.text.casefold() in text.casefold()
        return self.text in text

    def _in_time(self, time: float | None) -> bool:
        if self.since is None and self.until is None:
            return True
        if time is None:
            return False
        return (self.since is None or time >= self.since) and (
            self.until is None or time < self.until
        )


def search(pattern: Any, text: str, pos: int = 0, endpos: int | None = None) -> Any:
    """``pattern.search`` within REGEX_TIMEOUT_S; ``InvalidInput("text")`` past it."""
    try:
        end = len(text) if endpos is None else endpos
        return pattern.search(text, pos, end, timeout=REGEX_TIMEOUT_S)
    except TimeoutError as err:
        raise InvalidInput(
            "text",
            f"the regular expression takes too long on this log (over {REGEX_TIMEOUT_S} s "
            "on one search); make it simpler",
        ) from err


def log_filter(
    *,
    levels: object = (),
    cameras: object = (),
    events: object = (),
    since: object = None,
    until: object = None,
    text: object = "",
    regex: object = False,
    ignore_case: object = True,
    limit: object = PAGE_DEFAULT,
    cursor: object = None,
    tz: tzinfo = UTC,
) -> LogFilter:
    """A checked LogFilter from a frontend's values; ``InvalidInput`` naming the first bad
    field. ``since``/``until`` are epoch seconds or ISO 8601 text (without a zone: ``tz``);
    ``cursor`` is the text of a cursor a page gave (None: the newest entries)."""
    start, stop = _moment("since", since, tz), _moment("until", until, tz)
    if start is not None and stop is not None and stop <= start:
        raise InvalidInput("until", "must be later than since")
    pattern_text, as_regex, fold = (
        _text(text),
        _flag("regex", regex),
        _flag("ignore_case", ignore_case),
    )
    return LogFilter(
        levels=_levels(levels),
        cameras=_choices("cameras", cameras),
        events=_choices("events", events),
        since=start,
        until=stop,
        text=pattern_text,
        regex=as_regex,
        ignore_case=fold,
        limit=_limit(limit),
        cursor=None if cursor is None or cursor == "" else read_cursor(cursor),
        pattern=_compile(pattern_text, fold) if as_regex and pattern_text else None,
    )


def read_cursor(text: object) -> LogCursor | MergedCursor:
    """A cursor of the files alone ("L1.") or of the merged log ("M1.")."""
    if isinstance(text, str) and text.startswith("M1."):
        return parse_merged(text)
    return parse_cursor(text)


def _levels(levels: object) -> frozenset[str]:
    names = _choices("levels", levels)
    unknown = sorted(name for name in names if name.upper() not in LEVELS)
    if unknown:
        raise InvalidInput("levels", f"unknown level {unknown[0]!r}: use {', '.join(LEVELS)}")
    return frozenset(name.upper() for name in names)


def _choices(name: str, values: object) -> frozenset[str]:
    if isinstance(values, str | bytes) or not isinstance(values, Iterable):
        raise InvalidInput(name, "give a list of names")
    chosen = list(values)
    if len(chosen) > CHOICES_MAX:
        raise InvalidInput(name, f"at most {CHOICES_MAX}")
    for value in chosen:
        if not isinstance(value, str) or not value or len(value) > 100:
            raise InvalidInput(name, "each must be a name of 1 to 100 characters")
    return frozenset(chosen)


def _moment(name: str, value: object, tz: tzinfo) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise InvalidInput(name, "give a time as ISO 8601 text or epoch seconds")
    if isinstance(value, int | float):
        if not math.isfinite(value) or value < 0:
            raise InvalidInput(name, "epoch seconds must be a finite number, 0 or more")
        return float(value)
    if not isinstance(value, str) or len(value) > 64:
        raise InvalidInput(name, "give a time as ISO 8601 text or epoch seconds")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as err:
        raise InvalidInput(name, f"not a time: {value!r} (use e.g. 2026-05-30T14:00)") from err
    return (moment if moment.tzinfo else moment.replace(tzinfo=tz)).timestamp()


def _text(text: object) -> str:
    if not isinstance(text, str):
        raise InvalidInput("text", "must be text")
    if len(text) > TEXT_MAX:
        raise InvalidInput("text", f"at most {TEXT_MAX} characters")
    if "\x00" in text:
        raise InvalidInput("text", "must not hold a NUL character")
    return text


def _flag(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(name, "must be true or false")
    return value


def _limit(limit: object) -> int:
    if isinstance(limit, bool) or not isinstance(limit, int):
        raise InvalidInput("limit", f"must be a whole number from 1 to {PAGE_MAX}")
    if not 1 <= limit <= PAGE_MAX:
        raise InvalidInput("limit", f"must be from 1 to {PAGE_MAX}, not {limit}")
    return limit


def _compile(text: str, ignore_case: bool) -> Any:
    flags = regex_engine.IGNORECASE if ignore_case else 0
    try:
        return regex_engine.compile(text, flags)
    except (regex_engine.error, ValueError, OverflowError, RecursionError) as err:
        raise InvalidInput("text", f"not a valid regular expression: {err}") from err
