"""The station's JSON-lines log and its rotated files (``eyepi.jsonl``, ``.1`` .. ``.10``) read
newest first, in blocks from the end, never as a list of every line. Every call opens the
files it reads once, so a rotation while it reads moves names, not what it reads; cursors
name files by identity (``domain.log_cursor``), so one taken before a rotation still finds
its file under the new name."""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from eyepi_gui.adapters.log_blocks import (
    BLOCK,
    blocks_backwards,
    blocks_forwards,
    complete_end,
    first_line,
    line_spans,
    line_spans_backwards,
)
from eyepi_gui.adapters.log_jump import first_at_or_after, first_time
from eyepi_gui.adapters.log_scan import probe_for
from eyepi_gui.adapters.logfile import LOG_NAME
from eyepi_gui.domain.log_cursor import NO_HEAD, FileIdentity, LogCursor, head_hash
from eyepi_gui.domain.log_entries import LogEntry, LogPage, entry_of_line
from eyepi_gui.domain.log_filter import LogFilter
from eyepi_gui.errors import InvalidInput, NotFound, Unavailable

ROTATED = 10
"""How many rotated files the log keeps (``adapters.logfile``: backupCount)."""
PAGE_BUDGET_S = 1.0
"""The longest one page or follow call scans before it answers with what it found."""
MOVED_ON = "the log moved on: this point's file was rotated away; start again from the newest"


@dataclass(frozen=True)
class _Opened:
    """A log file opened for this call: ``end`` is where its entries end (the live file's
    last complete line)."""

    fd: int
    identity: FileIdentity
    end: int

    def cursor(self, offset: int) -> str:
        return LogCursor(self.identity, offset).text()


class LogFiles:
    """A ``LogSource`` over ``<folder>/<name>`` and its rotated files."""

    def __init__(
        self,
        folder: Path,
        name: str = LOG_NAME,
        *,
        rotated: int = ROTATED,
        budget_s: float = PAGE_BUDGET_S,
        block: int = BLOCK,
    ) -> None:
        self._paths = [folder / name] + [folder / f"{name}.{n}" for n in range(1, rotated + 1)]
        self._budget_s, self._block = budget_s, block

    def page(self, query: LogFilter) -> LogPage:
        """Up to ``query.limit`` matching entries older than ``query.cursor`` (the newest
        when None), newest first. Lines are in time order, so a page with ``until`` and no
        cursor starts where ``until`` falls (a binary search), and one with ``since`` ends
        at the first block that starts before it."""
        with self._opened() as files:
            if not files:
                return LogPage([], None, None, 0)
            if query.cursor is not None:
                index, end = _resolve(files, query.cursor)
            elif query.until is not None:
                index, end = _position_of(files, query.until)
            else:
                index, end = 0, files[0].end
            return self._page(files, index, end, query)

    def follow(self, query: LogFilter) -> LogPage:
        """Up to ``query.limit`` matching entries written after ``query.cursor`` (a page's
        ``newer_cursor``), the oldest of them first in line, returned newest first."""
        if query.cursor is None:
            raise InvalidInput("cursor", "follow goes on from the newer cursor of a page")
        with self._opened() as files:
            index, start = _resolve(files, query.cursor)
            return self._follow(files, index, start, query)

    def jump(self, at: float) -> str:
        """A cursor at the first entry written at or after ``at`` (epoch s): a page from it
        holds what came before, a follow what came from then on."""
        with self._opened() as files:
            if not files:
                raise NotFound("the log holds no entries yet")
            index, offset = _position_of(files, at)
            return files[index].cursor(offset)

    def _page(self, files: list[_Opened], index: int, end: int, query: LogFilter) -> LogPage:
        newer, probe = files[index].cursor(end), probe_for(query)
        found: list[LogEntry] = []
        scanned, deadline = 0, time.monotonic() + self._budget_s
        for n in range(index, len(files)):
            file = files[n]
            for offset, block in blocks_backwards(
                file.fd, end if n == index else file.end, self._block
            ):
                spans = reversed(probe.candidates(block)) if probe else line_spans_backwards(block)
                for start, stop in spans:
                    entry = entry_of_line(block[start:stop])
                    if query.matches(entry):
                        found.append(entry)
                        if len(found) == query.limit:
                            scanned += len(block) - start
                            return LogPage(found, file.cursor(offset + start), newer, scanned)
                    if _slow(query) and time.monotonic() > deadline:
                        scanned += len(block) - start
                        return LogPage(found, file.cursor(offset + start), newer, scanned)
                scanned += len(block)
                if query.since is not None and _starts_before(block, query.since):
                    return LogPage(found, None, newer, scanned)
                if time.monotonic() > deadline:
                    return LogPage(found, file.cursor(offset), newer, scanned)
        return LogPage(found, None, newer, scanned)

    def _follow(self, files: list[_Opened], index: int, start: int, query: LogFilter) -> LogPage:
        probe, found = probe_for(query), []
        scanned, deadline = 0, time.monotonic() + self._budget_s
        for n in range(index, -1, -1):
            file = files[n]
            begin = start if n == index else 0
            for offset, block in blocks_forwards(file.fd, begin, file.end, self._block):
                for first, stop in probe.candidates(block) if probe else line_spans(block):
                    entry = entry_of_line(block[first:stop])
                    if query.matches(entry):
                        found.append(entry)
                    if len(found) == query.limit or (_slow(query) and time.monotonic() > deadline):
                        after = min(offset + stop + 1, file.end)
                        scanned += stop - first
                        return LogPage(found[::-1], None, file.cursor(after), scanned)
                scanned += len(block)
                if time.monotonic() > deadline:
                    return LogPage(found[::-1], None, file.cursor(offset + len(block)), scanned)
        return LogPage(found[::-1], None, files[0].cursor(files[0].end), scanned)

    @contextlib.contextmanager
    def _opened(self) -> Iterator[list[_Opened]]:
        files: list[_Opened] = []
        try:
            for n, path in enumerate(self._paths):
                opened = _open(path, live=n == 0)
                if opened and all(not _same_file(f, opened) for f in files):
                    files.append(opened)
                elif opened:
                    os.close(opened.fd)
            yield files
        except OSError as err:
            raise Unavailable(f"the log cannot be read: {err.strerror or err}") from err
        finally:
            for file in files:
                os.close(file.fd)


def _open(path: Path, live: bool) -> _Opened | None:
    """``path`` opened for reading, None when there is no such regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as err:
        if err.errno == errno.ELOOP:  # a symbolic link: not a file the station wrote
            return None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            return None
        line = first_line(fd)
        head = NO_HEAD if line is None else head_hash(line)
        end = complete_end(fd, info.st_size) if live else info.st_size
    except OSError:
        os.close(fd)
        raise
    return _Opened(fd, FileIdentity(info.st_dev, info.st_ino, head), end)


def _position_of(files: list[_Opened], at: float) -> tuple[int, int]:
    """(file index, offset) of the first entry written at or after ``at``."""
    for index, file in enumerate(files):
        first = first_time(file.fd, file.end)
        if first is not None and first <= at:
            return index, first_at_or_after(file.fd, file.end, at)
    return len(files) - 1, 0


def _slow(query: LogFilter) -> bool:
    """Whether matching one line may take long: a regular expression may take up to
    REGEX_TIMEOUT_S on each line without failing, so with one the time left is looked at
    after every line, not only after every block (thousands of lines)."""
    return query.pattern is not None


def _starts_before(block: bytes, since: float) -> bool:
    """Whether the block's first line has a time before ``since`` (so every older one has)."""
    cut = block.find(b"\n")
    moment = entry_of_line(block if cut < 0 else block[:cut]).time
    return moment is not None and moment < since


def _same_file(one: _Opened, other: _Opened) -> bool:
    return (one.identity.device, one.identity.inode) == (
        other.identity.device,
        other.identity.inode,
    )


def _resolve(files: list[_Opened], cursor: object) -> tuple[int, int]:
    """The index of the cursor's file among ``files`` and its offset; InvalidInput("cursor")
    when the file is gone or no longer what it was, or it is not a cursor of the files."""
    if not isinstance(cursor, LogCursor):
        raise InvalidInput("cursor", "not a cursor of the station's log files: start again")
    wanted = cursor.file
    for index, file in enumerate(files):
        have = file.identity
        if (have.device, have.inode) != (wanted.device, wanted.inode):
            continue
        same = have.head == wanted.head or (wanted.head == NO_HEAD and cursor.offset == 0)
        if not same or cursor.offset > file.end:
            break
        return index, cursor.offset
    raise InvalidInput("cursor", MOVED_ON)
