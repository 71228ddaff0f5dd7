"""JPEG encoding of live frames for the MJPEG stream (pure image maths: no I/O)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import cv2

if TYPE_CHECKING:
    from eyepi_gui.domain.frame import Frame

LIVE_QUALITY = 80
"""JPEG quality of streamed live frames: about 1 bit per pixel for a 720p field scene."""


def encode_rgb(image: Frame, quality: int = LIVE_QUALITY) -> bytes:
    """``image`` (RGB, uint8) as JPEG bytes."""
    bgr = cv2.cvtColor(image, cv2.COLOR_RGB2BGR)
    ok, buffer = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, quality])
    if not ok:
        raise ValueError("OpenCV could not encode the frame as JPEG")
    return bytes(buffer)
