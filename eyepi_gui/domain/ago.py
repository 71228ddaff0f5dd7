"""How long ago something happened, in the words both frontends use ("12 min ago")."""

from __future__ import annotations

MINUTE, HOUR, DAY = 60, 3600, 86400


def ago_text(then: float | None, now: float) -> str:
    """``now - then`` (epoch s) rounded down to its largest unit: "just now" under a
    second (or when ``then`` lies ahead: the clock moved back), "42 s ago", "12 min ago",
    "5 h ago", "1 day ago", "3 days ago"; "never" for None."""
    if then is None:
        return "never"
    seconds = now - then
    if seconds < 1:
        return "just now"
    if seconds < MINUTE:
        return f"{int(seconds)} s ago"
    if seconds < HOUR:
        return f"{int(seconds // MINUTE)} min ago"
    if seconds < DAY:
        return f"{int(seconds // HOUR)} h ago"
    days = int(seconds // DAY)
    return "1 day ago" if days == 1 else f"{days} days ago"
