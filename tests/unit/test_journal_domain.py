"""Journal records as log entries (levels from PRIORITY, source from the unit or the
identifier, a message given as bytes or left out), the cursor check that guards journalctl's
options, places, and the merged cursor: each class of bad text refused by name."""

from __future__ import annotations

import base64
import json

import pytest

from eyepi_gui.domain.journal_entries import (
    AFTER,
    BEFORE,
    DONE,
    NEWEST,
    JournalPlace,
    entry_of_record,
    level_of,
    valid_cursor,
)
from eyepi_gui.domain.log_cursor import FileIdentity, LogCursor
from eyepi_gui.domain.log_filter import log_filter
from eyepi_gui.domain.log_merge import FILE_AT, FILE_NEWEST, MergedCursor, parse_merged
from eyepi_gui.errors import InvalidInput
from tests.fake_journal import cursor_of

CURSOR = cursor_of(7)


def test_a_record_becomes_an_entry_with_every_field_kept():
    record = {
        "__CURSOR": CURSOR,
        "__REALTIME_TIMESTAMP": "1780063200123456",
        "PRIORITY": "3",
        "_SYSTEMD_UNIT": "NetworkManager.service",
        "SYSLOG_IDENTIFIER": "NetworkManager",
        "MESSAGE": [104, 105, 255],
    }
    entry = entry_of_record(record)
    assert (entry.time, entry.level, entry.logger, entry.event, entry.message) == (
        1780063200.123456,
        "ERROR",
        "NetworkManager.service",
        "journal",
        "hi\ufffd",
    )
    assert entry.fields == record and entry.camera is None


@pytest.mark.parametrize(
    ("record", "message", "logger", "time"),
    [
        ({"MESSAGE": None, "SYSLOG_IDENTIFIER": "eyepi"}, "", "eyepi", None),
        ({"MESSAGE": [300, 1]}, "", "", None),
        ({"MESSAGE": "x", "__REALTIME_TIMESTAMP": "-5"}, "x", "", None),
        ({"MESSAGE": "x", "__REALTIME_TIMESTAMP": "9" * 25}, "x", "", None),
    ],
)
def test_odd_records_never_fail(record, message, logger, time):
    entry = entry_of_record(record)
    assert (entry.message, entry.logger, entry.time) == (message, logger, time)


@pytest.mark.parametrize(
    ("priority", "level"),
    [
        *(("0", "CRITICAL"), ("2", "CRITICAL"), ("3", "ERROR"), ("4", "WARNING")),
        *(("5", "INFO"), ("6", "INFO"), ("7", "DEBUG"), ("8", "INFO"), (None, "INFO")),
        *(("", "INFO"), ("12", "INFO")),
    ],
)
def test_priorities_map_to_levels(priority, level):
    assert level_of(priority) == level


@pytest.mark.parametrize(
    "text",
    [
        "-s=1",
        CURSOR + ";",
        CURSOR.replace("s=", "s=-"),
        CURSOR + "\n",
        CURSOR.upper(),
        "",
        None,
        " " + CURSOR,
    ],
)
def test_only_cursors_as_journald_writes_them_pass(text):
    assert not valid_cursor(text)
    assert valid_cursor(CURSOR)


@pytest.mark.parametrize(
    ("side", "cursor"), [("sideways", ""), (BEFORE, ""), (AFTER, "--help"), (NEWEST, CURSOR)]
)
def test_a_place_needs_a_side_and_the_cursor_that_side_takes(side, cursor):
    with pytest.raises(ValueError):
        JournalPlace(side, cursor)


def merged_text(parts):
    body = base64.urlsafe_b64encode(json.dumps(parts).encode()).decode().rstrip("=")
    return "M1." + body


FILE = LogCursor(FileIdentity(1, 2, 3), 40)


def test_a_merged_cursor_reads_back_as_it_was():
    for cursor in (
        MergedCursor(FILE_AT, FILE, JournalPlace(BEFORE, CURSOR)),
        MergedCursor(FILE_NEWEST, None, JournalPlace(DONE)),
    ):
        assert parse_merged(cursor.text()) == cursor
        assert log_filter(cursor=cursor.text()).cursor == cursor


@pytest.mark.parametrize(
    "text",
    [
        "M1.",  # empty
        "M1.!!!",  # not base64
        merged_text({"a": 1}),  # not a list
        merged_text(["at", "", "newest", ""]),  # a file place without its cursor
        merged_text(["newest", FILE.text(), "newest", ""]),  # a cursor where none goes
        merged_text(["at", "L1.AAAA", "newest", ""]),  # a bad file cursor
        merged_text(["at", FILE.text(), "before", "--help"]),  # a journal cursor that is none
        merged_text(["at", FILE.text(), "newest", 5]),  # a value of the wrong type
        merged_text(["at", FILE.text(), "newest", ""]) + "A",  # not as this station writes it
        "M1." + "A" * 700,  # too long
    ],
)
def test_bad_merged_cursors_are_refused_by_name(text):
    with pytest.raises(InvalidInput) as caught:
        log_filter(cursor=text)
    assert caught.value.field == "cursor"
