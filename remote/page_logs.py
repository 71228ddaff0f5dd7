"""The log page (``/logs``): the station's log newest first with the API's filters (level,
camera, event kind, time range, text as a substring or a regular expression, with or without
case), "Older entries" paging by cursor, each entry's every field, camera links, and the
support bundle's download for operators.

The filters are a GET form, so a URL can be shared and the page works without JavaScript;
bad filters are shown at the field they name (the rules of ``/api/v1/logs``, one place).
With JavaScript, ``logs.js`` filters as the reader types: it asks for this same page with the
form's query and swaps in its entries and field errors (a 400 answer still carries both). It
follows the newest page live through ``/api/v1/logs/follow`` and puts new entries
on top without moving a view the reader scrolled. Every text from the log is escaped.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import datetime, tzinfo
from urllib.parse import quote, urlencode

from flask import Blueprint, render_template, request
from werkzeug.datastructures import MultiDict

from eyepi_gui.domain.access import Permission, allowed, refusal
from eyepi_gui.domain.events import Event
from eyepi_gui.domain.log_entries import LEVELS, LogEntry, LogPage
from eyepi_gui.domain.log_filter import PAGE_DEFAULT
from eyepi_gui.errors import InvalidInput
from remote.auth import principal, services
from remote.log_models import LogQuery
from remote.openapi import parse
from remote.query_args import query_values

blueprint = Blueprint("logs", __name__, url_prefix="/logs")

SIZES = (PAGE_DEFAULT, 100, 200, 500)
"""The page sizes the form offers."""
FOLLOW_API = "/api/v1/logs/follow"
LOCAL_TIME = "%Y-%m-%dT%H:%M:%S"
"""A time as the form's datetime-local fields write it (the station's zone)."""
RECENT = (("Last hour", 3600), ("Last day", 86400))
MORE_FILTERS = ("levels", "cameras", "events", "limit", "since", "until")
"""The filters under "More filters" (folded on a phone): that part opens when one is set."""


@dataclass(frozen=True)
class LogView:
    """What the page shows: the filters as given (to fill the form in again), the page of
    entries (None when a filter was refused) and the problems found, by field."""

    given: MultiDict[str, str]
    page: LogPage | None
    problems: dict[str, str]

    def values(self, name: str) -> list[str]:
        return self.given.getlist(name)

    def value(self, name: str, default: str = "") -> str:
        return self.given.get(name, default)

    def filters(self, *leave_out: str) -> list[tuple[str, str]]:
        """The filters as (name, value) pairs for a URL, without ``leave_out``."""
        return [(k, v) for k, v in self.given.items(multi=True) if k not in leave_out]

    def url(self, **extra: str) -> str:
        """This page with the same filters and ``extra`` (a cursor) instead of its own."""
        return "/logs?" + urlencode(self.filters("cursor", *extra) + list(extra.items()))

    def recent_url(self, seconds: float, tz: tzinfo) -> str:
        """This page's filters over the last ``seconds`` (from now, on the station's clock)."""
        since = datetime.fromtimestamp(time.time() - seconds, tz).strftime(LOCAL_TIME)
        kept = self.filters("cursor", "since", "until")
        return "/logs?" + urlencode([*kept, ("since", since)])

    @property
    def more_filters_set(self) -> bool:
        """Whether a filter under "More filters" is given (the page size other than the
        first, which the form always sends) or refused: then that part shows."""
        given = self.filters() if self.value("limit") != str(SIZES[0]) else self.filters("limit")
        names = {name for name, _ in given} | set(self.problems)
        return any(name in names for name in MORE_FILTERS)

    @property
    def follows(self) -> bool:
        """Whether new entries belong on top: the newest page, no end time."""
        return self.page is not None and not self.value("cursor") and not self.value("until")

    def follow_url(self) -> str:
        """Where logs.js asks for new entries (it adds the cursor)."""
        return f"{FOLLOW_API}?" + urlencode(self.filters("cursor", "limit", "until"))


@blueprint.get("")
def show() -> tuple[str, int]:
    view = _read(_given(request.args))
    station = services()
    role = station.access.role_of(principal())
    html = render_template(
        "logs.html",
        view=view,
        levels=LEVELS,
        cameras=_cameras(view),
        events=_events(view),
        sizes=SIZES,
        recent=[
            (words, view.recent_url(seconds, station.config.tz())) for words, seconds in RECENT
        ],
        tz=getattr(station.config.tz(), "key", str(station.config.tz())),
        can_bundle=allowed(role, Permission.SUPPORT_BUNDLE),
        bundle_refusal=refusal(role, Permission.SUPPORT_BUNDLE),
    )
    return html, 400 if view.problems else 200


def _given(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """The filters given, without the empty ones a form sends for "any"."""
    return MultiDict([(k, v) for k, v in args.items(multi=True) if v != ""])


def _read(given: MultiDict[str, str]) -> LogView:
    logs = services().logs
    try:
        query = parse(LogQuery, query_values(LogQuery, given))
        return LogView(given, logs.page(principal(), logs.query(query.values())), {})
    except InvalidInput as err:
        return LogView(given, None, dict(err.problems or {err.field: err.reason}))


def _cameras(view: LogView) -> list[str]:
    """Cameras to filter by: those found or configured, and any the URL names."""
    station = services()
    found = {info.camera_id for info in station.cameras.cameras()}
    return sorted(found | set(station.config.current().cameras) | set(view.values("cameras")))


def _events(view: LogView) -> list[str]:
    """Event kinds to filter by: every service event's, plain log lines', those on the page
    and any the URL names."""
    kinds = {kind.kind for kind in _subclasses(Event)} | {"log"}
    seen = {entry.event for entry in view.page.entries if entry.event} if view.page else set()
    return sorted(kinds | seen | set(view.values("events")))


def _subclasses(cls: type[Event]) -> list[type[Event]]:
    found: list[type[Event]] = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


@blueprint.app_template_filter("log_fields")
def log_fields(entry: LogEntry) -> str:
    """Every field of the entry's line, as indented JSON text with sorted keys as the API
    answers them (logs.js shows those); the line itself when it was not JSON."""
    if entry.plain:
        return entry.message
    return json.dumps(entry.fields, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def level_class(entry: LogEntry) -> str:
    return f"level-{entry.level.lower()}" if entry.level in LEVELS else "level-none"


blueprint.add_app_template_global(level_class, "level_class")


def camera_url(camera_id: str) -> str:
    """The camera's live page."""
    return f"/cameras/{quote(camera_id, safe='')}/live"


blueprint.add_app_template_global(camera_url, "camera_url")
