"""Small private files in the station's home (0600, written atomically): the network
change waiting for confirmation, the hotspot's passphrase."""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

from eyepi_gui.adapters.store import PRIVATE, atomic_write, fsync_dir, read_regular
from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import StorageError

MAX_BYTES = 64 * 1024
"""The most such a file may hold (bytes); each is a few hundred."""


class PrivateTextFile:
    """Implements ports.PrivateFile on one path: written 0600; a file found with looser
    bits (copied in by hand) is made 0600 again when read. A symbolic link in its place is
    never followed: reading it is refused (StorageError), so its target is neither read
    (as a passphrase shown to operators) nor made 0600, and writing replaces the link."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> str | None:
        data = read_regular(self.path, MAX_BYTES, follow=False)
        if data is None:
            return None
        with contextlib.suppress(OSError):
            _tighten(self.path)
        return data.decode("utf-8", "replace")

    def write(self, text: str) -> None:
        atomic_write(self.path, text.encode(), mode=PRIVATE)  # a umask only takes bits away

    def remove(self) -> None:
        try:
            self.path.unlink()
            fsync_dir(self.path.parent)
        except FileNotFoundError:
            return
        except OSError as err:
            raise StorageError(f"could not remove {self.path.name}: {error_reason(err)}") from err


def _tighten(path: Path) -> None:
    """Make the regular file at ``path`` 0600, through a descriptor opened without
    following a symbolic link (a link swapped in meanwhile fails the open)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            os.fchmod(fd, PRIVATE)
    finally:
        os.close(fd)
