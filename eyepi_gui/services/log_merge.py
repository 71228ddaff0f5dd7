"""The station's log files and the journal (its own unit, NetworkManager) read as one log,
newest first by time (``domain.log_merge``), paged by one opaque cursor that holds a place in
each. When the journal cannot be read (no journalctl, no journald) the files are read alone
and the first page says so once.

Each source is asked for a page of ``limit``; the merge takes what comes first. The journal's
entries carry their own cursor, so its place after the last one taken is known; for the files
the same page is asked again with ``limit`` set to how many were taken (same start, same
answer), whose ``older_cursor`` is then the place after them."""

from __future__ import annotations

import dataclasses
from typing import Protocol

from eyepi_gui.domain.journal_entries import AFTER, BEFORE, DONE, NEWEST, JournalPlace
from eyepi_gui.domain.log_cursor import LogCursor, parse_cursor
from eyepi_gui.domain.log_entries import LogEntry, LogPage
from eyepi_gui.domain.log_filter import LogFilter
from eyepi_gui.domain.log_merge import (
    FILE_AT,
    FILE_DONE,
    FILE_NEWEST,
    MergedCursor,
    newest_first,
    oldest_first,
)
from eyepi_gui.errors import InvalidInput, NotFound, Unavailable
from eyepi_gui.ports import LogSource

START = MergedCursor(FILE_NEWEST, None, JournalPlace(NEWEST))
NOT_MERGED = "not a cursor of the merged log: start again from the newest entries"


class JournalReader(Protocol):
    """The journal as the merge reads it (``adapters.journal.Journal``)."""

    def unreadable(self) -> str | None: ...

    def older(
        self, query: LogFilter, place: JournalPlace
    ) -> tuple[list[LogEntry], JournalPlace]: ...

    def newer(
        self, query: LogFilter, place: JournalPlace
    ) -> tuple[list[LogEntry], JournalPlace]: ...

    def place_at(self, at: float) -> JournalPlace: ...

    def newest_place(self, query: LogFilter) -> JournalPlace: ...


class MergedLog:
    """A ``LogSource`` over the files and the journal; thread-safe (keeps nothing but the
    sources)."""

    def __init__(self, files: LogSource, journal: JournalReader) -> None:
        self._files, self._journal = files, journal

    def page(self, query: LogFilter) -> LogPage:
        at = _merged(query.cursor or START)
        notes: tuple[str, ...] = ()
        if query.cursor is None and (why := self._journal.unreadable()):
            at, notes = dataclasses.replace(at, journal=JournalPlace(DONE)), (why,)
        files = self._file_page(query, at)
        try:
            journal, journal_next = self._journal.older(query, at.journal)
        except Unavailable as err:  # journald went away: the files go on alone, and say so
            journal, journal_next, notes = [], JournalPlace(DONE), (*notes, str(err))
        entries, from_files, from_journal = newest_first(
            files.entries if files else [],
            files is None or files.older_cursor is None,
            journal,
            journal_next.side == DONE,
            query.limit,
        )
        older = MergedCursor(
            *self._files_after(query, at, files, from_files),
            journal_next
            if from_journal == len(journal)
            else _before(journal, from_journal, at.journal),
        )
        done = older.file_side == FILE_DONE and older.journal.side == DONE
        newer = self._newer(query, at, files, notes)
        return LogPage(
            entries,
            None if done else older.text(),
            newer,
            files.scanned if files else 0,
            notes,
        )

    def follow(self, query: LogFilter) -> LogPage:
        at = _merged(query.cursor)
        files = None
        if at.file is not None:
            files = self._files.follow(dataclasses.replace(query, cursor=at.file))
        notes: tuple[str, ...] = ()
        try:
            journal, journal_next = self._journal.newer(query, at.journal)
        except Unavailable as err:
            journal, journal_next, notes = [], JournalPlace(DONE), (str(err),)
        file_entries = files.entries[::-1] if files else []
        entries, from_files, from_journal = oldest_first(file_entries, journal, query.limit)
        file_cursor = at.file
        if files is not None and at.file is not None:
            if from_files == len(file_entries):
                file_cursor = parse_cursor(files.newer_cursor)
            elif from_files:
                file_cursor = self._newer_after(query, at.file, from_files)
        journal_place = at.journal
        if from_journal == len(journal):
            journal_place = journal_next
        elif from_journal:
            journal_place = JournalPlace(AFTER, journal[from_journal - 1].fields["__CURSOR"])
        newer = MergedCursor(FILE_AT if file_cursor else FILE_NEWEST, file_cursor, journal_place)
        scanned = files.scanned if files else 0
        return LogPage(entries[::-1], None, newer.text(), scanned, notes)

    def jump(self, at: float) -> str:
        try:
            file_cursor: LogCursor | None = parse_cursor(self._files.jump(at))
        except NotFound:
            file_cursor = None
        place = self._journal.place_at(at) if not self._journal.unreadable() else JournalPlace(DONE)
        if file_cursor is None and place.side in (NEWEST, DONE):
            raise NotFound("the log holds no entries yet")
        side = FILE_AT if file_cursor is not None else FILE_NEWEST
        return MergedCursor(side, file_cursor, place).text()

    def _file_page(self, query: LogFilter, at: MergedCursor) -> LogPage | None:
        if at.file_side == FILE_DONE:
            return None
        return self._files.page(dataclasses.replace(query, cursor=at.file))

    def _files_after(
        self, query: LogFilter, at: MergedCursor, files: LogPage | None, taken: int
    ) -> tuple[str, LogCursor | None]:
        """The files' place after the ``taken`` newest entries of ``files``."""
        if files is None:
            return FILE_DONE, None
        older = files.older_cursor
        if taken == 0 and files.entries:
            return at.file_side, at.file
        if taken < len(files.entries):
            older = self._older_after(query, at.file or parse_cursor(files.newer_cursor), taken)
        return (FILE_DONE, None) if older is None else (FILE_AT, parse_cursor(older))

    def _older_after(self, query: LogFilter, start: LogCursor, taken: int) -> str | None:
        """The files' older cursor after ``taken`` entries from ``start``: the same pages
        asked again, for fewer (a page cut short by its time budget is asked on from)."""
        older: str | None = start.text()
        while taken > 0 and older is not None:
            asked = dataclasses.replace(query, cursor=parse_cursor(older), limit=taken)
            again = self._files.page(asked)
            taken, older = taken - len(again.entries), again.older_cursor
        return older

    def _newer_after(self, query: LogFilter, start: LogCursor, taken: int) -> LogCursor:
        """The files' newer cursor after the ``taken`` oldest entries a follow from ``start``
        gave, asked for again likewise."""
        newer = start
        while taken > 0:
            again = self._files.follow(dataclasses.replace(query, cursor=newer, limit=taken))
            newer = parse_cursor(again.newer_cursor)
            if not again.entries:
                break
            taken -= len(again.entries)
        return newer

    def _newer(
        self, query: LogFilter, at: MergedCursor, files: LogPage | None, notes: tuple[str, ...]
    ) -> str | None:
        """Where a follow from this page starts: each source's place at the page's start
        (None on a page past the oldest line of the files; a follow from a page past the
        journal's oldest entry reads the files alone: frontends follow from a first page)."""
        if files is None:
            return None
        place = at.journal
        if place.side == NEWEST and not notes:
            place = self._journal.newest_place(query)
        if files.newer_cursor is None:  # no log file yet
            return MergedCursor(FILE_NEWEST, None, place).text()
        return MergedCursor(FILE_AT, parse_cursor(files.newer_cursor), place).text()


def _merged(cursor: object) -> MergedCursor:
    if not isinstance(cursor, MergedCursor):
        raise InvalidInput("cursor", NOT_MERGED)
    return cursor


def _before(journal: list[LogEntry], taken: int, place: JournalPlace) -> JournalPlace:
    """The journal's place after its ``taken`` newest entries (``place`` when none)."""
    if taken == 0:
        return place
    return JournalPlace(BEFORE, journal[taken - 1].fields["__CURSOR"])
