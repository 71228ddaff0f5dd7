"""The Logs tab and ``/api/v1/logs``: the station's log read newest first, filtered, paged by
cursor and followed live. Viewers may read it. Filtering happens in the source, close to the
files (``adapters.log_files``), so the frontends stay thin."""

from __future__ import annotations

import math
from collections.abc import Mapping

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.log_entries import LogPage
from eyepi_gui.domain.log_filter import LogFilter, log_filter
from eyepi_gui.errors import InvalidInput
from eyepi_gui.ports import LogSource
from eyepi_gui.services.access import AccessControl, reads, requires
from eyepi_gui.services.config import SettingsService


class LogService:
    """Pages of the station's log for one principal at a time; thread-safe (every call reads
    the files afresh and keeps nothing)."""

    def __init__(self, source: LogSource, access: AccessControl, config: SettingsService) -> None:
        self._source, self.access, self._config = source, access, config

    @reads
    def query(self, values: Mapping[str, object]) -> LogFilter:
        """A checked filter from a frontend's values (``domain.log_filter.log_filter``'s
        names); times without a zone are in the station's. Raises ``InvalidInput``."""
        unknown = sorted(set(values) - _NAMES)
        if unknown:
            raise InvalidInput(unknown[0], "not a log filter field")
        return log_filter(**values, tz=self._config.tz())

    @requires(Permission.VIEW)
    def page(self, principal: Principal, query: LogFilter) -> LogPage:
        """Up to ``query.limit`` matching entries older than ``query.cursor`` (the newest
        first when None), with the cursors to page on and to follow from."""
        return self._source.page(query)

    @requires(Permission.VIEW)
    def follow(self, principal: Principal, query: LogFilter) -> LogPage:
        """Matching entries written since ``query.cursor`` (a page's ``newer_cursor``)."""
        return self._source.follow(query)

    @requires(Permission.VIEW)
    def jump(self, principal: Principal, at: float) -> str:
        """A cursor at the first entry written at or after ``at`` (epoch s)."""
        if isinstance(at, bool) or not isinstance(at, int | float) or not math.isfinite(at):
            raise InvalidInput("time", "give a time as epoch seconds")
        return self._source.jump(float(at))


_NAMES = frozenset(
    {"levels", "cameras", "events", "since", "until", "text", "regex", "ignore_case", "limit"}
    | {"cursor"}
)
