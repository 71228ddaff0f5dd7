"""The log service on a real station: it reads the station's own log (what the station
wrote as it opened), a viewer may read it and nobody else, the filter is checked with the
station's time zone, and neither the service nor the regex engine is imported at start-up."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.errors import Forbidden, InvalidInput
from eyepi_gui.first_use import was_built
from eyepi_gui.station import Station
from tests.scripted_runner import ScriptedRunner

VIEWER = Principal("vera", Role.VIEWER, Origin.CLI)


def test_a_viewer_reads_what_the_station_logged_newest_first(station):
    services = station.services
    assert not was_built(services.logs)
    logging.getLogger("eyepi.test").warning(
        "sim-1: capture timed out", extra={"event": "capture_failed", "fields": {"camera": "sim-1"}}
    )
    page = services.logs.page(VIEWER, services.logs.query({"cameras": ["sim-1"], "limit": 10}))
    assert [(e.message, e.level, e.event) for e in page.entries][:1] == [
        ("sim-1: capture timed out", "WARNING", "capture_failed")
    ]
    opened = services.logs.page(VIEWER, services.logs.query({"events": ["station_opened"]}))
    assert opened.entries and opened.entries[0].logger == "eyepi.station"


def test_follow_sees_a_line_logged_after_the_page(station):
    logs = station.services.logs
    newer = logs.page(VIEWER, logs.query({"limit": 1})).newer_cursor
    logging.getLogger("eyepi.test").info("a new line", extra={"event": "probe"})
    followed = logs.follow(VIEWER, logs.query({"cursor": newer, "events": ["probe"]}))
    assert [e.message for e in followed.entries] == ["a new line"]


def test_nobody_logged_in_may_not_read_the_log(station):
    logs = station.services.logs
    with pytest.raises(Forbidden):
        logs.page(Principal.anonymous(Origin.REMOTE), logs.query({}))


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"limit": 10_000}, "limit"),
        ({"text": "(", "regex": True}, "text"),
        ({"colour": 1}, "colour"),
    ],
)
def test_bad_filter_values_name_their_field(station, values, field):
    with pytest.raises(InvalidInput) as caught:
        station.services.logs.query(values)
    assert caught.value.field == field


def test_a_time_without_a_zone_is_in_the_station_zone(station):
    query = station.services.logs.query({"since": "2026-05-30T00:00"})
    assert query.since == 1780063200.0  # midnight in Canberra (UTC+10)


def test_jump_refuses_a_time_that_is_no_number(station):
    with pytest.raises(InvalidInput) as caught:
        station.services.logs.jump(VIEWER, float("nan"))
    assert caught.value.field == "time"


def test_start_up_imports_neither_the_log_service_nor_the_regex_engine():
    code = (
        "import sys, eyepi_gui.station; "
        "print(sorted(m for m in sys.modules if m in ('regex', 'eyepi_gui.services.logs', "
        "'eyepi_gui.adapters.log_files', 'eyepi_gui.domain.log_filter')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def open_station(tmp_path, clock, sim, network, journal):
    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=sim,
        log_to_console=False,
        network=network,
        journal=journal,
    )
    return station, station.open()


def test_a_station_without_journalctl_shows_its_log_and_says_so_once(tmp_path, clock, sim, network):
    station, services = open_station(
        tmp_path, clock, sim, network, ScriptedRunner(not_installed=["journalctl"])
    )
    try:
        first = services.logs.page(VIEWER, services.logs.query({"limit": 1}))
        second = services.logs.page(
            VIEWER, services.logs.query({"limit": 1, "cursor": first.older_cursor})
        )
    finally:
        station.stop()
    assert first.entries and len(first.notes) == 1 and "not installed" in first.notes[0]
    assert second.notes == ()


@pytest.mark.root
def test_a_station_reads_its_journal_through_the_runner_it_was_given(
    tmp_path, clock, sim, network, journald
):
    runner = journald.runner()
    station, services = open_station(tmp_path, clock, sim, network, runner)
    try:
        page = services.logs.page(VIEWER, services.logs.query({"limit": 5}))
    finally:
        station.stop()
    assert page.notes == () and page.entries
    assert any("--unit=eyepi.service" in call for call in runner.calls)
