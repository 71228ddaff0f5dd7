"""Thumbnails of kept images: made once from the file, then served from the cache.

The cache key is the capture's id with its file's size and mtime (``<id>-<size>-<mtime
ns>-<px>.jpg``): a file replaced under the same id is never shown with a stale thumbnail.
Making one decodes a whole image: callers run it off the GUI thread (the kiosk's TaskRunner,
the web server's request threads).
"""

from __future__ import annotations

import os

from eyepi_gui.errors import InvalidInput
from eyepi_gui.ports import Thumbnails
from eyepi_gui.services.access import reads
from eyepi_gui.services.captures import CaptureLibrary

SIZES_PX = (160, 320)
"""The sizes made: 160 px for the kiosk's day grid and the web grid, 320 px for large screens."""
MAX_IMAGE_BYTES = 256 * 1024 * 1024
"""A larger file is not decoded for a thumbnail (a RAW can be large; none is this large)."""


class ThumbnailService:
    def __init__(self, library: CaptureLibrary, store: Thumbnails) -> None:
        self._library, self._store = library, store

    @reads
    def thumbnail(self, record_id: int, size_px: int = SIZES_PX[0]) -> bytes:
        """A JPEG of kept image ``record_id`` at most ``size_px`` on its longer side. Raises
        ``InvalidInput`` naming ``size`` for a size not in ``SIZES_PX``, ``NotFound`` for an
        unknown image or a file gone, ``Unavailable`` for a file that cannot be decoded."""
        if size_px not in SIZES_PX:
            raise InvalidInput("size", f"give one of {', '.join(map(str, SIZES_PX))}")
        _record, opened = self._library.open_file(record_id)
        with opened:
            info = os.fstat(opened.fileno())
            key = f"{record_id}-{info.st_size}-{info.st_mtime_ns}-{size_px}.jpg"
            if (cached := self._store.cached(key)) is not None:
                return cached
            data = opened.read(MAX_IMAGE_BYTES)
        return self._store.make(key, data, size_px)
