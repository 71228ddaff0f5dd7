"""A support bundle's pure parts: the log pieces it holds, its file name, its README.

A bundle is a zip of plain files a tech can send to whoever looks after the station:
recent logs, station.toml without its secrets, the ``eyepi doctor`` report, capture health,
versions. Nothing secret is in it (``settings.redacted`` and ``services.bundle_files``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from eyepi_gui.domain.sizes import size_text

LOG_CAP = 20 * 2**20
"""Bytes of log in a bundle at most (newest first)."""
LOG_FOLDER = "logs"
STICK_FOLDER = "support"
"""Where bundles go on a stick, inside the export folder."""
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")


@dataclass(frozen=True)
class LogPiece:
    """Bytes [start, stop) of the log file ``name``; ``size`` is the whole file's;
    ``identity`` (st_dev, st_ino) finds the same file once rotated to another name."""

    name: str
    path: Path
    start: int
    stop: int
    size: int
    identity: tuple[int, int]

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.stop == self.size


@dataclass(frozen=True)
class LogPick:
    """What goes in (newest first) and what is left out: (name, size in bytes) each."""

    pieces: tuple[LogPiece, ...]
    left_out: tuple[tuple[str, int], ...]


def bundle_name(station_name: str, when: datetime) -> str:
    """The bundle's file name: "eyepi-support-<station>-<YYYYmmdd-HHMMSS>.zip", the station
    name in safe characters only (A-Z, a-z, 0-9, "_", "-"; any other run becomes "-")."""
    station = _UNSAFE.sub("-", station_name).strip("-")[:40] or "station"
    return f"eyepi-support-{station}-{when:%Y%m%d-%H%M%S}.zip"


FILES = (
    ("README.txt", "this file"),
    ("station.toml", "the station's settings, every secret shown as ***"),
    ("doctor.txt", "what `eyepi doctor` reports on this machine"),
    ("health.json", "the station's status and each camera's captures over the last 24 hours"),
    ("versions.txt", "eyepi, Python, the libraries and the system it runs on"),
    (f"{LOG_FOLDER}/", "the newest structured log lines (JSON, one object a line)"),
)


def readme(station_name: str, when: datetime, logs: LogPick) -> str:
    """The README.txt: when and where the bundle was made, each file, what logs it holds."""
    lines = [
        f"eyepi support bundle of station {station_name!r}",
        f"made {when.isoformat(timespec='seconds')}",
        "",
        "Files:",
        *(f"  {name:<14}{what}" for name, what in FILES),
        "",
        f"Logs, newest first, up to {size_text(LOG_CAP)} in all:",
        *(_piece(piece) for piece in logs.pieces),
    ]
    if not logs.pieces:
        lines.append("  no log files were found")
    lines += [
        f"  {name} ({size_text(size)}) left out: over the size cap" for name, size in logs.left_out
    ]
    lines += ["", "Secrets (passwords, tokens, passphrases) are not in this bundle."]
    return "\n".join(lines) + "\n"


def _piece(piece: LogPiece) -> str:
    if piece.whole:
        return f"  {LOG_FOLDER}/{piece.name} ({size_text(piece.size)}), whole"
    kept = piece.stop - piece.start
    return (
        f"  {LOG_FOLDER}/{piece.name}: its newest {size_text(kept)} of {size_text(piece.size)};"
        " the older lines were left out: over the size cap"
    )
