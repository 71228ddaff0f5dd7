"""Thumbnails as small JPEG files under ``<home>/cache/thumbnails``, made with OpenCV
(``thumbnail_maths``, imported on the first thumbnail made: the station opens without cv2).

Implements ``Thumbnails``. A thumbnail is written once (temp name + rename: readers never see
a part) and named by its key, which the service derives from the capture's id and its file's
size and mtime: an image replaced under the same id gets a new key, the old file is left for
``prune`` (never needed for correctness). The cache is disposable: deleting the folder only
costs the time to make the thumbnails again.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

from eyepi_gui.adapters.store import atomic_write, read_regular
from eyepi_gui.errors import StorageError

_KEY = re.compile(r"[A-Za-z0-9_.-]{1,100}")
MAX_THUMBNAIL_BYTES = 4 * 1024 * 1024


class ThumbnailFolder:
    """The cache folder (made 0700 on first write) and the OpenCV maths."""

    def __init__(self, home: Path) -> None:
        self.folder = home / "cache" / "thumbnails"

    def cached(self, key: str) -> bytes | None:
        try:
            return read_regular(self._path(key), MAX_THUMBNAIL_BYTES, follow=False)
        except StorageError:
            return None  # something odd in the cache: make the thumbnail again over it

    def make(self, key: str, image: bytes, longest_px: int) -> bytes:
        from eyepi_gui.adapters.thumbnail_maths import scaled_jpeg  # OpenCV: after first paint

        data = scaled_jpeg(image, longest_px)
        path = self._path(key)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"could not create cache/thumbnails: {err.strerror}") from err
        atomic_write(path, data, durable=False, shown=f"cache/thumbnails/{key}")
        return data

    def prune(self, record_ids: set[int]) -> int:
        """Delete the thumbnails of the captures ``record_ids`` (every size and version);
        returns how many went. A cache that cannot be read is left as it is."""
        try:
            names = [entry.name for entry in os.scandir(self.folder)]
        except OSError:
            return 0
        gone = 0
        for name in names:
            head = name.partition("-")[0]
            if head.isdigit() and int(head) in record_ids:
                with contextlib.suppress(OSError):
                    (self.folder / name).unlink()
                    gone += 1
        return gone

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key) or key.startswith("."):
            raise ValueError(f"not a thumbnail key: {key!r}")
        return self.folder / key
