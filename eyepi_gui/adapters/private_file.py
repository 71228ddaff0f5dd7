"""Small private files in the station's home (0600, written atomically): the network
change waiting for confirmation, the hotspot's passphrase."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from eyepi_gui.adapters.store import PRIVATE, atomic_write, fsync_dir, read_regular
from eyepi_gui.domain.messages import error_reason
from eyepi_gui.errors import StorageError

MAX_BYTES = 64 * 1024
"""The most such a file may hold (bytes); each is a few hundred."""


class PrivateTextFile:
    """Implements ports.PrivateFile on one path: written 0600; a file found with looser
    bits (copied in by hand) is made 0600 again when read."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def read(self) -> str | None:
        data = read_regular(self.path, MAX_BYTES)
        if data is None:
            return None
        with contextlib.suppress(OSError):
            if os.stat(self.path).st_mode & 0o077:
                os.chmod(self.path, PRIVATE)
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
