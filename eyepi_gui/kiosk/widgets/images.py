"""Image decoding for thumbnails; runs on TaskRunner threads, so it touches QImage only."""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage, QImageReader


def load_scaled(open_image: Callable[[], BinaryIO], width: int, height: int) -> QImage:
    """Read the image ``open_image`` opens (the service's reader: it never blocks on what
    is not a regular file) and decode it scaled to fit ``width`` x ``height`` px, keeping
    its aspect ratio. Raises what ``open_image`` raises, or OSError when it cannot be
    read or decoded."""
    with open_image() as image_file:
        data = QByteArray(image_file.read())
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)
    size = reader.size()
    if size.isValid():
        reader.setScaledSize(size.scaled(width, height, Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    if image.isNull():
        raise OSError(f"cannot show the latest image: {reader.errorString()}")
    return image
