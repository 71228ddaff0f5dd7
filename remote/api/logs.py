"""The station's log (``/api/v1/logs``): entries newest first, filtered by level, camera,
event kind, time and text (a substring or a regular expression), paged by opaque cursors,
and followed as lines are written. Everyone logged in reads it.

A bad filter is a 400 naming its field: a page size over the limit, a bad regular
expression, one that runs too long on this log (``domain.log_filter.REGEX_TIMEOUT_S`` per
search), a cursor this station did not give or whose file was rotated away.
"""

from __future__ import annotations

import time

from flask import Blueprint

from eyepi_gui.domain.log_entries import LogPage
from remote.api.registry import API, PREFIX
from remote.auth import principal, services
from remote.log_models import FollowQuery, LogPageOut, LogQuery

blueprint = Blueprint("logs", __name__, url_prefix=f"{PREFIX}/logs")
FOLLOW_POLL_S = 0.25
"""How often a waiting follow call looks at the log again."""


@API.route(
    blueprint,
    "",
    summary="The station's log, newest first: up to `limit` entries passing the filters, "
    "older than `cursor`, with the cursors to page on and to follow from",
    query=LogQuery,
    response=LogPageOut,
)
def entries(query: LogQuery) -> LogPageOut:
    logs = services().logs
    return LogPageOut.of(logs.page(principal(), logs.query(query.values())))


@API.route(
    blueprint,
    "/follow",
    summary="The entries written since `cursor` (a page's newer_cursor) passing the filters, "
    "newest first; waits up to `wait_s` for the first; go on from its newer_cursor",
    query=FollowQuery,
    response=LogPageOut,
)
def follow(query: FollowQuery) -> LogPageOut:
    return LogPageOut.of(_follow(query.values(), time.monotonic() + query.wait_s))


def _follow(values: dict[str, object], deadline: float) -> LogPage:
    """Follow on from ``values["cursor"]``, looking again until something comes or the
    deadline passes (each look moves the cursor past the lines it read)."""
    logs, who = services().logs, principal()
    while True:
        found = logs.follow(who, logs.query(values))
        if found.entries or time.monotonic() + FOLLOW_POLL_S > deadline:
            return found
        values = values | {"cursor": found.newer_cursor}
        time.sleep(FOLLOW_POLL_S)
