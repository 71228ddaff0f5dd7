"""The merged log (files + journal) against a reference merge: random logs (rotated files,
lines that are no JSON), random journals and random filters page, by the combined cursor, to
exactly the reference's order (every matching entry of both, newest first by time, a timeless
line where it stands in its file, the file's first at equal times), each once; pages cut short
by their time budget lose nothing. Follow, jump, a journal that cannot be read (said once),
journalctl missing on the real runner, and bad cursors."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from eyepi_gui.adapters.journal import Journal
from eyepi_gui.adapters.log_files import LogFiles
from eyepi_gui.adapters.runner import SubprocessRunner
from eyepi_gui.domain.command_args import Program
from eyepi_gui.domain.log_filter import log_filter
from eyepi_gui.errors import InvalidInput, Unavailable
from eyepi_gui.services.log_merge import MergedLog
from tests.adapters.test_log_files import logs, messages, queries
from tests.fake_journal import FakeJournal, record
from tests.log_world import NAME, START, json_line, reference, write_log


@st.composite
def journals(draw):
    """Records at whole or half seconds from START (some at a file line's very time)."""
    steps = draw(st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0]), max_size=30))
    moment, records = START + draw(st.sampled_from([-2.0, 0.0, 5.0])), []
    for n, step in enumerate(steps):
        moment += step
        records.append(record(n, moment, draw(messages), priority=draw(st.integers(0, 7))))
    return records


def reference_merge(files, journal):
    """Newest first by time (a timeless entry counts as newest while it leads its list),
    the file's entry first at equal times."""

    def key(entry):
        return math.inf if entry.time is None else entry.time

    out, i, j = [], 0, 0
    while i < len(files) or j < len(journal):
        if i < len(files) and (j == len(journal) or key(files[i]) >= key(journal[j])):
            out.append(files[i])
            i += 1
        else:
            out.append(journal[j])
            j += 1
    return out


def all_pages(source, fields, limit):
    seen, cursor = [], None
    for _ in range(2_000):
        page = source.page(log_filter(**fields, limit=limit, cursor=cursor))
        assert len(page.entries) <= limit
        seen += page.entries
        if page.older_cursor is None:
            return seen
        cursor = page.older_cursor
    raise AssertionError("paging never ended")


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    log=logs(),
    records=journals(),
    fields=queries(),
    events=st.sampled_from([None, [], ["journal"], ["log", "journal"]]),
    limit=st.integers(1, 7),
    budget=st.sampled_from([0.0, 60.0]),
)
def test_pages_agree_with_the_reference_merge(
    tmp_path_factory, log, records, fields, events, limit, budget
):
    folder = tmp_path_factory.mktemp("logs")
    files, tail = log
    write_log(folder, files, live_tail=tail)
    if events is not None:  # kinds that keep the journal's entries, and no camera
        fields = {**fields, "events": events, "cameras": []}
    journal = FakeJournal(records)
    merged = MergedLog(LogFiles(folder, block=97, budget_s=budget), journal)
    query = log_filter(**fields)
    expected = reference_merge(
        reference(folder, query), [e for e in reversed(journal.entries) if query.matches(e)]
    )
    assert all_pages(merged, fields, limit) == expected
    event("journal entries shown" if any(e.event == "journal" for e in expected) else "none")


def test_follow_merges_what_both_wrote_since_the_page_oldest_last(tmp_path):
    write_log(tmp_path, [[json_line(0, "file 0")]])
    journal = FakeJournal([record(0, START + 0.5, "journal 0")])
    merged = MergedLog(LogFiles(tmp_path), journal)
    newer = merged.page(log_filter()).newer_cursor
    with (tmp_path / NAME).open("ab") as log:
        log.write(json_line(2, "file 2") + b"\n" + json_line(4, "file 4") + b"\n")
    journal.entries += FakeJournal([record(1, START + 3, "journal 3")]).entries
    first = merged.follow(log_filter(cursor=newer, limit=2))
    assert [e.message for e in first.entries] == ["journal 3", "file 2"]
    second = merged.follow(log_filter(cursor=first.newer_cursor, limit=2))
    assert [e.message for e in second.entries] == ["file 4"]
    assert merged.follow(log_filter(cursor=second.newer_cursor)).entries == []


def test_jump_splits_both_sources_at_a_time(tmp_path):
    write_log(tmp_path, [[json_line(n, f"file {n}") for n in range(0, 10, 2)]])
    journal = FakeJournal([record(n, START + n, f"journal {n}") for n in range(1, 10, 2)])
    merged = MergedLog(LogFiles(tmp_path), journal)
    at = merged.jump(START + 5)
    older = merged.page(log_filter(cursor=at)).entries
    newer = merged.follow(log_filter(cursor=at)).entries
    assert [e.message for e in older] == ["file 4", "journal 3", "file 2", "journal 1", "file 0"]
    assert [e.message for e in newer] == ["journal 9", "file 8", "journal 7", "file 6", "journal 5"]


def test_a_journal_that_cannot_be_read_is_said_once_and_the_files_are_read(tmp_path):
    write_log(tmp_path, [[json_line(n, f"file {n}") for n in range(3)]])
    merged = MergedLog(LogFiles(tmp_path), FakeJournal([], unreadable="no journald here"))
    first = merged.page(log_filter(limit=2))
    second = merged.page(log_filter(limit=2, cursor=first.older_cursor))
    assert first.notes == ("no journald here",) and second.notes == ()
    assert [e.message for e in first.entries + second.entries] == ["file 2", "file 1", "file 0"]


def test_journalctl_missing_on_the_real_runner_is_a_note(tmp_path):
    write_log(tmp_path, [[json_line(0, "file 0")]])
    runner = SubprocessRunner({"journalctl": Program("/nonexistent/journalctl")})
    page = MergedLog(LogFiles(tmp_path), Journal(runner)).page(log_filter())
    assert [e.message for e in page.entries] == ["file 0"]
    assert len(page.notes) == 1 and "not installed" in page.notes[0]
    follow = MergedLog(LogFiles(tmp_path), Journal(runner)).follow(
        log_filter(cursor=page.newer_cursor)
    )
    assert follow.entries == []


@pytest.mark.parametrize("bad", ["M1.", "M1.e30", "M1.WyJhdCIsIiIsIm5ld2VzdCIsIiJd", "L1.AAAA"])
def test_bad_cursors_are_refused_by_name(tmp_path, bad):
    merged = MergedLog(LogFiles(tmp_path), FakeJournal([]))
    with pytest.raises(InvalidInput) as caught:
        merged.page(log_filter(cursor=bad))
    assert caught.value.field == "cursor"


def test_a_cursor_of_the_files_alone_is_refused_by_the_merged_log(tmp_path):
    write_log(tmp_path, [[json_line(0, "file 0")]])
    files_cursor = LogFiles(tmp_path).page(log_filter()).newer_cursor
    with pytest.raises(InvalidInput) as caught:
        MergedLog(LogFiles(tmp_path), FakeJournal([])).page(log_filter(cursor=files_cursor))
    assert caught.value.field == "cursor"


def test_a_follow_cut_at_its_limit_goes_on_where_it_stopped_in_both(tmp_path):
    write_log(tmp_path, [[json_line(0, "file 0")]])
    journal = FakeJournal([])
    merged = MergedLog(LogFiles(tmp_path), journal)
    cursor = merged.page(log_filter()).newer_cursor
    with (tmp_path / NAME).open("ab") as log:
        log.write(b"".join(json_line(n, f"file {n}") + b"\n" for n in range(1, 20, 2)))
    journal.entries += FakeJournal(
        [record(n, START + n, f"journal {n}") for n in range(2, 20, 2)]
    ).entries
    seen = []
    for _ in range(20):
        page = merged.follow(log_filter(cursor=cursor, limit=3))
        seen += [e.message for e in reversed(page.entries)]
        cursor = page.newer_cursor
    expected = [f"{'journal' if n % 2 == 0 else 'file'} {n}" for n in range(1, 20)]
    assert seen == expected


class FailingJournal(FakeJournal):
    def older(self, query, place):
        raise Unavailable("journalctl: did not answer within 5 s")

    newer = older


def test_a_journal_that_fails_later_leaves_the_files_and_a_note(tmp_path):
    write_log(tmp_path, [[json_line(n, f"file {n}") for n in range(2)]])
    merged = MergedLog(LogFiles(tmp_path), FailingJournal([]))
    page = merged.page(log_filter())
    assert [e.message for e in page.entries] == ["file 1", "file 0"]
    assert page.notes == ("journalctl: did not answer within 5 s",)
    assert merged.follow(log_filter(cursor=page.newer_cursor)).notes == page.notes


@settings(max_examples=100, deadline=None)
@given(
    batches=st.lists(
        st.tuples(st.integers(0, 6), st.integers(0, 6), st.sampled_from(["", "odd"])),
        min_size=1,
        max_size=5,
    ),
    limit=st.integers(1, 4),
)
def test_follow_sees_every_appended_entry_of_both_once_in_order(batches, limit):
    """Each batch appends to both, then follows (filtered by the batch's text) to the end."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_log(root, [[json_line(0, "file start")]])
        journal = FakeJournal([])
        merged = MergedLog(LogFiles(root), journal)
        cursor = merged.page(log_filter()).newer_cursor
        seen, expected, second = [], [], 1
        for to_file, to_journal, text in batches:
            written = []
            with (root / NAME).open("ab") as log:
                for _ in range(to_file):
                    second += 1
                    written.append(f"file {second}{' odd' if second % 2 else ''}")
                    log.write(json_line(second, written[-1]) + b"\n")
            for _ in range(to_journal):
                second += 1
                written.append(f"journal {second}{' odd' if second % 2 else ''}")
                added = record(len(journal.entries), START + second, written[-1])
                journal.entries += FakeJournal([added]).entries
            expected += [m for m in written if text in m]
            while page := merged.follow(log_filter(cursor=cursor, limit=limit, text=text)):
                cursor = page.newer_cursor
                if not page.entries:
                    break
                seen += [e.message for e in reversed(page.entries)]
        assert seen == expected
