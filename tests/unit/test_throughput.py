"""Rate and time left of a job, on a clock the test moves (domain.throughput)."""

import math

import pytest

from eyepi_gui.domain.jobs import JobProgress
from eyepi_gui.domain.throughput import SAMPLE_S, SMOOTHING_S, Throughput, eta_s

MB = 1_000_000


def steady(meter, seconds, bytes_per_s, step_s=1.0, items_per_s=0):
    """The meter after ``seconds`` of steady progress, sampled every ``step_s``."""
    for _ in range(int(seconds / step_s)):
        at = meter.at + step_s
        meter = meter.sample(
            at, meter.items + int(items_per_s * step_s), meter.bytes + int(bytes_per_s * step_s)
        )
    return meter


def test_no_rate_before_the_first_interval():
    meter = Throughput(100.0)
    assert meter.bytes_rate is None
    assert eta_s(meter, 0, 10, 0, 10 * MB) is None


def test_the_first_interval_gives_its_rate_at_once():
    meter = Throughput(100.0).sample(102.0, 4, 8 * MB)
    assert meter.bytes_rate == pytest.approx(4 * MB)
    assert meter.items_rate == pytest.approx(2)


def test_a_steady_rate_is_the_rate_and_the_time_left_follows():
    meter = steady(Throughput(0.0), 30, 2 * MB)
    assert meter.bytes_rate == pytest.approx(2 * MB)
    assert eta_s(meter, 0, 0, meter.bytes, meter.bytes + 20 * MB) == pytest.approx(10.0)


def test_a_change_of_speed_shows_by_the_smoothing_constant():
    meter = steady(Throughput(0.0), 20, 1 * MB)
    faster = steady(meter, SMOOTHING_S, 3 * MB)
    expected = 3 * MB - 2 * MB * math.exp(-1)  # 63 % of the step after one time constant
    assert faster.bytes_rate == pytest.approx(expected, rel=1e-6)
    assert 1 * MB < faster.bytes_rate < 3 * MB


def test_samples_closer_than_the_sample_time_are_not_taken():
    meter = Throughput(0.0).sample(1.0, 1, MB)
    assert meter.sample(1.0 + SAMPLE_S / 2, 2, 50 * MB) is meter


def test_a_stall_makes_the_rate_fall_and_the_time_left_grow():
    meter = steady(Throughput(0.0), 20, 1 * MB)
    left = eta_s(meter, 0, 0, meter.bytes, meter.bytes + 10 * MB)
    stalled = meter.at_time(meter.at + 10)
    assert stalled.bytes_rate < meter.bytes_rate * 0.2
    assert eta_s(stalled, 0, 0, stalled.bytes, stalled.bytes + 10 * MB) > 4 * left


def test_time_left_by_items_when_there_is_no_byte_total():
    meter = steady(Throughput(0.0), 10, 0, items_per_s=5)
    assert eta_s(meter, 50, 80, 0, 0) == pytest.approx(6.0)


def test_time_left_is_zero_once_done_and_none_without_totals():
    meter = steady(Throughput(0.0), 5, MB)
    assert eta_s(meter, 10, 10, 5 * MB, 5 * MB) == 0.0
    assert eta_s(meter, 10, 0, 5 * MB, 0) is None


def test_time_left_is_none_at_a_zero_rate():
    meter = Throughput(0.0).sample(1.0, 0, 0)
    assert meter.bytes_rate == 0.0
    assert eta_s(meter, 0, 0, 0, MB) is None


def test_progress_fraction_prefers_bytes_then_items():
    assert JobProgress(items_done=1, items_total=4, bytes_done=3, bytes_total=4).fraction == 0.75
    assert JobProgress(items_done=1, items_total=4).fraction == 0.25
    assert JobProgress(items_done=5).fraction is None
    assert JobProgress(bytes_done=9, bytes_total=4).fraction == 1.0
