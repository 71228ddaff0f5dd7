"""An in-memory journal with the places of ``adapters.journal.Journal`` (its real reading is
tested on a real journald, tests/adapters/test_journal.py): records oldest first, each with a
cursor as journald writes them, read by the same filter rule. For the merge's property tests,
where journald cannot set the records' times."""

from __future__ import annotations

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


def cursor_of(n: int) -> str:
    return f"s={'a' * 32};i={n:x};b={'b' * 32};m={n:x};t={n:x};x={n:x}"


def record(n: int, moment: float, message: str, *, priority: int = 6, source: str = "eyepi"):
    """Record ``n`` (its cursor's number) written at ``moment`` (epoch s)."""
    return {
        "__CURSOR": cursor_of(n),
        "__REALTIME_TIMESTAMP": str(round(moment * 1e6)),
        "MESSAGE": message,
        "PRIORITY": str(priority),
        "SYSLOG_IDENTIFIER": source,
    }


class FakeJournal:
    def __init__(self, records: list[dict], unreadable: str | None = None) -> None:
        self.entries = [entry_of_record(r) for r in records]
        self._why = unreadable

    def unreadable(self) -> str | None:
        return self._why

    def _index(self, place: JournalPlace) -> int:
        return [e.fields["__CURSOR"] for e in self.entries].index(place.cursor)

    def older(self, query: LogFilter, place: JournalPlace):
        if place.side == DONE:
            return [], place
        end = {NEWEST: len(self.entries), BEFORE: None, AFTER: None}[place.side]
        if end is None:
            end = self._index(place) + (place.side == AFTER)
        found: list[LogEntry] = []
        for entry in reversed(self.entries[:end]):
            if query.matches(entry):
                found.append(entry)
                if len(found) == query.limit:
                    return found, JournalPlace(BEFORE, entry.fields["__CURSOR"])
        return found, JournalPlace(DONE)

    def newer(self, query: LogFilter, place: JournalPlace):
        if place.side == DONE:
            return [], place
        start = 0 if place.side == NEWEST else self._index(place) + (place.side == AFTER)
        found, seen = [], place
        for entry in self.entries[start:]:
            seen = JournalPlace(AFTER, entry.fields["__CURSOR"])
            if query.matches(entry):
                found.append(entry)
                if len(found) == query.limit:
                    break
        return found, seen

    def place_at(self, at: float) -> JournalPlace:
        for entry in self.entries:
            if entry.time is not None and entry.time >= at:
                return JournalPlace(BEFORE, entry.fields["__CURSOR"])
        return self._after_newest()

    def newest_place(self, query: LogFilter) -> JournalPlace:
        return self._after_newest() if query.until is None else self.place_at(query.until)

    def _after_newest(self) -> JournalPlace:
        if not self.entries:
            return JournalPlace(NEWEST)
        return JournalPlace(AFTER, self.entries[-1].fields["__CURSOR"])
