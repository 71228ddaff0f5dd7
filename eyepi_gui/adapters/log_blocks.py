"""Reading a log file in blocks of whole lines, backwards from a point or forwards from one,
with ``os.pread`` on an open descriptor (a rename by rotation does not disturb it). Memory
stays at about one block, plus one line longer than a block while it is read."""

from __future__ import annotations

import os
from collections.abc import Iterator

BLOCK = 1 << 20
"""Bytes read at a time (1 MiB: big enough for near-grep speed on a raw search)."""
HEAD_MAX = 1 << 16
"""The most bytes of a first line that name a file (``domain.log_cursor.head_hash``)."""


def blocks_backwards(fd: int, end: int, size: int = BLOCK) -> Iterator[tuple[int, bytes]]:
    """(offset, block) from ``end`` back to the file's start: each block starts at a line
    start and ends at the previous block's start (the first at ``end``)."""
    pos, carry = end, b""
    while pos > 0:
        low = max(0, pos - size)
        chunk = os.pread(fd, pos - low, low) + carry
        if low == 0:
            yield 0, chunk
            return
        cut = chunk.find(b"\n")
        if cut < 0 or cut == len(chunk) - 1:  # no line starts in this chunk
            carry, pos = chunk, low
            continue
        yield low + cut + 1, chunk[cut + 1 :]
        carry, pos = chunk[: cut + 1], low


def blocks_forwards(
    fd: int, start: int, end: int, size: int = BLOCK
) -> Iterator[tuple[int, bytes]]:
    """(offset, block) from ``start`` (a line start) up to ``end``: each block ends with a
    newline, except the last one when the file ends without one before ``end``."""
    pos, carry = start, b""
    while pos < end:
        chunk = carry + os.pread(fd, min(size, end - pos), pos)
        if not chunk or len(chunk) == len(carry):
            break
        pos += len(chunk) - len(carry)
        cut = chunk.rfind(b"\n")
        if pos >= end:
            yield pos - len(chunk), chunk
            return
        if cut < 0:
            carry = chunk
            continue
        yield pos - len(chunk), chunk[: cut + 1]
        carry = chunk[cut + 1 :]
    if carry:
        yield pos - len(carry), carry


def line_spans(block: bytes) -> Iterator[tuple[int, int]]:
    """(start, end) of each non-empty line in ``block``, newline excluded, first to last."""
    start, size = 0, len(block)
    while start < size:
        stop = block.find(b"\n", start)
        stop = size if stop < 0 else stop
        if stop > start:
            yield start, stop
        start = stop + 1


def line_spans_backwards(block: bytes) -> Iterator[tuple[int, int]]:
    """``line_spans`` last to first, found lazily from the end (a tail page reads few)."""
    stop = len(block)
    if stop and block[stop - 1] == 0x0A:
        stop -= 1
    while stop >= 0:
        start = block.rfind(b"\n", 0, stop) + 1
        if stop > start:
            yield start, stop
        stop = start - 1


def complete_end(fd: int, size: int, size_step: int = 1 << 16) -> int:
    """The offset just after the file's last newline (0 without one): a line still being
    written at the end is not an entry yet."""
    pos = size
    while pos > 0:
        low = max(0, pos - size_step)
        cut = os.pread(fd, pos - low, low).rfind(b"\n")
        if cut >= 0:
            return low + cut + 1
        pos = low
    return 0


def first_line(fd: int) -> bytes | None:
    """The file's first complete line (at most HEAD_MAX bytes of it), None without one."""
    head = os.pread(fd, HEAD_MAX + 1, 0)
    cut = head.find(b"\n")
    if cut < 0:
        return head[:HEAD_MAX] if len(head) > HEAD_MAX else None
    return head[:cut]
