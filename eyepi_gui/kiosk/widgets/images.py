"""Image decoding for thumbnails; runs on TaskRunner threads, so it touches QImage only."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QImageReader


def load_scaled(path: Path, width: int, height: int) -> QImage:
    """Decode ``path`` scaled to fit ``width`` x ``height`` px, keeping its aspect ratio.
    Raises OSError when the file cannot be read or decoded."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        raise OSError(f"cannot show {path.name}: {reader.errorString()}")
    return image
