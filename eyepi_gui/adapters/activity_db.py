"""When the station and each camera ran, in state.db's ``activity`` table (migration 3):
implements ``ActivityLog`` on the connection of the ``StateDB``.

One row per run: (subject, started_at) is its key and ``seen_at`` its last heartbeat, so a
run cut short by a crash or a power cut ends where it was last seen."""

from __future__ import annotations

from collections.abc import Sequence

from eyepi_gui.adapters.db import QUEUED_WAIT_S, StateDB
from eyepi_gui.domain.health import RunSpan
from eyepi_gui.ports import RunBeat

_UPSERT = (
    "INSERT INTO activity (subject, started_at, seen_at) VALUES (?, ?, ?)"
    " ON CONFLICT (subject, started_at) DO UPDATE SET seen_at = MAX(seen_at, excluded.seen_at)"
)


class ActivityDB:
    def __init__(self, db: StateDB) -> None:
        self._db = db

    def record(self, beats: Sequence[RunBeat]) -> None:
        """Waits only ``QUEUED_WAIT_S``: the caller queues the write while the database is busy."""
        with self._db.transaction(wait_s=QUEUED_WAIT_S) as conn:
            conn.executemany(_UPSERT, beats)

    def spans(self, since: float, until: float) -> dict[str, list[RunSpan]]:
        rows = self._db.fetch(
            "SELECT subject, started_at, seen_at FROM activity"
            " WHERE seen_at >= ? AND started_at < ? ORDER BY started_at",
            (since, until),
        )
        found: dict[str, list[RunSpan]] = {}
        for subject, started, seen in rows:
            found.setdefault(str(subject), []).append(RunSpan(float(started), float(seen)))
        return found
