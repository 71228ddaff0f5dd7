"""Daily windows, clock-aligned slots, gaps: midnight crossing and DST included."""

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eyepi_gui.domain import schedule
from eyepi_gui.domain.schedule import DailyWindow, parse_window

SYDNEY = ZoneInfo("Australia/Sydney")  # DST: forward 2025-10-05 02:00, back 2025-04-06 03:00
BERLIN = ZoneInfo("Europe/Berlin")  # DST: forward 2025-03-30 02:00, back 2025-10-26 03:00


def ts(tz, *args):
    return datetime(*args, tzinfo=tz).timestamp()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05:00-22:00", DailyWindow(time(5), time(22))),
        ("22:30-04:15", DailyWindow(time(22, 30), time(4, 15))),
        ("always", None),
        (" ALWAYS ", None),
    ],
)
def test_parse_window_accepts(text, expected):
    assert parse_window(text) == expected


@pytest.mark.parametrize(
    "text", ["", "5-22", "24:00-05:00", "05:60-06:00", "05:00-05:00", "05:00 - 22:00", "never"]
)
def test_parse_window_rejects_with_reason(text):
    with pytest.raises(ValueError, match=r"HH:MM|always"):
        parse_window(text)


def test_window_contains_and_crosses_midnight():
    day = DailyWindow(time(5), time(22))
    night = DailyWindow(time(22), time(5))
    assert day.contains(time(5)) and not day.contains(time(22)) and not day.contains(time(4, 59))
    assert night.crosses_midnight
    assert night.contains(time(23)) and night.contains(time(0)) and night.contains(time(4, 59))
    assert not night.contains(time(5)) and not night.contains(time(12))


def test_slots_line_up_on_the_clock():
    after = ts(BERLIN, 2025, 6, 1, 10, 3, 17)
    slot = schedule.next_slot(after, 300, None, BERLIN)
    assert datetime.fromtimestamp(slot, BERLIN).time() == time(10, 5)


def test_daily_interval_lands_on_local_midnight():
    after = ts(BERLIN, 2025, 1, 15, 10)
    slot = schedule.next_slot(after, 86400, None, BERLIN)
    assert datetime.fromtimestamp(slot, BERLIN) == datetime(2025, 1, 16, tzinfo=BERLIN)


def test_next_slot_waits_for_the_window_to_open():
    after = ts(BERLIN, 2025, 6, 1, 22, 0, 1)
    slot = schedule.next_slot(after, 60, DailyWindow(time(5), time(22)), BERLIN)
    assert datetime.fromtimestamp(slot, BERLIN) == datetime(2025, 6, 2, 5, 0, tzinfo=BERLIN)


def test_window_across_midnight_counts_both_sides():
    start, stop = schedule.day_bounds(ts(BERLIN, 2025, 6, 1, 12), BERLIN)
    count = schedule.count_slots(start, stop, 600, DailyWindow(time(22), time(2)), BERLIN)
    assert count == 4 * 6  # 00:00-02:00 and 22:00-24:00 of the same day


def test_full_day_with_window():
    start, stop = schedule.day_bounds(ts(BERLIN, 2025, 6, 1, 12), BERLIN)
    assert schedule.count_slots(start, stop, 60, DailyWindow(time(5), time(22)), BERLIN) == 17 * 60


def test_dst_spring_forward_day_has_23_hours_and_skips_missing_wall_times():
    start, stop = schedule.day_bounds(ts(BERLIN, 2025, 3, 30, 12), BERLIN)
    assert stop - start == 23 * 3600
    assert schedule.count_slots(start, stop, 3600, None, BERLIN) == 23
    assert schedule.count_slots(start, stop, 600, DailyWindow(time(1), time(4)), BERLIN) == 2 * 6


def test_dst_fall_back_repeats_the_hour_without_duplicates():
    start, stop = schedule.day_bounds(ts(BERLIN, 2025, 10, 26, 12), BERLIN)
    assert stop - start == 25 * 3600
    slots, t = [], start
    while (t := schedule.next_slot(t, 1800, DailyWindow(time(1), time(4)), BERLIN)) < stop:
        slots.append(t)
        t += 1
    assert len(slots) == len(set(slots)) == 4 * 2
    assert [datetime.fromtimestamp(s, BERLIN).strftime("%H:%M") for s in slots][:6] == [
        "01:00",
        "01:30",
        "02:00",
        "02:30",
        "02:00",
        "02:30",
    ]


def test_dst_southern_hemisphere_alignment_stays_on_quarter_hours():
    after = ts(SYDNEY, 2025, 10, 5, 1, 50)
    slots = [after]
    for _ in range(4):
        slots.append(schedule.next_slot(slots[-1] + 1, 900, None, SYDNEY))
    local = [datetime.fromtimestamp(s, SYDNEY).strftime("%H:%M") for s in slots[1:]]
    assert local == ["03:00", "03:15", "03:30", "03:45"]  # 02:00 standard time is 03:00 summer time
    assert [s - slots[1] for s in slots[1:]] == [0, 900, 1800, 2700]


@given(
    st.floats(min_value=1.6e9, max_value=1.9e9), st.sampled_from([0.5, 1, 7, 60, 300, 3600, 86400])
)
def test_next_slot_is_aligned_and_never_before(after, interval):
    slot = schedule.next_slot(after, interval, None, UTC)
    assert after - 1e-6 <= slot < after + interval
    assert abs((slot / interval) - round(slot / interval)) < 1e-6


class TestDecide:
    window = DailyWindow(time(5), time(22))

    def test_on_time_dispatches_the_slot(self):
        due = ts(UTC, 2025, 6, 1, 10, 0)
        d = schedule.decide(due, due + 0.01, 60, self.window, UTC, 30)
        assert (d.dispatch, d.missed, d.next_due) == (due, 0, due + 60)

    def test_early_wakeup_waits(self):
        due = ts(UTC, 2025, 6, 1, 10, 0)
        d = schedule.decide(due, due - 5, 60, self.window, UTC, 30)
        assert (d.dispatch, d.missed, d.next_due) == (None, 0, due)

    def test_long_sleep_is_a_gap_never_a_burst(self):
        due = ts(UTC, 2025, 6, 1, 10, 0)
        now = due + 3600 + 1  # one hour asleep, woke 1 s after a slot
        d = schedule.decide(due, now, 60, self.window, UTC, 30)
        assert d.dispatch == due + 3600
        assert d.missed == 60 and d.missed_from == due
        assert d.next_due == due + 3660

    def test_too_late_for_the_current_slot_counts_it_missed(self):
        due = ts(UTC, 2025, 6, 1, 10, 0)
        d = schedule.decide(due, due + 45, 60, self.window, UTC, 30)
        assert (d.dispatch, d.missed, d.next_due) == (None, 1, due + 60)

    def test_gap_counts_only_slots_inside_the_window(self):
        due = ts(UTC, 2025, 6, 1, 21, 59)
        now = ts(UTC, 2025, 6, 2, 5, 0, 1)
        d = schedule.decide(due, now, 60, self.window, UTC, 30)
        assert d.dispatch == ts(UTC, 2025, 6, 2, 5, 0)
        assert d.missed == 1  # 21:59 only; the night is outside the window

    def test_clock_moved_back_lines_up_again(self):
        due = ts(UTC, 2025, 6, 1, 12, 0)
        now = due - 7200.5
        d = schedule.decide(due, now, 60, self.window, UTC, 30)
        assert d.dispatch is None and d.next_due == schedule.next_slot(now, 60, self.window, UTC)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.5, "0.5 s"),
        (59, "59 s"),
        (90, "90 s"),
        (90.5, "90.5 s"),
        (300, "5 min"),
        (3600, "1 h"),
        (5400, "1 h 30 min"),
        (86400, "24 h"),
    ],
)
def test_interval_text_is_how_people_say_it(seconds, text):
    assert schedule.interval_text(seconds) == text
