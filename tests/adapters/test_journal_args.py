"""What the journal adapter gives journalctl (scripted runner: the real argument rules):
fixed flags, validated names, times as numbers, cursors only after the check as an option's
value, never ``--grep``; a failing journalctl is an error with its reason, a cursor it cannot
seek to is a bad cursor."""

from __future__ import annotations

import json

import pytest

from eyepi_gui.adapters.journal import Journal
from eyepi_gui.domain.journal_entries import BEFORE, DONE, NEWEST, JournalPlace
from eyepi_gui.domain.log_filter import log_filter
from eyepi_gui.errors import InvalidInput, Unavailable
from tests.fake_journal import cursor_of, record
from tests.scripted_runner import ScriptedRunner

BASE = ["-o", "json", "--no-pager", "--all"]
UNITS = ["--unit=eyepi.service", "--unit=NetworkManager.service"]
AFTER_2 = f"--after-cursor={cursor_of(2)}"


def lines(*records):
    return "".join(json.dumps(r) + "\n" for r in records)


def test_a_page_asks_for_the_units_newest_first_within_the_times_in_chunks():
    runner = ScriptedRunner()
    since, until = 1780063200.5, 1780066800.25
    first = [record(n, since + n, "regex (a+)+$ stays text") for n in (3, 2)]
    runner.expect(
        "journalctl",
        [*BASE, *UNITS, "--reverse", "--since=@1780063200", "--until=@1780066801", "-n", "2"],
        stdout=lines(*first),
    )
    runner.expect(
        "journalctl",
        [*BASE, *UNITS, "--reverse", AFTER_2, "-n", "2"],
        stdout=lines(record(1, since + 0.75, "last"), record(0, since - 1, "too old")),
    )
    query = log_filter(since=since, until=until, text="(a+)+$")
    entries, place = Journal(runner, chunk=2).older(query, JournalPlace(NEWEST))
    assert [e.message for e in entries] == ["regex (a+)+$ stays text"] * 2
    assert place == JournalPlace(DONE)
    runner.assert_all_used()
    assert not any("--grep" in arg for call in runner.calls for arg in call.args)


def test_a_page_ends_at_its_limit_before_the_last_entry_taken():
    runner = ScriptedRunner()
    runner.expect(
        "journalctl",
        [*BASE, *UNITS, "--reverse", f"--after-cursor={cursor_of(9)}", "-n", "200"],
        stdout=lines(*(record(n, 100.0 + n, f"m{n}") for n in (8, 7, 6))),
    )
    query = log_filter(limit=2)
    entries, place = Journal(runner).older(query, JournalPlace(BEFORE, cursor_of(9)))
    assert [e.message for e in entries] == ["m8", "m7"]
    assert place == JournalPlace(BEFORE, cursor_of(7))


@pytest.mark.parametrize("name", ["-x", "a b", "", "eyepi.service;rm", "x" * 300])
def test_names_that_could_be_options_or_worse_are_refused(name):
    with pytest.raises(ValueError):
        Journal(ScriptedRunner(), units=(name,))


def test_units_and_identifiers_are_not_given_together():
    with pytest.raises(ValueError):
        Journal(ScriptedRunner(), units=("eyepi.service",), identifiers=("eyepi",))


def test_a_failing_journalctl_says_why_and_a_cursor_it_cannot_seek_is_a_bad_cursor():
    runner = ScriptedRunner()
    runner.expect(
        "journalctl",
        [*BASE, *UNITS, "--reverse", "-n", "200"],
        exit_code=1,
        stderr="Failed to get journal fields: Bad message",
    )
    with pytest.raises(Unavailable, match="Bad message"):
        Journal(runner).older(log_filter(), JournalPlace(NEWEST))
    runner.expect(
        "journalctl",
        [*BASE, *UNITS, "--reverse", f"--after-cursor={cursor_of(1)}", "-n", "200"],
        exit_code=1,
        stderr="Failed to seek to cursor: Invalid argument",
    )
    with pytest.raises(InvalidInput) as caught:
        Journal(runner).older(log_filter(), JournalPlace(BEFORE, cursor_of(1)))
    assert caught.value.field == "cursor"


def test_journalctl_not_installed_is_a_reason_not_an_error():
    runner = ScriptedRunner(not_installed=["journalctl"])
    assert "not installed" in (Journal(runner).unreadable() or "")
