"""A QR code drawn for a screen: whole pixels per module, so a phone camera reads it from a
photo of the display."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage, QPainter


def qr_image(text: str, side_px: int) -> QImage:
    """The QR code of ``text`` at most ``side_px`` square: whole pixels per module (crisp),
    black on white, quiet zone included."""
    from eyepi_gui.domain.qr import qr_matrix  # segno loads when a code is first drawn

    matrix = qr_matrix(text)
    module = max(1, side_px // matrix.size)
    image = QImage(matrix.size * module, matrix.size * module, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    for y, row in enumerate(matrix.rows):
        for x, dark in enumerate(row):
            if dark:
                painter.fillRect(x * module, y * module, module, module, QColor("black"))
    painter.end()
    return image
