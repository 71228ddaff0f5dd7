"""The journal of the station's own unit and of NetworkManager, read through ``journalctl -o
json`` on the station's runner (never a shell; only fixed flags and validated values: unit
names checked here, cursors checked by ``domain.journal_entries.valid_cursor``, times as
numbers). journalctl's ``--grep`` is not used: its PCRE2 semantics are not the filter's, so
every record is matched in Python by the same rule as the station's log files
(``LogFilter.matches``). Records are read in chunks, newest first for a page and oldest first
for a follow, each call within a time budget."""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Sequence
from typing import Any

from eyepi_gui.domain.journal_entries import (
    AFTER,
    BEFORE,
    DONE,
    NEWEST,
    JournalPlace,
    entry_of_record,
)
from eyepi_gui.domain.log_entries import LogEntry
from eyepi_gui.domain.log_filter import LogFilter
from eyepi_gui.errors import CommandFailed, InvalidInput, Unavailable
from eyepi_gui.ports import CommandRunner

DEFAULT_UNITS = ("eyepi.service", "NetworkManager.service")
CHUNK = 200
"""Records read per journalctl call."""
BUDGET_S = 1.0
"""The longest one page or follow reads before it answers with what it found."""
TIMEOUT_S = 5.0
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9:_.@\\-]{0,200}")
NO_JOURNAL = "journald is not running here (no journal files): only the station's log is shown"


class Journal:
    """Records of ``units`` (``--unit``), or of ``identifiers`` (``--identifier``, the
    SYSLOG_IDENTIFIER; journalctl ANDs the two kinds, so one kind is given, not both)."""

    def __init__(
        self,
        runner: CommandRunner,
        *,
        units: Sequence[str] = DEFAULT_UNITS,
        identifiers: Sequence[str] = (),
        chunk: int = CHUNK,
        budget_s: float = BUDGET_S,
    ) -> None:
        if units and identifiers:
            raise ValueError("journalctl ANDs units and identifiers: give one kind")
        for name in (*units, *identifiers):
            if not _NAME.fullmatch(name):
                raise ValueError(f"{name!r} is no unit or identifier name")
        flag = "--unit" if units else "--identifier"
        self._matches = [f"{flag}={name}" for name in (*units, *identifiers)]
        self._runner, self._chunk, self._budget_s = runner, chunk, budget_s

    def unreadable(self) -> str | None:
        """Why the journal cannot be read here (no journalctl, no journald), None when it can."""
        try:
            done = self._runner.run("journalctl", ["--disk-usage"], timeout_s=TIMEOUT_S)
        except CommandFailed as err:
            return f"the journal cannot be read ({err}): only the station's log is shown"
        if "No journal files were found" in done.stderr:
            return NO_JOURNAL
        return None

    def older(self, query: LogFilter, place: JournalPlace) -> tuple[list[LogEntry], JournalPlace]:
        """Up to ``query.limit`` matching entries older than ``place``, newest first, and the
        place to go on from (DONE when the oldest record was read)."""
        if place.side == DONE:
            return [], place
        args = ["--reverse", *_older_than(query, place)]
        found: list[LogEntry] = []
        deadline = time.monotonic() + self._budget_s
        while True:
            records = self._read([*args, "-n", str(self._chunk)])
            for record in records:
                entry = entry_of_record(record)
                if _before_since(entry, query):  # records come in time order
                    return found, JournalPlace(DONE)
                if query.matches(entry):
                    found.append(entry)
                    if len(found) == query.limit:
                        return found, JournalPlace(BEFORE, _cursor(record))
            if len(records) < self._chunk:
                return found, JournalPlace(DONE)
            last = _cursor(records[-1])
            if time.monotonic() > deadline:
                return found, JournalPlace(BEFORE, last)
            args = ["--reverse", f"--after-cursor={last}"]

    def newer(self, query: LogFilter, place: JournalPlace) -> tuple[list[LogEntry], JournalPlace]:
        """Up to ``query.limit`` of the oldest matching entries newer than ``place``, oldest
        first, and the place after them (``place`` when there were none). DONE reads none."""
        if place.side == DONE:
            return [], place
        args, found, seen = _newer_than(query, place), [], place
        deadline = time.monotonic() + self._budget_s
        while True:
            records = self._read([*args, "-n", str(self._chunk)])
            for record in records:
                seen = JournalPlace(AFTER, _cursor(record))
                entry = entry_of_record(record)
                if query.matches(entry):
                    found.append(entry)
                    if len(found) == query.limit:
                        return found, seen
            if len(records) < self._chunk or time.monotonic() > deadline:
                return found, seen
            args = [f"--after-cursor={seen.cursor}"]

    def place_at(self, at: float) -> JournalPlace:
        """The place just before the first record at or after ``at`` (epoch s); after the
        newest when none is (NEWEST when the journal holds none)."""
        first = self._read([f"--since=@{at:.6f}", "-n", "1"])
        if first:
            return JournalPlace(BEFORE, _cursor(first[0]))
        newest = self._read(["--reverse", "-n", "1"])
        return JournalPlace(AFTER, _cursor(newest[0])) if newest else JournalPlace(NEWEST)

    def newest_place(self, query: LogFilter) -> JournalPlace:
        """Where a follow from a first page (a page from NEWEST) goes on."""
        if query.until is not None:
            return self.place_at(query.until)
        newest = self._read(["--reverse", "-n", "1"])
        return JournalPlace(AFTER, _cursor(newest[0])) if newest else JournalPlace(NEWEST)

    def _read(self, args: list[str]) -> list[dict[str, Any]]:
        done = self._runner.run(
            "journalctl",
            ["-o", "json", "--no-pager", "--all", *self._matches, *args],
            timeout_s=TIMEOUT_S,
        )
        if done.exit_code != 0:
            if "Failed to seek to cursor" in done.stderr:
                raise InvalidInput("cursor", "the journal does not know this point: start again")
            raise Unavailable(f"journalctl exited {done.exit_code}: {done.stderr.strip()[:200]}")
        records = []
        for line in done.stdout.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and isinstance(record.get("__CURSOR"), str):
                records.append(record)
        return records


def _cursor(record: dict[str, Any]) -> str:
    cursor: str = record["__CURSOR"]
    return cursor


def _before_since(entry: LogEntry, query: LogFilter) -> bool:
    return query.since is not None and entry.time is not None and entry.time < query.since


def _older_than(query: LogFilter, place: JournalPlace) -> list[str]:
    """Where a page starts; journalctl takes ``--since`` only without a cursor (older
    records past ``since`` end the page in Python then)."""
    if place.side == BEFORE:
        return [f"--after-cursor={place.cursor}"]
    if place.side == AFTER:
        return [f"--cursor={place.cursor}"]
    since = [] if query.since is None else [f"--since=@{math.floor(query.since)}"]
    return since + ([] if query.until is None else [f"--until=@{math.ceil(query.until)}"])


def _newer_than(query: LogFilter, place: JournalPlace) -> list[str]:
    if place.side == BEFORE:
        return [f"--cursor={place.cursor}"]
    if place.side == AFTER:
        return [f"--after-cursor={place.cursor}"]
    return [f"--since=@{math.floor(query.since or 0)}"]
