"""The garbage collector held off while the station starts.

Start-up builds a few hundred thousand long-lived objects (modules, classes, settings models,
Qt wrappers) and almost no garbage, yet the collector would traverse them over and over as they
are made: about a tenth of the time to the kiosk's first paint on a Pi-class machine
(``tests/bench/test_startup.py``). So the kiosk path holds collection from before the station
opens until the window is painted, then freezes what start-up built (``gc.freeze``: those
objects are never traversed again, so later full collections pause the GUI for less) and lets
the collector run as usual.
"""

from __future__ import annotations

import gc


class CollectionHold:
    """``CollectionHold.start()`` holds collection (unless it was already off, which stays
    the caller's); ``end()`` freezes start-up's objects and collects as before. Ending twice,
    or from another thread than the one that started, is harmless."""

    def __init__(self, held: bool) -> None:
        self._held = held

    @classmethod
    def start(cls) -> CollectionHold:
        held = gc.isenabled()
        gc.disable()
        return cls(held)

    @property
    def held(self) -> bool:
        return self._held

    def end(self) -> None:
        if self._held:
            self._held = False
            gc.freeze()
            gc.enable()
