"""A thumbnail's pixels: decode (reduced where libjpeg can), scale, encode, with OpenCV.

Its own module so that importing the thumbnail cache loads no OpenCV: the station opens, and
the kiosk paints, before cv2 and numpy are imported (tests/bench/test_startup.py)."""

from __future__ import annotations

import cv2
import numpy as np

from eyepi_gui.errors import Unavailable

QUALITY = 80
_REDUCED = (
    (8, cv2.IMREAD_REDUCED_COLOR_8),
    (4, cv2.IMREAD_REDUCED_COLOR_4),
    (2, cv2.IMREAD_REDUCED_COLOR_2),
)


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
