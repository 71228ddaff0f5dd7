"""state.db as the running station holds it: a bad or busy database never stops capture.

``open`` tries ``open_station_db`` once, waiting ``FIRST_WAIT_S`` for another process. When
that fails (a process holds the file with ``locking_mode=EXCLUSIVE``, a directory in its place
cannot be moved aside, a disk error, a newer eyepi's schema: left as it is) the station starts
anyway on an unopened ``StateDB``: every call on it raises ``Unavailable`` (logins answer busy;
audit entries and capture-index rows wait in ``services.deferred_writes``), the problem is
reported, and a thread tries again every ``RETRY_S``. Once it is open, the waiting writes go in
on their own and the actions given to ``when_open`` run (the capture index check).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from eyepi_gui.adapters.db import BUSY, StateDB
from eyepi_gui.adapters.db_schema import NewerSchema
from eyepi_gui.adapters.state_file import open_station_db
from eyepi_gui.errors import EyepiError, Unavailable
from eyepi_gui.ports import Clock

_log = logging.getLogger("eyepi.state")
FIRST_WAIT_S = 2.0
"""How long start-up waits for another process that holds state.db before going on without."""
RETRY_S = 10.0
"""Seconds between attempts to open state.db while the station runs without it."""
RETRY_WAIT_S = 1.0
LOG_EVERY = 6
"""Attempts per log line while state.db stays unopened (one a minute)."""


class StationDatabase:
    """Thread-safe. ``db`` is the StateDB every adapter uses, opened now or later."""

    def __init__(self, home: Path, clock: Clock) -> None:
        self.db = StateDB(home / "state.db", connect=False)
        self._home, self._clock, self._retry_s = home, clock, RETRY_S
        self._lock = threading.Lock()
        self._open = False
        self._found: str | None = None
        self._failure: str | None = None
        self._waiting: list[Callable[[], object]] = []
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._since = time.monotonic()

    def open(self) -> StateDB:
        """Try once; when that fails, go on trying in the background. Returns ``db``."""
        if not self._attempt(FIRST_WAIT_S, log=True):
            self._thread = threading.Thread(target=self._retry, name="state-db-open", daemon=True)
            self._thread.start()
        return self.db

    def problem(self) -> str | None:
        """Why state.db cannot be used now, or what was found wrong when it was opened (see
        ``state_file``), as sentences; else None."""
        with self._lock:
            return self._failure or self._found

    def when_open(self, action: Callable[[], object]) -> None:
        """Run ``action`` now when state.db is open, else on the opening thread once it is."""
        with self._lock:
            if not self._open:
                self._waiting.append(action)
                return
        _run(action)

    def close(self, timeout: float = 5.0) -> None:
        """Stop trying (waits up to ``timeout`` s for an attempt under way) and close."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)
        self.db.close()

    def _retry(self) -> None:
        attempt = 0
        while not self._stop.wait(self._retry_s):
            attempt += 1
            try:
                if self._attempt(RETRY_WAIT_S, log=attempt % LOG_EVERY == 0):
                    return
            except Exception:  # a background thread: say it in the log and try again
                _log.exception("opening state.db failed", extra={"event": "state_db_failed"})

    def _attempt(self, wait_s: float, *, log: bool) -> bool:
        """One try to open state.db; True once it is open. The first failure is logged, later
        ones when ``log`` is true."""
        try:
            opened = open_station_db(self._home, self._clock.now(), wait_s)
        except EyepiError as err:
            self._failed(err, log)
            return False
        self.db.attach(opened.db)
        with self._lock:
            self._open, self._failure, self._found = True, None, opened.problem
            actions, self._waiting = self._waiting, []
        if self._thread is not None:
            waited = time.monotonic() - self._since
            _log.info(
                "state.db opened after %.0f s; waiting records are stored now",
                waited,
                extra={"event": "state_db_opened"},
            )
        if opened.problem:
            _log.error(opened.problem, extra={"event": "state_db_recreated"})
        for action in actions if not self._stop.is_set() else ():
            _run(action)
        return True

    def _failed(self, err: EyepiError, log: bool) -> None:
        every = f"tried again every {self._retry_s:g} s"
        if isinstance(err, Unavailable):
            why, failure = (
                BUSY,
                (
                    "The station's database (state.db) is held by another process: capture goes "
                    f"on; logins answer busy and records wait until it is free ({every})."
                ),
            )
        elif isinstance(err, NewerSchema):  # not moved aside, not changed: tried again as is
            why, failure = (
                str(err),
                (
                    f"{err} Capture goes on and images are written; logins are refused and "
                    f"records wait until a state.db this eyepi knows is in place ({every})."
                ),
            )
        else:
            why = f"the station's database cannot be opened: {err}"
            failure = (
                f"The station's database (state.db) cannot be opened ({err}): capture goes "
                f"on; logins are refused and records wait until it can be ({every})."
            )
        self.db.unavailable_because(why)
        with self._lock:
            first, self._failure = self._failure is None, failure
        waited = time.monotonic() - self._since
        if first:
            _log.error(failure, extra={"event": "state_db_unavailable"})
        elif log:
            _log.error(
                "state.db still cannot be opened after %.0f s: %s",
                waited,
                err,
                extra={"event": "state_db_unavailable"},
            )


def _run(action: Callable[[], object]) -> None:
    try:
        action()
    except EyepiError as err:
        _log.warning("after opening state.db: %s", err, extra={"event": "state_db_action"})
