"""Records the station keeps about captures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CaptureRecord:
    """One kept image file: times are epoch seconds, size in bytes, sha256 hex digest."""

    camera_id: str
    path: str
    scheduled_at: float | None
    taken_at: float
    size: int
    sha256: str
    focus_score: float | None = None
    record_id: int | None = None
