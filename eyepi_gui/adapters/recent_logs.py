"""The station's most recent log lines, up to a size, for a support bundle.

``pick`` looks at ``eyepi.jsonl`` and its rotated files (``.1`` newest .. ``.10`` oldest)
newest first: each whole while the total stays within the cap; the first that does not fit
gives its newest lines (from a line start) up to the cap, and the older ones are left out.
Sizes are taken once, at ``pick``: lines logged later are not read, so a piece stays what
the bundle's README said of it. ``blocks`` reads a piece in blocks of whole lines (a line
longer than ``BLOCK`` comes in parts): memory stays small whatever the log's size.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from eyepi_gui.adapters.logfile import LOG_NAME
from eyepi_gui.domain.support_bundle import LogPick, LogPiece

BLOCK = 256 * 1024
"""Bytes handed on at a time: whole lines, so that each block can be searched alone."""
_ROTATED_MAX = 99


def pick(folder: Path, cap: int) -> LogPick:
    """The newest log bytes in ``folder`` up to ``cap`` bytes, as the module says."""
    pieces: list[LogPiece] = []
    left_out: list[tuple[str, int]] = []
    room = cap
    for name, path, size in _files(folder):
        if room <= 0:
            left_out.append((name, size))
        elif size <= room:
            pieces.append(LogPiece(name, path, 0, size, size))
            room -= size
        else:
            start = _line_start(path, size - room, size)
            pieces.append(LogPiece(name, path, start, size, size))
            room = 0
    return LogPick(tuple(pieces), tuple(left_out))


def blocks(piece: LogPiece) -> Iterator[bytes]:
    """The piece in blocks of whole lines (with their line ends), each at most BLOCK bytes;
    a line longer than BLOCK comes in parts."""
    with piece.path.open("rb") as handle:
        handle.seek(piece.start)
        left, carried = piece.stop - piece.start, b""
        while left > 0 and (read := handle.read(min(BLOCK - len(carried), left))):
            left -= len(read)
            data = carried + read
            end = data.rfind(b"\n") + 1 if left > 0 else len(data)
            if end == 0:  # no line end in a whole block: a very long line, cut
                end = len(data)
            carried = data[end:]
            yield data[:end]
        if carried:
            yield carried


def _files(folder: Path) -> list[tuple[str, Path, int]]:
    """(name, path, size) of the log and its rotated files present, newest first."""
    names = [LOG_NAME, *(f"{LOG_NAME}.{n}" for n in range(1, _ROTATED_MAX + 1))]
    found = []
    for name in names:
        path = folder / name
        try:
            size = os.stat(path, follow_symlinks=False).st_size
        except OSError:
            continue
        if path.is_file() and not path.is_symlink():
            found.append((name, path, size))
    return found


def _line_start(path: Path, offset: int, size: int) -> int:
    """The first line start at or after ``offset`` (a byte after a newline), at most ``size``."""
    if offset == 0:
        return 0
    with path.open("rb") as handle:
        handle.seek(offset - 1)
        while chunk := handle.read(BLOCK):
            newline = chunk.find(b"\n")
            if newline >= 0:
                return min(handle.tell() - len(chunk) + newline + 1, size)
    return size
