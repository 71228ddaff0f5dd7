"""How hard the benchmarks run, read the same way by every one of them.

``EYEPI_BENCH=full``: full sizes, and each benchmark asserts its goal. ``EYEPI_BENCH=quick``, or
unset (CI, a shared machine): small sizes, figures printed, no timing ever fails a run. Any other
value is a typo that would silently run the wrong mode, so it stops the run instead.
"""

from __future__ import annotations

import os

MODES = ("quick", "full")


def full_mode() -> bool:
    """True when ``EYEPI_BENCH=full``; ``ValueError`` naming the variable for any value not in
    MODES."""
    mode = os.environ.get("EYEPI_BENCH", "quick")
    if mode not in MODES:
        raise ValueError(f"EYEPI_BENCH={mode!r}: use one of {', '.join(MODES)}")
    return mode == "full"
