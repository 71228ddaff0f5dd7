"""Waiting in tests for what another thread or process does."""

import time


def eventually(check, timeout=5.0, every=0.02):
    """``check()``'s first truthy answer within ``timeout`` seconds; fails the test if none."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, "not within the time"
        time.sleep(every)
    return found
