"""The log filter's checks (one test per class of bad input, each naming its field), the
matching rule, entries read from lines (never an error), and cursors as opaque text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import regex

from eyepi_gui.adapters.log_scan import FOLDS_INTO_ASCII, looks_only_at_match, required_literal
from eyepi_gui.domain.log_cursor import FileIdentity, LogCursor, parse_cursor
from eyepi_gui.domain.log_entries import entry_of_line
from eyepi_gui.domain.log_filter import PAGE_MAX, log_filter
from eyepi_gui.errors import InvalidInput

BAD = [
    ("text", {"text": "(unclosed", "regex": True}),
    ("text", {"text": "a" * 501}),
    ("text", {"text": 5}),
    ("text", {"text": "nul\x00"}),
    ("since", {"since": "yesterday"}),
    ("since", {"since": -1}),
    ("since", {"since": float("nan")}),
    ("since", {"since": True}),
    ("until", {"until": "2026-13-01"}),
    ("until", {"since": "2026-05-30T12:00", "until": "2026-05-30T11:00"}),
    ("until", {"since": 100, "until": 100}),
    ("limit", {"limit": 0}),
    ("limit", {"limit": PAGE_MAX + 1}),
    ("limit", {"limit": -5}),
    ("limit", {"limit": "50"}),
    ("limit", {"limit": True}),
    ("cursor", {"cursor": "garbage"}),
    ("cursor", {"cursor": "L1.!!!!"}),
    ("cursor", {"cursor": "L1.AAAA"}),
    ("cursor", {"cursor": 12}),
    ("levels", {"levels": ["LOUD"]}),
    ("levels", {"levels": "ERROR"}),
    ("cameras", {"cameras": [""]}),
    ("cameras", {"cameras": ["x"] * 51}),
    ("events", {"events": [3]}),
    ("regex", {"regex": "yes"}),
    ("ignore_case", {"ignore_case": 1}),
]


@pytest.mark.parametrize(("field", "values"), BAD, ids=[f"{f}-{n}" for n, (f, _) in enumerate(BAD)])
def test_bad_input_is_refused_naming_its_field(field, values):
    with pytest.raises(InvalidInput) as caught:
        log_filter(**values)
    assert caught.value.field == field


def test_a_bad_regular_expression_says_so():
    with pytest.raises(InvalidInput) as caught:
        log_filter(text="a(b", regex=True)
    assert "not a valid regular expression" in caught.value.reason


def test_times_are_read_as_iso_text_or_epoch_seconds():
    query = log_filter(since="2026-05-30T12:00", until=1_800_000_000)
    assert query.since == datetime(2026, 5, 30, 12, tzinfo=UTC).timestamp()
    assert query.until == 1_800_000_000.0
    assert log_filter(levels=["error", "Warning"]).levels == {"ERROR", "WARNING"}


LINE = (
    b'{"ts": "2026-05-30T12:00:00.000+00:00", "level": "WARNING", "logger": "eyepi.capture",'
    b' "event": "capture_failed", "msg": "sim-1: Timeout after 5 s",'
    b' "fields": {"camera": "sim-1"}}'
)


def test_an_entry_holds_every_field_of_its_line():
    entry = entry_of_line(LINE)
    assert entry.time == datetime(2026, 5, 30, 12, tzinfo=UTC).timestamp()
    assert (entry.level, entry.event, entry.camera) == ("WARNING", "capture_failed", "sim-1")
    assert entry.message == "sim-1: Timeout after 5 s"
    assert entry.fields["logger"] == "eyepi.capture" and not entry.plain


def test_an_event_names_its_camera_by_camera_id():
    """Events (domain.events) log their fields as they are: a capture's is ``camera_id``."""
    line = LINE.replace(b'"camera"', b'"camera_id"')
    assert entry_of_line(line).camera == "sim-1"
    assert log_filter(cameras=["sim-1"]).matches(entry_of_line(line))


def test_a_service_event_names_its_camera_by_camera_id():
    """Service events log their fields as they are (``domain.events``: ``camera_id``)."""
    line = (
        b'{"ts": "2026-05-30T12:00:00.000+00:00", "level": "INFO", "event": "capture",'
        b' "msg": "captured by sim-2", "fields": {"camera_id": "sim-2", "files": 1}}'
    )
    assert entry_of_line(line).camera == "sim-2"
    assert log_filter(cameras=["sim-2"]).matches(entry_of_line(line))
    assert entry_of_line(LINE.replace(b'"camera"', b'"camera_id"')).camera == "sim-1"


@pytest.mark.parametrize(
    "line", [b"plain text", b"{broken", b"[1]", b"\xff\xfe", b"[" * 100_000, b'"s"', b"1e999"]
)
def test_a_line_that_is_no_json_object_is_a_plain_message(line):
    entry = entry_of_line(line)
    assert entry.plain and entry.time is None
    assert entry.message == line.decode("utf-8", "replace")


@pytest.mark.parametrize(
    ("values", "passes"),
    [
        ({}, True),
        ({"levels": ["WARNING"]}, True),
        ({"levels": ["ERROR"]}, False),
        ({"cameras": ["sim-1"]}, True),
        ({"cameras": ["sim-2"]}, False),
        ({"events": ["capture_failed"]}, True),
        ({"events": ["gap"]}, False),
        ({"text": "timeout"}, True),
        ({"text": "timeout", "ignore_case": False}, False),
        ({"text": r"after \d+ s$", "regex": True}, True),
        ({"text": "TIME", "regex": True, "ignore_case": False}, False),
        ({"since": "2026-05-30T12:00Z"}, True),
        ({"until": "2026-05-30T12:00Z"}, False),
    ],
)
def test_the_matching_rule(values, passes):
    assert log_filter(**values).matches(entry_of_line(LINE)) is passes


def test_case_is_folded_the_unicode_way():
    assert log_filter(text="STRASSE").matches(entry_of_line(b'{"msg": "die stra\xc3\x9fe"}'))


def test_a_cursor_reads_back_as_itself_and_is_opaque_text():
    cursor = LogCursor(FileIdentity(2049, 131_072, 77), 1_234_567)
    text = cursor.text()
    assert parse_cursor(text) == cursor
    assert text.isascii() and "/" not in text and "1234567" not in text


@pytest.mark.parametrize(
    ("pattern", "free"),
    [
        ("time.ut", True),
        ("[^a]b", True),
        ("^x", False),
        ("x$", False),
        ("(?<=a)b", False),
        ("a(?!b)", False),
        (r"\Ax", False),
        ("(?s)a.b", False),
    ],
)
def test_only_patterns_that_look_at_nothing_but_their_match_are_searched_in_blocks(pattern, free):
    assert looks_only_at_match(pattern) is free


@pytest.mark.parametrize(
    ("pattern", "ignore_case", "literal"),
    [
        ("time.ut waiting", False, b"ut waiting"),
        ("abcd?e", False, b"abc"),
        ("abcd*", False, b"abc"),
        ("abcd{0,2}", False, b"abc"),
        ("xy+zzz", False, b"zzz"),
        ("[]a]bcd", False, b"bcd"),
        ("(abcdef)?gh", False, None),
        ("^Time", True, b"time"),
        ("abc|def", False, None),
        (r"\dabcd", False, None),
        ("(?i)abcd", False, None),
        ("straße", True, None),
        ("straße", False, "straße".encode()),
    ],
)
def test_the_text_every_match_of_a_pattern_holds(pattern, ignore_case, literal):
    assert required_literal(pattern, ignore_case) == literal


def test_the_characters_that_fold_into_ascii_are_all_listed():
    """The prefilter lets through lines holding these; one missing would drop matches."""
    letter = regex.compile("[a-z]", regex.IGNORECASE)
    found = {
        char
        for char in map(chr, range(0x80, 0x110000))
        if not "\ud800" <= char <= "\udfff"
        and (
            (
                not (char.casefold() + char.upper() + char.lower()).isascii()
                and any(c.isascii() for c in char.casefold() + char.upper() + char.lower())
            )
            or letter.match(char)
        )
    }
    assert found <= set(FOLDS_INTO_ASCII)
