"""The station's most recent log lines, up to a size, for a support bundle.

``pick`` looks at ``eyepi.jsonl`` and its rotated files (``.1`` newest .. ``.10`` oldest)
newest first: each whole while the total stays within the cap; the first that does not fit
gives its newest lines (from a line start) up to the cap, and the older ones are left out.
Sizes are taken once, at ``pick``: lines logged later are not read, so a piece stays what
the bundle's README said of it, and each file is found again by its identity (device and
inode) when the log rotates in between. ``blocks`` reads a piece in blocks of whole lines (a
line longer than ``BLOCK`` comes in parts): memory stays small whatever the log's size.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

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
    for name, path, size, identity in _files(folder):
        if room <= 0:
            left_out.append((name, size))
        elif size <= room:
            pieces.append(LogPiece(name, path, 0, size, size, identity))
            room -= size
        else:
            start = _line_start(path, size - room, size)
            pieces.append(LogPiece(name, path, start, size, size, identity))
            room = 0
    return LogPick(tuple(pieces), tuple(left_out))


def blocks(piece: LogPiece) -> Iterator[bytes]:
    """The piece in blocks of whole lines (with their line ends), each at most BLOCK bytes;
    a line longer than BLOCK comes in parts. The file is found by its identity: rotated
    since ``pick`` (eyepi.jsonl now eyepi.jsonl.1), it is read under its new name; rotated
    away, nothing is read."""
    handle = _same_file(piece)
    if handle is None:
        return
    with handle:
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


def _names() -> list[str]:
    return [LOG_NAME, *(f"{LOG_NAME}.{n}" for n in range(1, _ROTATED_MAX + 1))]


def _files(folder: Path) -> list[tuple[str, Path, int, tuple[int, int]]]:
    """(name, path, size, identity) of the log and its rotated files present (plain files,
    never a link), newest first."""
    found = []
    for name in _names():
        path = folder / name
        try:
            info = os.stat(path, follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            found.append((name, path, info.st_size, (info.st_dev, info.st_ino)))
    return found


def _same_file(piece: LogPiece) -> BinaryIO | None:
    """The file ``pick`` saw, opened (never through a link), wherever rotation put it."""
    folder = piece.path.parent
    for path in [piece.path, *(folder / name for name in _names())]:
        try:
            fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        info = os.fstat(fd)
        if (info.st_dev, info.st_ino) == piece.identity:
            return os.fdopen(fd, "rb")
        os.close(fd)
    return None


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
