"""Deferred writes: stored at once when the database lets them, else queued in order, retried,
bounded, flushed at stop; what is given up is logged and counted, never silently dropped."""

import logging
import threading
import time

import pytest

from eyepi_gui.errors import StorageError, Unavailable
from eyepi_gui.services.deferred_writes import DeferredWrites
from tests.waiting import eventually


class Table:
    """A table that refuses writes (``Unavailable``) while ``busy`` is set."""

    def __init__(self):
        self.rows, self.busy = [], threading.Event()

    def insert(self, value):
        if self.busy.is_set():
            raise Unavailable("the station's database is busy, try again")
        self.rows.append(value)
        return len(self.rows)


@pytest.fixture
def table():
    return Table()


@pytest.fixture
def writes():
    writes = DeferredWrites(retry_s=0.02, capacity=5)
    yield writes
    writes.close(1.0)


def test_a_write_the_database_takes_is_stored_at_once(writes, table):
    assert writes.submit("row a", lambda: table.insert("a")) == 1
    assert table.rows == ["a"] and writes.pending == 0 and writes.problem() is None


def test_busy_writes_wait_in_order_and_are_stored_when_it_is_free(writes, table):
    table.busy.set()
    for value in "abc":
        assert writes.submit(f"row {value}", lambda v=value: table.insert(v)) is None
    assert writes.pending == 3
    assert "3 record(s) wait" in writes.problem()
    time.sleep(0.1)
    assert table.rows == []
    table.busy.clear()
    writes.submit("row d", lambda: table.insert("d"))  # behind the queue, not before it
    eventually(lambda: writes.pending == 0)
    assert table.rows == ["a", "b", "c", "d"]
    assert writes.problem() is None


def test_a_refusing_disk_is_retried_like_a_busy_database(writes, table):
    attempts = []

    def flaky():
        attempts.append(1)
        if len(attempts) < 3:
            raise StorageError("disk full")
        table.insert("x")

    writes.submit("row x", flaky)
    eventually(lambda: table.rows == ["x"])
    assert len(attempts) == 3


def test_more_than_the_capacity_gives_up_the_oldest_and_says_so(writes, table, caplog):
    table.busy.set()
    for n in range(7):
        writes.submit(f"row {n}", lambda n=n: table.insert(n))
    assert writes.pending == 5 and writes.lost == 2
    lost = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert [m.rsplit(": ", 1)[-1] for m in lost] == ["row 0", "row 1"]
    assert "2 record(s) could not be stored" in writes.problem()
    table.busy.clear()
    eventually(lambda: writes.pending == 0)
    assert table.rows == [2, 3, 4, 5, 6]


def test_close_flushes_within_its_wait(table):
    writes = DeferredWrites(retry_s=0.02)
    table.busy.set()
    writes.submit("row a", lambda: table.insert("a"))
    threading.Timer(0.2, table.busy.clear).start()
    assert writes.close(3.0) == 0
    assert table.rows == ["a"]


def test_close_gives_up_what_is_still_waiting_and_logs_it(table, caplog):
    writes = DeferredWrites(retry_s=0.02)
    table.busy.set()
    writes.submit("row a", lambda: table.insert("a"))
    start = time.monotonic()
    assert writes.close(0.2) == 1
    assert time.monotonic() - start < 1.0
    assert "row a" in caplog.text and writes.lost == 1
    writes.submit("row b", lambda: table.insert("b"))  # after close: tried once, not queued
    assert writes.pending == 0 and writes.lost == 2


def test_a_write_that_fails_for_another_reason_is_logged_and_not_retried(writes, table, caplog):
    table.busy.set()
    writes.submit("row a", lambda: table.insert("a"))
    writes.submit("bad row", lambda: 1 / 0)
    writes.submit("row c", lambda: table.insert("c"))
    table.busy.clear()
    eventually(lambda: writes.pending == 0)
    assert table.rows == ["a", "c"]
    assert writes.lost == 1 and "bad row" in caplog.text
