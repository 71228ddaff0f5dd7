"""The merged log (files + journal) on a big log and a real journald (root only; the
journald of tests/journald_ns.py, read through ``nsenter``, which a station does not pay):

- open at the tail: the first page of 50 merged from both (goal < 100 ms, as the files alone);
- follow: 1,000 entries written to the journal and 1,000 lines appended to the file log, read
  by follow from the cursor taken before (printed: journalctl's JSON costs most of it; the
  viewer's goal of 50 ms is for 1,000 lines of the station's own log);
- a text filter that matches rarely, to the oldest entry of both (printed).

Full mode (EYEPI_BENCH=full): 1,000,000 file lines and 20,000 journal entries, asserts the
tail goal. Quick mode (the default): 50,000 lines and 2,000 entries, prints the figures.
"""

from __future__ import annotations

import statistics
import time

import pytest

from eyepi_gui.adapters.journal import Journal
from eyepi_gui.adapters.log_files import LogFiles
from eyepi_gui.domain.log_filter import log_filter
from eyepi_gui.services.log_merge import MergedLog
from tests.bench.test_log_engine import NAME, write_log_apart
from tests.journald_ns import IDENTIFIERS

pytestmark = pytest.mark.root
TAIL_GOAL_MS = 100.0


def ms_since(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def follow_all(merged, cursor):
    seen = 0
    while True:
        page = merged.follow(log_filter(limit=500, cursor=cursor))
        if not page.entries:
            return seen
        seen, cursor = seen + len(page.entries), page.newer_cursor


def test_the_merged_log_opens_at_its_tail_and_follows_both(tmp_path, quick, journald):
    lines, records = (50_000, 2_000) if quick else (1_000_000, 20_000)
    folder = tmp_path / "logs"
    write_log_apart(folder, lines)
    for n in range(records):
        journald.write(f"wifi: state change {n}{' timeout' if n % 997 == 0 else ''}")
    journald.wait_for(records, timeout_s=60)
    journal = Journal(journald.runner(), units=(), identifiers=IDENTIFIERS)
    merged = MergedLog(LogFiles(folder), journal)

    tails = []
    for _ in range(7):
        began = time.perf_counter()
        page = merged.page(log_filter(limit=50))
        tails.append(ms_since(began))
    assert len(page.entries) == 50 and not page.notes

    began, pages, cursor = time.perf_counter(), 0, None
    while True:
        found = merged.page(log_filter(limit=500, text="timeout", ignore_case=False, cursor=cursor))
        pages += 1
        if found.older_cursor is None:
            break
        cursor = found.older_cursor
    filter_ms = ms_since(began)

    for n in range(1000):
        journald.write(f"appended {n}")
    with open(folder / NAME, "a") as live:
        for n in range(1000):
            live.write(f'{{"ts": "2030-01-01T00:00:00", "level": "INFO", "msg": "line {n}"}}\n')
    journald.wait_for(records + 1000, timeout_s=30)
    began = time.perf_counter()
    followed = follow_all(merged, page.newer_cursor)
    follow_ms = ms_since(began)
    assert followed == 2000

    tail_ms = statistics.median(tails)
    print(f"\nmerged log, {lines:,} file lines and {records:,} journal entries:")
    print(f"  tail page of 50: median {tail_ms:.1f} ms (goal < {TAIL_GOAL_MS:.0f})")
    print(f"  rare text to the oldest entry: {filter_ms:.0f} ms in {pages} pages")
    print(f"  follow 1,000 journal entries + 1,000 file lines: {follow_ms:.1f} ms")
    if not quick:
        assert tail_ms < TAIL_GOAL_MS
