"""The log engine over real files: random logs (rotated files, lines that are no JSON,
Unicode, long lines, escapes) and random filters page to exactly what a simple reference
reader finds, each entry once; follow sees appended lines; a rotation between pages loses
nothing still kept; jump lands on the first entry at or after a time; bad cursors and
catastrophic patterns give clear errors quickly."""

from __future__ import annotations

import os
import time

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from eyepi_gui.adapters.log_files import LogFiles
from eyepi_gui.domain.log_cursor import LogCursor, parse_cursor
from eyepi_gui.domain.log_filter import log_filter
from eyepi_gui.errors import InvalidInput
from tests.log_world import NAME, START, json_line, reference, write_log

FIXTURE = HealthCheck.function_scoped_fixture
CAMERAS = ["sim-1", "sim-2", "Gewächshaus", 'say "cheese"']
EVENTS = ["log", "capture_failed", "gap"]
LEVELS = ["DEBUG", "INFO", "WARNING", "ERROR"]
WORDS = [
    "timeout",
    "Timeout",
    "KELVIN",
    "\u212aelvin",
    "straße",
    "STRASSE",
    "a\\b",
    'q"q',
    "🌱",
    "x",
]
PATTERNS = [
    "the ti.eout",
    "^the KEL",
    "a{2}aa",
    "Strass?e",
    "(the)? x here$",
    "time.ut",
    "^time",
    "out$",
    "[^a]b",
    "K",
    "s+e",
    r"\d",
    "(?i)ss",
    "a|\u212a",
    "\\bx",
]

messages = st.one_of(
    st.text(st.sampled_from('abeiKkoßstuxy "\\\n\té🌱\u212a0123'), max_size=20),
    st.sampled_from(WORDS).map(lambda w: f"the {w} here"),
    st.integers(200, 3000).map(lambda n: "a" * n + " long"),
)
plain_lines = st.sampled_from(
    [b"not json at all", b"{broken", b"[1, 2]", b"\xff\xfe bad bytes timeout", b'"str"', b"x\r"]
)


@st.composite
def logs(draw):
    count = draw(st.integers(0, 40))
    lines = []
    for n in range(count):
        if draw(st.integers(0, 9)) == 0:
            lines.append(draw(plain_lines))
            continue
        lines.append(
            json_line(
                n,
                draw(messages),
                level=draw(st.sampled_from(LEVELS)),
                event=draw(st.sampled_from(EVENTS)),
                camera=draw(st.sampled_from([None, *CAMERAS])),
                ascii_only=draw(st.booleans()),
                camera_key=draw(st.sampled_from(["camera", "camera_id"])),
            )
        )
    cuts = sorted(draw(st.lists(st.integers(0, count), max_size=4)))
    files = [lines[a:b] for a, b in zip([0, *cuts], [*cuts, count], strict=True)]
    tail = draw(st.sampled_from([b"", b'{"ts": "2026-05-30T01:00:00", "msg": "half']))
    return files, tail


@st.composite
def queries(draw):
    use_regex = draw(st.booleans())
    text = draw(st.sampled_from(PATTERNS if use_regex else ["", *WORDS, "e", "ss", "a" * 50]))
    text = text if draw(st.booleans()) else ""
    since = draw(st.one_of(st.none(), st.none(), st.integers(0, 40).map(lambda n: START + n)))
    return dict(
        levels=draw(st.sampled_from([[], [], ["INFO", "ERROR"], ["WARNING"]])),
        cameras=draw(st.sampled_from([[], [], ["sim-1"], CAMERAS[2:]])),
        events=draw(st.sampled_from([[], [], ["log"]])),
        since=since,
        until=draw(st.one_of(st.none(), st.integers(1, 45).map(lambda n: (since or START) + n))),
        text=text,
        regex=use_regex,
        ignore_case=draw(st.booleans()),
    )


def all_pages(source, fields, limit):
    seen, cursor = [], None
    for _ in range(100_000):
        page = source.page(log_filter(**fields, limit=limit, cursor=cursor))
        assert len(page.entries) <= limit
        seen += page.entries
        if page.older_cursor is None:
            return seen
        cursor = page.older_cursor
    raise AssertionError("paging never ended")


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    log=logs(),
    fields=queries(),
    limit=st.integers(1, 7),
    block=st.sampled_from([16, 97, 4096]),
    budget=st.sampled_from([0.0, 60.0]),
)
def test_pages_agree_with_the_reference_reader(tmp_path_factory, log, fields, limit, block, budget):
    """A budget of 0 s cuts every page after its first block: paging on still sees all."""
    folder = tmp_path_factory.mktemp("logs")
    files, tail = log
    write_log(folder, files, live_tail=tail)
    source = LogFiles(folder, block=block, budget_s=budget)
    expected = reference(folder, log_filter(**fields))
    assert all_pages(source, fields, limit) == expected
    event("some match" if expected else "none match")


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(log=logs(), fields=queries(), appended=st.lists(messages, max_size=12))
def test_follow_sees_exactly_the_lines_appended(tmp_path_factory, log, fields, appended):
    folder = tmp_path_factory.mktemp("logs")
    files, _ = log
    write_log(folder, files)
    source = LogFiles(folder, block=64, budget_s=60)
    newer = source.page(log_filter(**fields)).newer_cursor
    before = reference(folder, log_filter(**fields))
    with open(folder / NAME, "ab") as live:
        for n, message in enumerate(appended):
            live.write(json_line(100 + n, message, camera="sim-1") + b"\n")
    if newer is None:  # there was no log at all: nothing to follow from
        return
    seen = []
    for _ in range(100):
        page = source.follow(log_filter(**fields, limit=3, cursor=newer))
        if not page.entries:
            break
        seen = page.entries + seen
        newer = page.newer_cursor
    after = reference(folder, log_filter(**fields))
    assert seen == after[: len(after) - len(before)]


def rotate(folder, kept=10):
    """What RotatingFileHandler does: .9 -> .10, ..., eyepi.jsonl -> .1 (the oldest dropped)."""
    for n in range(kept - 1, 0, -1):
        if (folder / f"{NAME}.{n}").exists():
            os.replace(folder / f"{NAME}.{n}", folder / f"{NAME}.{n + 1}")
    os.replace(folder / NAME, folder / f"{NAME}.1")
    (folder / NAME).write_bytes(b"")


def test_a_rotation_between_pages_loses_no_entry_still_kept(tmp_path):
    lines = [json_line(n, f"entry {n}") for n in range(30)]
    write_log(tmp_path, [lines[:10], lines[10:20], lines[20:]])
    source = LogFiles(tmp_path, block=64)
    first = source.page(log_filter(limit=5))
    rotate(tmp_path)
    with open(tmp_path / NAME, "ab") as live:
        live.write(json_line(30, "after rotation") + b"\n")
    cursor, rest = first.older_cursor, []
    while cursor:
        page = source.page(log_filter(limit=4, cursor=cursor))
        rest += page.entries
        cursor = page.older_cursor
    assert [e.message for e in first.entries + rest] == [f"entry {n}" for n in range(29, -1, -1)]
    follow = source.follow(log_filter(cursor=first.newer_cursor))
    assert [e.message for e in follow.entries] == ["after rotation"]


def test_a_cursor_whose_file_was_rotated_away_says_the_log_moved_on(tmp_path):
    write_log(tmp_path, [[json_line(n, f"entry {n}") for n in range(5)]])
    source = LogFiles(tmp_path, rotated=1)
    cursor = source.page(log_filter(limit=2)).older_cursor
    rotate(tmp_path, kept=1)
    rotate(tmp_path, kept=1)
    with pytest.raises(InvalidInput) as caught:
        source.page(log_filter(cursor=cursor))
    assert caught.value.field == "cursor" and "moved on" in caught.value.reason


def test_a_cursor_of_another_file_is_refused(tmp_path):
    write_log(tmp_path / "a", [[json_line(n, "a") for n in range(3)]])
    write_log(tmp_path / "b", [[json_line(n, "b") for n in range(3)]])
    cursor = LogFiles(tmp_path / "a").page(log_filter(limit=1)).older_cursor
    with pytest.raises(InvalidInput) as caught:
        LogFiles(tmp_path / "b").page(log_filter(cursor=cursor))
    assert caught.value.field == "cursor"


def test_a_file_replaced_under_the_same_inode_is_told_apart_by_its_first_line(tmp_path):
    write_log(tmp_path, [[json_line(n, "old") for n in range(3)]])
    source = LogFiles(tmp_path)
    older = parse_cursor(source.page(log_filter(limit=1)).older_cursor)
    forged = LogCursor(older.file.__class__(older.file.device, older.file.inode, 12345), 0)
    with pytest.raises(InvalidInput):
        source.page(log_filter(cursor=forged.text()))


@pytest.mark.parametrize("target", [0, 1, 17, 33, 59, 60, 1000])
def test_jump_lands_on_the_first_entry_at_or_after_a_time(tmp_path, target):
    lines = [json_line(n, f"entry {n}") for n in range(60)]
    lines.insert(20, b"a plain line without a time")
    write_log(tmp_path, [lines[:25], lines[25:]])
    source = LogFiles(tmp_path, block=128)
    cursor = source.jump(START + target)
    newer = source.follow(log_filter(cursor=cursor, limit=500)).entries
    older = source.page(log_filter(cursor=cursor, limit=500)).entries
    assert all(e.time >= START + target for e in newer if e.time is not None)
    assert all(e.time < START + target for e in older if e.time is not None)
    assert len([e for e in newer + older if not e.plain]) == 60


def test_jump_in_a_big_file_reads_by_binary_search(tmp_path):
    lines = [json_line(n, "x" * 200) for n in range(20_000)]
    write_log(tmp_path, [lines])
    source = LogFiles(tmp_path)
    cursor = source.jump(START + 12_345)
    assert source.follow(log_filter(cursor=cursor, limit=1)).entries[0].time == START + 12_345


@pytest.mark.parametrize(
    ("pattern", "message"),
    [("(a+)+$", "a" * 5000 + "!"), ("(x+x+)+y", "x" * 5000)],
    ids=["anchored, searched per line", "searched in the block"],
)
def test_a_catastrophic_pattern_on_a_long_line_ends_with_a_clear_error_quickly(
    tmp_path, pattern, message
):
    write_log(tmp_path, [[json_line(0, message)]])
    query = log_filter(text=pattern, regex=True)
    began = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        LogFiles(tmp_path).page(query)
    assert caught.value.field == "text" and "too long" in caught.value.reason
    assert time.monotonic() - began < 2.0


SLOW = "(a|aa)+$"
"""About 0.05 s on each line of SLOW_LINE: well under REGEX_TIMEOUT_S, so no search fails."""
SLOW_LINE = "a" * 24 + "!"


def test_a_pattern_slow_on_every_line_ends_the_page_when_its_time_is_up(tmp_path):
    """A block holds thousands of lines: the time left is looked at after each one, so a
    page (and a follow) ends near its budget, with a cursor to go on from."""
    write_log(tmp_path, [[json_line(n, SLOW_LINE) for n in range(80)]])
    files, query = LogFiles(tmp_path, budget_s=0.3), log_filter(text=SLOW, regex=True)
    began = time.monotonic()
    page = files.page(query)
    assert time.monotonic() - began < 1.0
    assert page.entries == [] and page.older_cursor is not None
    began = time.monotonic()
    start = files.jump(START)
    followed = files.follow(log_filter(text=SLOW, regex=True, cursor=start))
    assert time.monotonic() - began < 1.0
    assert followed.entries == [] and followed.newer_cursor not in (None, start)


def test_a_pattern_slow_on_every_line_of_a_block_ends_with_a_clear_error(tmp_path):
    """Searched in the block (no anchor): each search finds its line's match slowly, well
    under the time limit of one search; together they stop at BLOCK_SEARCH_S."""
    write_log(tmp_path, [[json_line(n, "a" * 22 + "! ab") for n in range(600)]])
    began = time.monotonic()
    with pytest.raises(InvalidInput) as caught:
        LogFiles(tmp_path).page(log_filter(text="(a|aa)+b", regex=True))
    assert caught.value.field == "text" and "too long" in caught.value.reason
    assert time.monotonic() - began < 2.0


def test_a_symbolic_link_among_the_log_files_is_passed_over(tmp_path):
    write_log(tmp_path / "logs", [[json_line(0, "kept")], [json_line(1, "live")]])
    (tmp_path / "elsewhere").write_bytes(json_line(2, "not ours") + b"\n")
    (tmp_path / "logs" / f"{NAME}.1").unlink()
    (tmp_path / "logs" / f"{NAME}.1").symlink_to(tmp_path / "elsewhere")
    page = LogFiles(tmp_path / "logs").page(log_filter())
    assert [e.message for e in page.entries] == ["live"]


def test_a_missing_log_folder_is_an_empty_log(tmp_path):
    page = LogFiles(tmp_path / "none").page(log_filter())
    assert (page.entries, page.older_cursor, page.newer_cursor) == ([], None, None)
