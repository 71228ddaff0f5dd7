"""Failure counting in sliding windows, with explicit times."""

from eyepi_gui.domain.login_limits import ACCOUNT_LIMITS, FailureCounter, Limit


def test_the_third_failure_in_a_minute_blocks_until_the_first_leaves_the_window():
    counter = FailureCounter(ACCOUNT_LIMITS)
    for t in (0, 10, 20):
        assert counter.wait_s("k", t) == 0
        counter.add("k", t)
    assert counter.wait_s("k", 30) == 30
    assert counter.wait_s("k", 60) == 0


def test_keys_are_independent_and_clear_resets_one():
    counter = FailureCounter([Limit(1, 60)])
    counter.add("a", 0)
    assert counter.wait_s("a", 1) == 59 and counter.wait_s("b", 1) == 0
    counter.clear("a")
    assert counter.wait_s("a", 1) == 0


def test_memory_stays_bounded_under_many_keys():
    counter = FailureCounter([Limit(1, 60)], max_keys=100)
    for i in range(10_000):
        counter.add(f"user{i}", i * 0.001)
    assert len(counter._failures) <= 100
    assert counter.wait_s("user9999", 10) > 0
