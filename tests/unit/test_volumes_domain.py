"""Days until the data disk is full, and the mean bytes of one capture slot."""

import math

import pytest

from eyepi_gui.domain.volumes import (
    CameraForecast,
    StorageForecast,
    Volume,
    bytes_per_capture,
    days_until_full,
)

MB = 10**6


def test_days_until_full_is_the_room_above_the_floor_over_the_summed_rate():
    assert days_until_full(1100 * MB, 100 * MB, {"a": 300 * MB, "b": 200 * MB}) == 2.0


def test_nothing_capturing_gives_no_forecast():
    assert days_until_full(10 * MB, 0, {}) is None
    assert days_until_full(10 * MB, 0, {"a": 0.0}) is None


def test_at_or_below_the_floor_it_is_full_now():
    assert days_until_full(100 * MB, 100 * MB, {"a": MB}) == 0.0
    assert days_until_full(50 * MB, 100 * MB, {"a": MB}) == 0.0


def test_a_negative_rate_is_a_programming_error():
    with pytest.raises(ValueError, match="negative"):
        days_until_full(MB, 0, {"a": -1.0})


def test_one_slot_in_two_formats_is_one_capture():
    files = [(200.0, 3 * MB), (200.0, 1 * MB), (100.0, 2 * MB), (100.0, 2 * MB)]
    assert bytes_per_capture(files, complete=True) == 4 * MB


def test_a_cut_list_leaves_out_its_oldest_slot_which_may_have_lost_a_file():
    files = [(200.0, 3 * MB), (200.0, 1 * MB), (100.0, 1 * MB)]
    assert bytes_per_capture(files, complete=False) == 4 * MB
    assert bytes_per_capture([(100.0, MB)], complete=False) == MB  # the only one stays


def test_no_files_no_size():
    assert bytes_per_capture([], complete=True) is None


def test_a_camera_share_is_slots_times_bytes_unless_it_keeps_only_the_latest():
    assert CameraForecast("a", 288, 2 * MB).bytes_per_day == 576 * MB
    assert CameraForecast("a", 288, 2 * MB, keeps_all=False).bytes_per_day == 0.0
    assert CameraForecast("a", 288, None).bytes_per_day is None
    assert CameraForecast("a", 0, None).bytes_per_day == 0.0


def test_a_forecast_sums_the_measured_cameras():
    cameras = (CameraForecast("a", 10, MB), CameraForecast("b", 10, None))
    forecast = StorageForecast(
        free=MB, total=2 * MB, floor=0, cameras=cameras, days_until_full=None
    )
    assert math.isclose(forecast.bytes_per_day, 10 * MB)


def test_a_volume_without_medium():
    assert not Volume("/dev/sda", "sda", 0).has_medium
    assert Volume("/dev/sda", "sda", 1).has_medium
