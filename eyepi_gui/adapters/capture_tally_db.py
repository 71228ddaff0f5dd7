"""The capture index counted for the health chart: implements ``CaptureTally`` with one
query per camera, whatever the interval (a 24 h chart of 5 s captures is 17,280 slots)."""

from __future__ import annotations

from eyepi_gui.adapters.db import StateDB

LATE_S = 600.0
"""How long after its slot a capture may have been taken (the capture timeout is shorter):
bounds the range read on the (camera_id, taken_at) index."""
_LATEST = -1  # the row of the union that carries the latest capture's time

_PER_HOUR = f"""
    SELECT CAST((scheduled_at - ?1) / 3600 AS INTEGER) AS hour, COUNT(DISTINCT scheduled_at)
    FROM captures
    WHERE camera_id = ?3 AND scheduled_at >= ?1 AND scheduled_at < ?2
          AND taken_at >= ?1 AND taken_at < ?2 + {LATE_S}
    GROUP BY hour
    UNION ALL
    SELECT {_LATEST}, MAX(taken_at) FROM captures WHERE camera_id = ?3
"""  # noqa: S608 (constants only)


class CaptureTallyDB:
    def __init__(self, db: StateDB) -> None:
        self._db = db

    def per_hour(self, camera_id: str, start: float, hours: int) -> tuple[list[int], float | None]:
        """Scheduled captures (not test shots) per hour by their slot, one per slot, and the
        latest capture's time (test shots too), in one statement."""
        args = (start, start + hours * 3600, camera_id)
        counts, latest = [0] * hours, None
        for hour, value in self._db.fetch(_PER_HOUR, args):
            if hour == _LATEST:
                latest = None if value is None else float(value)
            elif 0 <= hour < hours:
                counts[hour] = int(value)
        return counts, latest
