"""Thumbnails as small JPEG files under ``<home>/cache/thumbnails``, made with OpenCV.

Implements ``Thumbnails``. A thumbnail is written once (temp name + rename: readers never see
a part) and named by its key, which the service derives from the capture's id and its file's
size and mtime: an image replaced under the same id gets a new key, the old file is left for
``prune`` (never needed for correctness). The cache is disposable: deleting the folder only
costs the time to make the thumbnails again.
"""

from __future__ import annotations

import re
from pathlib import Path

import cv2
import numpy as np

from eyepi_gui.adapters.store import atomic_write, read_regular
from eyepi_gui.errors import StorageError, Unavailable

QUALITY = 80
_KEY = re.compile(r"[A-Za-z0-9_.-]{1,100}")
MAX_THUMBNAIL_BYTES = 4 * 1024 * 1024
_REDUCED = (
    (8, cv2.IMREAD_REDUCED_COLOR_8),
    (4, cv2.IMREAD_REDUCED_COLOR_4),
    (2, cv2.IMREAD_REDUCED_COLOR_2),
)


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
        data = scaled_jpeg(image, longest_px)
        path = self._path(key)
        try:
            self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as err:
            raise StorageError(f"could not create cache/thumbnails: {err.strerror}") from err
        atomic_write(path, data, durable=False, shown=f"cache/thumbnails/{key}")
        return data

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key) or key.startswith("."):
            raise ValueError(f"not a thumbnail key: {key!r}")
        return self.folder / key


def scaled_jpeg(image: bytes, longest_px: int) -> bytes:
    """``image`` (any format OpenCV reads) as a JPEG at most ``longest_px`` on its longer side.
    Decodes at 1/2, 1/4 or 1/8 size when that still covers ``longest_px`` (libjpeg scales while
    decoding: a 12 MP JPEG decodes in a fraction of the time). Raises ``Unavailable``."""
    if not image:
        raise Unavailable("this image file is empty")
    try:
        return _scaled(np.frombuffer(image, dtype=np.uint8), longest_px)
    except cv2.error as err:
        raise Unavailable("this image cannot be decoded") from err


def _scaled(buffer: np.ndarray, longest_px: int) -> bytes:
    header = cv2.imdecode(buffer, cv2.IMREAD_REDUCED_GRAYSCALE_8)
    flag = cv2.IMREAD_COLOR
    if header is not None:
        longest_at_8 = max(header.shape[:2])
        flag = next(
            (mode for factor, mode in _REDUCED if longest_at_8 * 8 // factor >= longest_px), flag
        )
    pixels = cv2.imdecode(buffer, flag)
    if pixels is None:
        raise Unavailable("this image cannot be decoded")
    height, width = pixels.shape[:2]
    scale = min(1.0, longest_px / max(height, width))
    if scale < 1.0:
        size = (max(1, round(width * scale)), max(1, round(height * scale)))
        pixels = cv2.resize(pixels, size, interpolation=cv2.INTER_AREA)
    ok, encoded = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
    if not ok:
        raise Unavailable("the thumbnail could not be encoded")
    return bytes(encoded)
