"""One station per home directory: an advisory lock on ``<home>/eyepi.lock``."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from eyepi_gui.errors import AlreadyRunning


class InstanceLock:
    """Held for the life of the process; the kernel releases it if the process dies."""

    def __init__(self, home: Path) -> None:
        self.path = home / "eyepi.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as err:
            owner = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(
                f"another eyepi station (pid {owner}) is already running on {self.path.parent}"
            ) from err
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
