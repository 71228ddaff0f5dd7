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


_WIFI_SPECIAL = frozenset('\\;,":')
"""Characters the Wi-Fi QR format (ZXing's ``WIFI:`` URI) takes only after a backslash."""


def wifi_escape(text: str) -> str:
    """``text`` for a field of a ``WIFI:`` code: ``\\ ; , " :`` each after a backslash."""
    return "".join(f"\\{c}" if c in _WIFI_SPECIAL else c for c in text)


def wifi_qr_text(ssid: str, passphrase: str, *, hidden: bool = False) -> str:
    """What a phone scans to join a network: ``WIFI:T:WPA;S:<ssid>;P:<passphrase>;;``
    (``T:nopass`` and no ``P`` without a passphrase; ``H:true`` for a hidden one)."""
    kind = (
        f"T:WPA;S:{wifi_escape(ssid)};P:{wifi_escape(passphrase)};"
        if passphrase
        else (f"T:nopass;S:{wifi_escape(ssid)};")
    )
    return f"WIFI:{kind}{'H:true;' if hidden else ''};"
