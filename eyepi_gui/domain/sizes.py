"""Sizes for people, in binary units, rounded so that figures shown side by side never
contradict what they explain: what is free rounds down, what a write needs rounds up."""

from __future__ import annotations

import math

KIB = 2**10
MIB = 2**20
GIB = 2**30


def mib(size: int, *, up: bool = False) -> str:
    """``size`` bytes in MiB to one decimal ("1,234.5 MiB"; "500 MiB" when whole), rounded
    down (up for what a write needs), so a refusal never reads "10 MiB free, 10 MiB must stay
    free"."""
    value = _tenths(size / MIB, up)
    return f"{value:,.0f} MiB" if value.is_integer() else f"{value:,.1f} MiB"


def size_text(size: int, *, up: bool = False) -> str:
    """``size`` bytes in the unit that fits: bytes below 1 KiB, whole KiB below 1 MiB
    ("96 KiB"), MiB below 1 GiB (``mib``), else GiB to one decimal ("75.2 GiB"), rounded
    like ``mib``."""
    if size < KIB:
        return f"{size:,} bytes"
    if size < MIB:
        kib = -(-size // KIB) if up else size // KIB
        return f"{kib:,} KiB"
    return mib(size, up=up) if size < GIB else f"{_tenths(size / GIB, up):,.1f} GiB"


def _tenths(value: float, up: bool) -> float:
    tenths = value * 10
    return (math.ceil(tenths) if up else math.floor(tenths)) / 10
