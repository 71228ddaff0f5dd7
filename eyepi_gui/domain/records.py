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


QUERY_MAX = 500
"""The most records one query returns."""


@dataclass(frozen=True)
class CaptureQuery:
    """Which kept images to list: one camera or all, taken in [``since``, ``until``) (epoch
    s), newest first, at most ``limit``; ``before_id`` continues a previous page."""

    camera_id: str | None = None
    since: float | None = None
    until: float | None = None
    limit: int = 100
    before_id: int | None = None
