"""Expected slots per hour, counted only while the camera ran, against enumerating every slot."""

import itertools
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eyepi_gui.domain import schedule
from eyepi_gui.domain.ago import ago_text
from eyepi_gui.domain.health import (
    RunSpan,
    expected_slots,
    hour_edges,
    hourly_health,
    merge,
)
from eyepi_gui.domain.schedule import DailyWindow

UTC = ZoneInfo("UTC")
BERLIN = ZoneInfo("Europe/Berlin")
DAY0 = datetime(2025, 3, 29, 12, tzinfo=BERLIN).timestamp()  # the next night is DST forward


def every_slot(lo, hi, interval, window, tz):
    """The reference: walk the schedule slot by slot."""
    slot = schedule.slot_at_or_after(lo, interval, tz)
    while slot < hi:
        if schedule.in_window(slot, window, tz):
            yield slot
        slot = schedule.slot_at_or_after(slot + interval / 2, interval, tz)


def brute_expected(edges, spans, interval, window, tz):
    counts = [0] * (len(edges) - 1)
    for slot in every_slot(edges[0], edges[-1], interval, window, tz):
        if any(s.start <= slot < s.stop for s in spans):
            hour = max(i for i in range(len(counts)) if edges[i] <= slot)
            counts[hour] += 1
    return counts


spans_st = st.lists(
    st.tuples(st.integers(0, 26 * 3600), st.integers(1, 8 * 3600)).map(
        lambda p: RunSpan(DAY0 - 3600 + p[0], DAY0 - 3600 + p[0] + p[1])
    ),
    max_size=5,
)
window_st = st.one_of(
    st.none(),
    st.tuples(st.integers(0, 23), st.integers(0, 59), st.integers(0, 23), st.integers(0, 59))
    .filter(lambda t: (t[0], t[1]) != (t[2], t[3]))
    .map(lambda t: DailyWindow(time(t[0], t[1]), time(t[2], t[3]))),
)


@settings(max_examples=60, deadline=None)
@given(
    spans=spans_st,
    interval=st.sampled_from([5, 7, 60, 90, 300, 3600, 5400]) | st.integers(20, 7200),
    window=window_st,
    tz=st.sampled_from([UTC, BERLIN]),
    now_offset=st.integers(0, 3 * 3600),
)
def test_expected_per_hour_matches_every_slot(spans, interval, window, tz, now_offset):
    now = DAY0 + 20 * 3600 + now_offset
    edges = hour_edges(now, tz)
    health = hourly_health(edges, spans, [RunSpan(0, now)], [0] * 24, interval, window, tz)
    assert [h.expected for h in health] == brute_expected(edges, spans, interval, window, tz)


@given(spans=spans_st)
def test_merge_gives_disjoint_spans_covering_the_same_time(spans):
    merged = merge(spans)
    assert all(a.stop < b.start for a, b in itertools.pairwise(merged))
    for probe in range(int(DAY0 - 3600), int(DAY0 + 34 * 3600), 997):
        inside = any(s.start <= probe < s.stop for s in spans)
        assert inside == any(s.start <= probe < s.stop for s in merged)


def test_hour_edges_are_local_clock_hours_ending_now():
    now = datetime(2025, 6, 1, 10, 17, 5, tzinfo=BERLIN).timestamp()
    edges = hour_edges(now, BERLIN)
    assert len(edges) == 25 and edges[-1] == now
    assert datetime.fromtimestamp(edges[-2], BERLIN).time() == time(10)
    assert datetime.fromtimestamp(edges[0], BERLIN) == datetime(2025, 5, 31, 11, tzinfo=BERLIN)


def test_started_at_0153_with_5s_interval_expects_only_from_then():
    midnight = datetime(2025, 6, 1, tzinfo=UTC).timestamp()
    started, now = midnight + 1 * 3600 + 53 * 60, midnight + 2 * 3600 + 30
    running = [RunSpan(started, now)]
    assert expected_slots(running, midnight, now, 5, None, UTC) == 7 * 12 + 30 // 5
    health = hourly_health(hour_edges(now, UTC), running, running, [0] * 24, 5, None, UTC)
    assert [h.expected for h in health[-3:]] == [0, 84, 6]
    assert health[-3].off_s == 3600 and not health[-3].gap


def test_a_camera_counts_only_while_the_station_ran():
    now = DAY0 + 3 * 3600 + 1800
    station = [RunSpan(DAY0 - 86400, DAY0)]  # the station stopped at DAY0, an hour start
    camera = [RunSpan(DAY0 - 86400, now)]
    health = hourly_health(hour_edges(now, UTC), camera, station, [0] * 24, 60, None, UTC)
    assert [h.expected for h in health[-5:]] == [60, 0, 0, 0, 0]
    assert all(h.station_off_s == h.off_s == h.stop - h.start for h in health[-4:])
    assert not any(h.gap for h in health[-4:]) and health[-5].gap


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (-5, "just now"),
        (0, "just now"),
        (0.99, "just now"),
        (1, "1 s ago"),
        (59.9, "59 s ago"),
        (60, "1 min ago"),
        (12 * 60 + 59, "12 min ago"),
        (3599, "59 min ago"),
        (3600, "1 h ago"),
        (86399, "23 h ago"),
        (86400, "1 day ago"),
        (2 * 86400, "2 days ago"),
    ],
)
def test_ago_text_boundaries(seconds, text):
    assert ago_text(1_000_000 - seconds, 1_000_000) == text


def test_ago_text_never():
    assert ago_text(None, 1_000_000) == "never"
