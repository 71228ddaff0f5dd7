"""Test-only jobs: kinds and work functions that count, wait and fail, for the job service,
the remote API and the kiosk tests. No product feature: the station has no such jobs."""

from __future__ import annotations

import threading
import time

from eyepi_gui.domain.access import Permission
from eyepi_gui.domain.jobs import JobKind
from eyepi_gui.errors import StorageError

COUNT = JobKind("count", Permission.EXPORT)
"""Operators and admins start and cancel it."""
TIDY = JobKind("tidy", Permission.STATION_SETTINGS)
"""Admins only."""
COPY = JobKind("copy", Permission.EXPORT, exclusive=True)
"""One per target at a time."""


def counting(items: int, item_bytes: int = 1000, pause_s: float = 0.0):
    """Work that does ``items`` items of ``item_bytes`` each, pausing ``pause_s`` after each
    (checking for cancel), and says how many it counted."""

    def work(ctx):
        ctx.set_totals(items=items, bytes=items * item_bytes)
        ctx.stage("counting")
        for _ in range(items):
            ctx.check()
            ctx.advance(items=1, bytes=item_bytes)
            if pause_s:
                ctx.wait(pause_s)
        return f"counted {items} items"

    return work


def until_cancelled(check_every_s: float = 0.05):
    """Work that runs until it is cancelled, checking every ``check_every_s``."""

    def work(ctx):
        ctx.stage("waiting")
        while True:
            ctx.check()
            time.sleep(check_every_s)

    return work


class Gate:
    """Work that waits until the test opens the gate (``open``), then returns "through";
    ``entered`` is set once the work runs."""

    def __init__(self) -> None:
        self.entered = threading.Event()
        self._open = threading.Event()

    def open(self) -> None:
        self._open.set()

    def __call__(self, ctx) -> str:
        self.entered.set()
        while not self._open.wait(0.02):
            ctx.check()
        return "through"


def failing(error: Exception):
    """Work that does one item, then raises ``error``."""

    def work(ctx):
        ctx.advance(items=1)
        raise error

    return work


DISK_FULL = StorageError("the stick is full: 12 MiB free, 40 MiB needed")
