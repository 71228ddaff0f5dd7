"""Finding a time in a log file by binary search over byte offsets: the lines of one file are
written in time order, so a jump reads a few small windows, not the file."""

from __future__ import annotations

import os

from eyepi_gui.adapters.log_blocks import blocks_forwards, line_spans
from eyepi_gui.domain.log_entries import entry_of_line

WINDOW = 1 << 16
"""Bytes read per probe; the search ends with one forward read of at most about this."""


def first_time(fd: int, end: int) -> float | None:
    """The time of the first entry with one in the file's first WINDOW bytes, else None."""
    found = _timed_line(fd, 0, end)
    return None if found is None else found[2]


def first_at_or_after(fd: int, end: int, at: float) -> int:
    """The offset of the first line whose time is ``at`` or later (``end`` when none is);
    lines without a time are passed over."""
    low, high = 0, end
    while high - low > WINDOW:
        start = _line_start(fd, (low + high) // 2, high)
        if start >= high:
            break
        found = _timed_line(fd, start, high)
        if found is None:
            high = start
        elif found[2] < at:
            low = found[1]
        else:
            high = found[0]
    for offset, block in blocks_forwards(fd, low, high, WINDOW):
        for start, stop in line_spans(block):
            moment = entry_of_line(block[start:stop]).time
            if moment is not None and moment >= at:
                return offset + start
    return high


def _line_start(fd: int, offset: int, high: int) -> int:
    """The first line start at or after ``offset`` (``high`` when none is before it)."""
    if offset == 0:
        return 0
    pos = offset - 1
    while pos < high:
        chunk = os.pread(fd, min(WINDOW, high - pos), pos)
        if not chunk:
            return high
        cut = chunk.find(b"\n")
        if cut >= 0:
            return pos + cut + 1
        pos += len(chunk)
    return high


def _timed_line(fd: int, start: int, high: int) -> tuple[int, int, float] | None:
    """(start, next line's start, time) of the first complete line with a time in the WINDOW
    bytes from ``start`` (a line start)."""
    chunk = os.pread(fd, min(WINDOW, high - start), start)
    for first, stop in line_spans(chunk):
        if stop == len(chunk) and start + stop < high:
            return None
        moment = entry_of_line(chunk[first:stop]).time
        if moment is not None:
            return start + first, start + stop + 1, moment
    return None
