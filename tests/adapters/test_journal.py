"""The journal read for real (root only): a systemd-journald in its own mount namespace
(tests/journald_ns.py) takes entries with the station's identifiers; the adapter reads them
through journalctl, newest first, in chunks, paged and followed by place, every record
matched by the file log's filter rule; the merged log puts them among the station's log
lines by time. The station's unit is matched here by SYSLOG_IDENTIFIER (``_SYSTEMD_UNIT`` is
set by journald from the sender's cgroup and cannot be given); on a station by ``--unit``."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from eyepi_gui.adapters.journal import NO_JOURNAL, Journal
from eyepi_gui.adapters.log_files import LogFiles
from eyepi_gui.domain.journal_entries import DONE, NEWEST, JournalPlace
from eyepi_gui.domain.log_filter import log_filter
from eyepi_gui.errors import InvalidInput
from eyepi_gui.services.log_merge import MergedLog
from tests.journald_ns import IDENTIFIERS, running_journald
from tests.log_world import NAME

pytestmark = pytest.mark.root


def journal_of(journald, **options):
    return Journal(journald.runner(), units=(), identifiers=IDENTIFIERS, **options)


def read_all(journal, query):
    """Every page from the newest to DONE: the messages, and how many pages it took."""
    place, messages, pages = JournalPlace(NEWEST), [], 0
    while place.side != DONE:
        entries, place = journal.older(query, place)
        messages += [e.message for e in entries]
        pages += 1
    return messages, pages


def test_entries_are_read_newest_first_with_levels_sources_and_raw_bytes(journald):
    journald.write("station up", priority=6)
    journald.write("wifi lost", identifier="NetworkManager", priority=4)
    journald.write("someone else", identifier="sshd", priority=3)
    journald.write(b"bad \xff byte", priority=3)
    journald.write("two\nlines", priority=7)
    journald.wait_for(4)
    entries, place = journal_of(journald).older(log_filter(), JournalPlace(NEWEST))
    assert [(e.message, e.level, e.logger, e.event) for e in entries] == [
        ("two\nlines", "DEBUG", "eyepi", "journal"),
        ("bad \ufffd byte", "ERROR", "eyepi", "journal"),
        ("wifi lost", "WARNING", "NetworkManager", "journal"),
        ("station up", "INFO", "eyepi", "journal"),
    ]
    assert place.side == DONE
    assert abs(entries[0].time - time.time()) < 30


def test_pages_in_chunks_cover_every_matching_entry_once(journald):
    for n in range(25):
        journald.write(f"entry {n} {'odd' if n % 2 else 'even'}")
    journald.wait_for(25)
    journal = journal_of(journald, chunk=7)
    query = log_filter(text="ODD", limit=4)
    messages, pages = read_all(journal, query)
    assert messages == [f"entry {n} odd" for n in range(23, 0, -2)]
    assert pages == 4
    regex = log_filter(text=r"entry 1\d", regex=True, ignore_case=False, limit=3)
    assert read_all(journal, regex)[0] == [
        f"entry {n} {'odd' if n % 2 else 'even'}" for n in range(19, 9, -1)
    ]


def test_follow_reads_what_was_written_after_a_page(journald):
    journald.write("before")
    journald.wait_for(1)
    journal = journal_of(journald, chunk=2)
    query = log_filter(limit=3)
    place = journal.newest_place(query)
    assert journal.newer(query, place) == ([], place)
    for n in range(5):
        journald.write(f"after {n}")
    journald.wait_for(6)
    first, place = journal.newer(query, place)
    second, place = journal.newer(query, place)
    assert [e.message for e in first + second] == [f"after {n}" for n in range(5)]
    assert journal.newer(query, place)[0] == []


def test_a_place_at_a_time_splits_older_from_newer(journald):
    journald.write("old")
    journald.wait_for(1)
    time.sleep(0.05)
    middle = time.time()
    time.sleep(0.05)
    journald.write("new")
    journald.wait_for(2)
    journal, query = journal_of(journald), log_filter()
    place = journal.place_at(middle)
    assert [e.message for e in journal.older(query, place)[0]] == ["old"]
    assert [e.message for e in journal.newer(query, place)[0]] == ["new"]


def file_line(moment: float, message: str) -> bytes:
    stamp = datetime.fromtimestamp(moment, UTC).isoformat(timespec="microseconds")
    return json.dumps({"ts": stamp, "level": "INFO", "event": "log", "msg": message}).encode()


def test_the_merged_log_puts_journal_entries_among_log_lines_by_time(journald, tmp_path):
    lines = [file_line(time.time() - 1, "file A")]
    journald.write("journal 1")
    journald.wait_for(1)
    time.sleep(0.01)
    lines.append(file_line(time.time(), "file B"))
    time.sleep(0.01)
    journald.write("journal 2")
    journald.wait_for(2)
    time.sleep(0.01)
    lines.append(file_line(time.time(), "file C"))
    (tmp_path / NAME).write_bytes(b"".join(line + b"\n" for line in lines))
    merged = MergedLog(LogFiles(tmp_path), journal_of(journald, chunk=3))
    seen, cursor, notes = [], None, []
    while True:
        page = merged.page(log_filter(limit=2, cursor=cursor))
        seen += [e.message for e in page.entries]
        notes += page.notes
        if page.older_cursor is None:
            break
        cursor = page.older_cursor
    assert seen == ["file C", "journal 2", "file B", "journal 1", "file A"]
    assert notes == []


def test_the_merged_log_follows_both_sources(journald, tmp_path):
    path = tmp_path / NAME
    path.write_bytes(file_line(time.time() - 5, "file old") + b"\n")
    journald.write("journal old")
    journald.wait_for(1)
    merged = MergedLog(LogFiles(tmp_path), journal_of(journald))
    newer = merged.page(log_filter(limit=10)).newer_cursor
    time.sleep(0.01)
    journald.write("journal new")
    journald.wait_for(2)
    time.sleep(0.01)
    with path.open("ab") as log:
        log.write(file_line(time.time(), "file new") + b"\n")
    followed = merged.follow(log_filter(cursor=newer))
    assert [e.message for e in followed.entries] == ["file new", "journal new"]
    again = merged.follow(log_filter(cursor=followed.newer_cursor))
    assert again.entries == []


def test_without_journald_the_files_are_read_alone_and_the_first_page_says_so(tmp_path):
    (tmp_path / NAME).write_bytes(file_line(time.time(), "file only") + b"\n")
    with running_journald(start_journald=False) as journald:
        merged = MergedLog(LogFiles(tmp_path), journal_of(journald))
        page = merged.page(log_filter(limit=10))
    assert [e.message for e in page.entries] == ["file only"]
    assert page.notes == (NO_JOURNAL,)


def test_a_malformed_merged_cursor_is_refused_by_name(journald, tmp_path):
    merged = MergedLog(LogFiles(tmp_path), journal_of(journald))
    page = merged.page(log_filter())
    for bad in ("M1.x", (page.newer_cursor or "")[:-3] + "AAA", "M1." + "A" * 700):
        with pytest.raises(InvalidInput) as caught:
            merged.page(log_filter(cursor=bad))
        assert caught.value.field == "cursor"


def test_a_follow_from_an_empty_journal_reads_from_its_first_entry(journald, tmp_path):
    merged = MergedLog(LogFiles(tmp_path), journal_of(journald))
    (tmp_path / NAME).write_bytes(file_line(time.time() - 5, "file old") + b"\n")
    newer = merged.page(log_filter()).newer_cursor
    for n in range(3):
        journald.write(f"first {n}")
    journald.wait_for(3)
    followed = merged.follow(log_filter(cursor=newer, limit=2))
    again = merged.follow(log_filter(cursor=followed.newer_cursor, limit=2))
    assert [e.message for e in followed.entries + again.entries] == [
        "first 1",
        "first 0",
        "first 2",
    ]


def test_the_fixture_leaves_no_process_behind_when_its_block_fails():
    seen = {}

    def failing_test():
        with running_journald() as journald:
            seen["pids"] = [journald.pid, journald.journald.pid]
            raise RuntimeError("the test failed")

    with pytest.raises(RuntimeError, match="the test failed"):
        failing_test()
    assert not [pid for pid in seen["pids"] if Path(f"/proc/{pid}").exists()]


def test_since_and_until_bound_a_page_across_chunks(journald):
    journald.write("too old")
    journald.wait_for(1)
    time.sleep(0.02)
    since = time.time()
    for n in range(7):
        journald.write(f"inside {n}")
    journald.wait_for(8)
    time.sleep(0.02)
    until = time.time()
    time.sleep(0.02)
    journald.write("too new")
    journald.wait_for(9)
    journal = journal_of(journald, chunk=3)
    messages, _ = read_all(journal, log_filter(since=since, until=until, limit=2))
    assert messages == [f"inside {n}" for n in range(6, -1, -1)]


def test_a_jump_past_the_newest_entry_pages_from_it(journald, tmp_path):
    (tmp_path / NAME).write_bytes(file_line(time.time() - 60, "file old") + b"\n")
    for n in range(3):
        journald.write(f"entry {n}")
    journald.wait_for(3)
    merged = MergedLog(LogFiles(tmp_path), journal_of(journald))
    at = merged.jump(time.time() + 60)
    page = merged.page(log_filter(cursor=at))
    assert [e.message for e in page.entries] == ["entry 2", "entry 1", "entry 0", "file old"]
    assert merged.follow(log_filter(cursor=at)).entries == []
