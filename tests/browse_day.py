"""A day of kept images for the capture browser's tests: real JPEG files under the home's
``images/`` and their rows in the station's capture index (as the capture writer leaves
them), one every ``step_s`` seconds from ``start``."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.station import Station


@dataclass(frozen=True)
class FilledDay:
    ids: list[int]
    paths: list[Path]


def jpeg(index: int, width: int = 64, height: int = 48) -> bytes:
    """A small JPEG that differs per ``index`` (a gradient shifted by it)."""
    ramp = np.linspace(0, 255, width, dtype=np.uint8)
    pixels = np.empty((height, width, 3), np.uint8)
    pixels[:] = np.roll(ramp, index % width)[None, :, None]
    pixels[: height // 4, :, 2] = (index * 37) % 256
    ok, data = cv2.imencode(".jpg", pixels, [cv2.IMWRITE_JPEG_QUALITY, 85])
    assert ok
    return bytes(data)


def fill_day(
    station: Station,
    camera_id: str,
    start: float,
    count: int,
    *,
    step_s: float = 60.0,
    scores: list[float | None] | None = None,
    size: tuple[int, int] = (64, 48),
    payload_bytes: int = 0,
) -> FilledDay:
    """``count`` images of ``camera_id`` from ``start`` (epoch s); ``scores`` their focus
    scores (None: unscored). A small JPEG is written under each name, or ``payload_bytes``
    random bytes when given (for the size of a download, not for thumbnails)."""
    images = station.home / "images" / camera_id / f"browse-{int(start)}"
    images.mkdir(parents=True, exist_ok=True)
    index = station.services.captures._index  # the station's own CapturesDB
    ids, paths = [], []
    data = {n: jpeg(n, *size) for n in range(min(count, 16))}
    for n in range(count):
        path = images / f"{camera_id}-{n:05d}.jpg"
        body = os.urandom(payload_bytes) if payload_bytes else data[n % len(data)]
        path.write_bytes(body)
        score = scores[n] if scores is not None else None
        record = CaptureRecord(
            camera_id=camera_id,
            path=str(path),
            scheduled_at=start + n * step_s,
            taken_at=start + n * step_s,
            size=len(body),
            sha256=hashlib.sha256(body).hexdigest(),
            focus_score=score,
        )
        ids.append(index.add(record))
        paths.append(path)
    return FilledDay(ids, paths)
