"""The ``[security]`` section: password hashing and the kiosk's lock, and the stronger value
each key falls back to when station.toml does not say it clearly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict

from eyepi_gui.settings.values import Flag, Number

MIN_AUTO_LOCK_S = 30


def _lock_after(seconds: int) -> int:
    if 0 < seconds < MIN_AUTO_LOCK_S:
        raise ValueError(f"use 0 (never lock) or {MIN_AUTO_LOCK_S} to 86400 seconds")
    return seconds


class SecuritySettings(BaseModel):
    """Logins: bcrypt work factor (10-16), kiosk auto-lock after idle seconds (0 = never)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    bcrypt_cost: Annotated[int, Number(10, 16, whole=True)] = 12
    auto_lock_s: Annotated[
        int,
        Number(0, 86400, f"seconds; 0 = never, else at least {MIN_AUTO_LOCK_S}", whole=True),
        AfterValidator(_lock_after),
    ] = 300
    viewer_when_locked: Flag = False


def _shortest_lock(last_good: int, default: int) -> int:
    return min(seconds for seconds in (last_good, default) if seconds > 0)


CLOSED: dict[str, Callable[[Any, Any], Any]] = {
    "bcrypt_cost": max,
    "auto_lock_s": _shortest_lock,
    "viewer_when_locked": lambda *_: False,
}
"""What a ``[security]`` key becomes when station.toml does not say it clearly, from (last
good, default); never weaker than either: the higher bcrypt cost, the shorter auto-lock
that does lock (never 0), and a locked kiosk that shows nothing."""
