"""What the Logs tab reads, each call run on a TaskRunner thread: the newest page of a filter
(or the page before a time), the page older than a cursor, and everything written since a
cursor. A page comes back as a ``Chunk`` that knows its cursors on both sides, so the list
can drop whole chunks from one end and still fetch again from where it ends."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo

from eyepi_gui.domain.access import Principal
from eyepi_gui.domain.log_entries import LogEntry
from eyepi_gui.domain.log_filter import PAGE_MAX, LogFilter, read_cursor
from eyepi_gui.errors import InvalidInput
from eyepi_gui.services.station_services import StationServices

PAGE = 100
"""Entries asked for by one page (a screen shows at most some 25 rows)."""
FOLLOW_CALLS = 4
"""Follow calls of PAGE_MAX entries one poll makes at most; more waits for the next poll."""


@dataclass(frozen=True)
class Chunk:
    """Entries newest first, with the cursor above the newest (``newer``: follow from it)
    and below the oldest (``older``: page on from it; None when the oldest line was read)."""

    entries: list[LogEntry]
    newer: str | None
    older: str | None


@dataclass(frozen=True)
class Opened:
    """A filter's first chunk, the checked filter it came from and the station's zone;
    ``live`` is False when the chunk starts at a jump, not at the newest entry."""

    chunk: Chunk
    query: LogFilter
    tz: tzinfo
    live: bool = True
    notes: tuple[str, ...] = ()
    """What the log could not read, said once (journald not running here, ...)."""


def open_log(
    services: StationServices, principal: Principal, values: Mapping[str, object]
) -> Opened:
    """The newest page of entries matching ``values`` (``LogService.query``'s names)."""
    logs = services.logs
    query = logs.query({**values, "limit": PAGE})
    page = logs.page(principal, query)
    chunk = Chunk(page.entries, page.newer_cursor, page.older_cursor)
    return Opened(chunk, query, services.config.tz(), notes=page.notes)


def jump_log(
    services: StationServices, principal: Principal, values: Mapping[str, object], at: str
) -> Opened:
    """The page of entries written before the time ``at`` (ISO 8601 text, station's zone)."""
    logs, tz = services.logs, services.config.tz()
    query = logs.query({**values, "limit": PAGE})
    cursor = logs.jump(principal, moment(at, tz))
    page = logs.page(principal, dataclasses.replace(query, cursor=read_cursor(cursor)))
    chunk = Chunk(page.entries, cursor, page.older_cursor)
    return Opened(chunk, query, tz, live=False, notes=page.notes)


def older_chunk(
    services: StationServices, principal: Principal, query: LogFilter, cursor: str
) -> Chunk:
    """The page of ``query``'s entries older than ``cursor``."""
    page = services.logs.page(principal, dataclasses.replace(query, cursor=read_cursor(cursor)))
    return Chunk(page.entries, cursor, page.older_cursor)


def newer_page(
    services: StationServices, principal: Principal, query: LogFilter, cursor: str
) -> Chunk:
    """The PAGE entries written first after ``cursor``, newest first: the page above rows
    that do not reach the newest entry (after a jump, or once newer rows were dropped)."""
    ask = dataclasses.replace(query, cursor=read_cursor(cursor), limit=PAGE)
    page = services.logs.follow(principal, ask)
    return Chunk(page.entries, page.newer_cursor or cursor, cursor)


def newer_chunk(
    services: StationServices, principal: Principal, query: LogFilter, cursor: str
) -> Chunk:
    """The entries written since ``cursor`` (at most FOLLOW_CALLS x PAGE_MAX of the oldest
    of them), newest first, with the cursor to follow on from."""
    found: list[LogEntry] = []
    at = cursor
    for _call in range(FOLLOW_CALLS):
        ask = dataclasses.replace(query, cursor=read_cursor(at), limit=PAGE_MAX)
        page = services.logs.follow(principal, ask)
        found = page.entries + found
        at = page.newer_cursor or at
        if len(page.entries) < PAGE_MAX:
            break
    return Chunk(found, at, cursor)


def moment(text: str, tz: tzinfo) -> float:
    """Epoch seconds of ``text`` ("2026-05-30 14:00", ISO 8601; without a zone: ``tz``);
    ``InvalidInput("time")`` for anything else."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError as err:
        raise InvalidInput("time", f"not a time: {text!r} (use e.g. 2026-05-30 14:00)") from err
    return (when if when.tzinfo else when.replace(tzinfo=tz)).timestamp()
