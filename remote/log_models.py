"""The API's models of the station's log (``/api/v1/logs``): which entries to read (the
filters of ``domain.log_filter``, typed) and a page of entries with the cursors to go on."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from eyepi_gui.domain.log_entries import LogEntry, LogPage
from eyepi_gui.domain.log_filter import CHOICES_MAX, PAGE_DEFAULT, PAGE_MAX, TEXT_MAX
from eyepi_gui.domain.log_merge import CURSOR_MAX
from eyepi_gui.settings.values import NUMBER_TEXT, Flag, Number
from remote.models import STRICT

FOLLOW_WAIT_MAX_S = 5.0
"""The longest a follow call waits for new entries (a waiting call holds a server thread)."""
Level = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
Name = Annotated[str, Field(min_length=1, max_length=100)]
Moment = Annotated[
    str,
    Field(
        max_length=64,
        description="ISO 8601 (without a zone: the station's), or epoch seconds",
    ),
]


class LogQuery(BaseModel):
    """Which entries: any of ``levels``, ``cameras`` and ``events`` (empty: all), written in
    [since, until), whose message holds ``text`` (a regular expression when ``regex``), up
    to ``limit`` of them older than ``cursor`` (a page's ``older_cursor``; none: the
    newest)."""

    model_config = STRICT
    levels: Annotated[list[Level], Field(max_length=5)] = []
    cameras: Annotated[list[Name], Field(max_length=CHOICES_MAX)] = []
    events: Annotated[list[Name], Field(max_length=CHOICES_MAX)] = []
    since: Moment | None = None
    until: Moment | None = None
    text: Annotated[str, Field(max_length=TEXT_MAX)] = ""
    regex: Flag = False
    ignore_case: Flag = True
    limit: Annotated[int, Number(1, PAGE_MAX, whole=True)] = PAGE_DEFAULT
    cursor: Annotated[str, Field(max_length=CURSOR_MAX)] | None = None

    def values(self) -> dict[str, object]:
        """The filter's values as ``LogService.query`` takes them (times given as numbers
        become epoch seconds)."""
        values = self.model_dump(exclude={"wait_s"})
        for name in ("since", "until"):
            moment = values[name]
            if isinstance(moment, str) and NUMBER_TEXT.fullmatch(moment.strip(" ")):
                values[name] = float(moment)
        return values


class FollowQuery(LogQuery):
    """The entries written since ``cursor`` (a page's ``newer_cursor``) that pass the same
    filters, waiting up to ``wait_s`` for the first."""

    cursor: Annotated[str, Field(min_length=1, max_length=CURSOR_MAX)]
    wait_s: Annotated[float, Number(0, FOLLOW_WAIT_MAX_S, unit="seconds")] = 0.0


class LogEntryOut(BaseModel):
    """One entry: ``time`` epoch seconds (null: the line gives none); ``fields`` every field
    of its line as written (empty for a line that is not JSON, ``plain``)."""

    time: float | None
    level: str
    logger: str
    event: str
    camera: str | None
    message: str
    plain: bool
    fields: dict[str, Any]

    @classmethod
    def of(cls, entry: LogEntry) -> LogEntryOut:
        return cls(
            time=entry.time,
            level=entry.level,
            logger=entry.logger,
            event=entry.event,
            camera=entry.camera,
            message=entry.message,
            plain=entry.plain,
            fields=dict(entry.fields),
        )


class LogPageOut(BaseModel):
    """Entries newest first. ``older_cursor`` asks for those before them (null: the oldest
    line was reached), ``newer_cursor`` follows on from them; ``scanned``: bytes of log read.
    A page may hold fewer entries than asked when its time ran out: ask again from
    ``older_cursor``."""

    entries: list[LogEntryOut]
    older_cursor: str | None
    newer_cursor: str | None
    scanned: int
    notes: list[str] = []
    """What the page could not read, said once (e.g. journald not running here)."""

    @classmethod
    def of(cls, page: LogPage) -> LogPageOut:
        return cls(
            entries=[LogEntryOut.of(entry) for entry in page.entries],
            older_cursor=page.older_cursor,
            newer_cursor=page.newer_cursor,
            scanned=page.scanned,
            notes=list(page.notes),
        )
