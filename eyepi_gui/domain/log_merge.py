"""The merged log's cursor: a place in the station's log files and a place in the journal,
as one opaque text ("M1." and base64 of a small JSON list), and the order the merge takes
entries in. Pure: no files, no programs.

Order: newest first by time; an entry without a time goes out as soon as it leads its own
source (it stays where it was among that source's entries); at equal times the file's entry
goes first."""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass

from eyepi_gui.domain.journal_entries import JournalPlace
from eyepi_gui.domain.log_cursor import LogCursor, parse_cursor
from eyepi_gui.domain.log_entries import LogEntry
from eyepi_gui.errors import InvalidInput

PREFIX = "M1."
FILE_NEWEST, FILE_AT, FILE_DONE = "newest", "at", "done"
_MALFORMED = "not a cursor this station gave: start again from the newest entries"


@dataclass(frozen=True)
class MergedCursor:
    """``file_side`` FILE_NEWEST (the newest line there will be), FILE_AT (``file``) or
    FILE_DONE (before the oldest line); ``journal`` a place in the journal."""

    file_side: str
    file: LogCursor | None
    journal: JournalPlace

    def text(self) -> str:
        file_text = self.file.text() if self.file is not None else ""
        body = json.dumps([self.file_side, file_text, self.journal.side, self.journal.cursor])
        return PREFIX + base64.urlsafe_b64encode(body.encode()).decode("ascii").rstrip("=")


CURSOR_MAX = 600
"""The longest merged cursor read: a file cursor and a journal cursor (~130 characters),
base64 of JSON."""


def parse_merged(text: str) -> MergedCursor:
    """The merged cursor ``text`` stands for; ``InvalidInput("cursor")`` for anything else."""
    if not text.startswith(PREFIX) or len(text) > CURSOR_MAX:
        raise InvalidInput("cursor", _MALFORMED)
    body = text[len(PREFIX) :]
    try:
        side, file_text, journal_side, journal_cursor = json.loads(
            base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        )
        place = JournalPlace(journal_side, journal_cursor)
    except (binascii.Error, ValueError, TypeError) as err:
        raise InvalidInput("cursor", _MALFORMED) from err
    if side not in (FILE_NEWEST, FILE_AT, FILE_DONE) or (side == FILE_AT) != bool(file_text):
        raise InvalidInput("cursor", _MALFORMED)
    cursor = MergedCursor(side, parse_cursor(file_text) if file_text else None, place)
    if cursor.text() != text:
        raise InvalidInput("cursor", _MALFORMED)
    return cursor


def newest_first(
    files: list[LogEntry],
    files_complete: bool,
    journal: list[LogEntry],
    journal_complete: bool,
    limit: int,
) -> tuple[list[LogEntry], int, int]:
    """Up to ``limit`` entries of two newest-first lists in the merge's order, and how many
    of each were taken. A list that is not ``complete`` (more entries follow it) stops the
    merge when it runs out: what comes after it is not known yet."""
    out: list[LogEntry] = []
    taken_files = taken_journal = 0
    while len(out) < limit:
        has_file, has_journal = taken_files < len(files), taken_journal < len(journal)
        if (not has_file and not files_complete) or (not has_journal and not journal_complete):
            break
        if not has_file and not has_journal:
            break
        if has_file and (
            not has_journal or _key(files[taken_files]) >= _key(journal[taken_journal])
        ):
            out.append(files[taken_files])
            taken_files += 1
        else:
            out.append(journal[taken_journal])
            taken_journal += 1
    return out, taken_files, taken_journal


def oldest_first(
    files: list[LogEntry], journal: list[LogEntry], limit: int
) -> tuple[list[LogEntry], int, int]:
    """Up to ``limit`` entries of two oldest-first lists, oldest first (the reverse of
    ``newest_first``'s order), and how many of each were taken."""
    out: list[LogEntry] = []
    taken_files = taken_journal = 0
    while len(out) < limit and (taken_files < len(files) or taken_journal < len(journal)):
        has_file, has_journal = taken_files < len(files), taken_journal < len(journal)
        if has_file and (
            not has_journal or _old_key(files[taken_files]) < _old_key(journal[taken_journal])
        ):
            out.append(files[taken_files])
            taken_files += 1
        else:
            out.append(journal[taken_journal])
            taken_journal += 1
    return out, taken_files, taken_journal


def _key(entry: LogEntry) -> float:
    return math.inf if entry.time is None else entry.time


def _old_key(entry: LogEntry) -> float:
    return -math.inf if entry.time is None else entry.time
