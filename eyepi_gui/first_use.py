"""A stand-in for an object that is built the first time it is used.

The station's network, drive and storage parts import jeepney, subprocess and a dozen modules
of their own that the kiosk's first paint does not need (tests/bench/test_startup.py); the
station hands out stand-ins for them instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


class OnFirstUse:
    """Stands for the object ``build`` makes, built (once, thread-safe) when an attribute of
    it is first asked for."""

    def __init__(self, build: Callable[[], object]) -> None:
        self._build, self._lock = build, threading.Lock()
        self._built: object | None = None

    def __getattr__(self, name: str) -> Any:
        with self._lock:
            if self._built is None:
                self._built = self._build()
        return getattr(self._built, name)


def was_built(thing: object) -> bool:
    """False for a stand-in whose object was never built (there is nothing to stop)."""
    return not isinstance(thing, OnFirstUse) or thing._built is not None
