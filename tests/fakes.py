"""Small honest fakes implementing ports, for tests."""

import threading


class FakeClock:
    """A clock that only moves when told: ``wait`` advances time instead of sleeping."""

    def __init__(self, start: float) -> None:
        self.t = start
        self._lock = threading.Lock()

    def now(self) -> float:
        with self._lock:
            return self.t

    def set(self, t: float) -> None:
        with self._lock:
            self.t = t

    def wait(self, seconds: float) -> None:
        if seconds > 0:
            self.set(self.now() + seconds)

    def wake(self) -> None:
        pass


class FakeVolume:
    """A disk whose free space the test sets (bytes)."""

    def __init__(self, free: int = 10 * 2**30, total: int = 32 * 2**30) -> None:
        self.free = free
        self.total = total

    def free_bytes(self, path) -> int:
        return self.free

    def total_bytes(self, path) -> int:
        return self.total
