"""QR codes of the station's address, made once here for both frontends: the kiosk paints the
module grid, the web page embeds the SVG. Pure (segno, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass

import segno

QUIET_MODULES = 4
"""The light margin the QR standard asks for around the code (modules)."""
SVG_SCALE = 6
"""Pixels per module on the web page: whole pixels keep the edges crisp."""


@dataclass(frozen=True)
class QrMatrix:
    """The code's modules row by row, the quiet zone included: True is dark."""

    rows: tuple[tuple[bool, ...], ...]

    @property
    def size(self) -> int:
        """Modules per side, quiet zone included."""
        return len(self.rows)


def _code(text: str) -> segno.QRCode:
    return segno.make_qr(text, error="m")


def qr_matrix(text: str) -> QrMatrix:
    """The QR code of ``text`` (error correction M or better) as a module grid."""
    rows = _code(text).matrix_iter(scale=1, border=QUIET_MODULES)
    return QrMatrix(tuple(tuple(bool(module) for module in row) for row in rows))


def qr_svg(text: str, scale: int = SVG_SCALE) -> str:
    """The QR code of ``text`` as an inline ``<svg>`` element, black on white with its quiet
    zone. It holds only the modules' geometry, never ``text`` itself, so nothing in it needs
    escaping."""
    return str(
        _code(text).svg_inline(
            scale=scale, border=QUIET_MODULES, dark="#000", light="#fff", svgclass="qr"
        )
    )
