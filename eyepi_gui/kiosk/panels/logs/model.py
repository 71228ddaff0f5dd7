"""The entries the Logs tab holds, newest first, as chunks read by cursor: older chunks are
added at the bottom (the view scrolled to its end), newer ones on top (live follow). It
never holds more than HELD_MAX entries: whole chunks are dropped from the far end, and
their neighbour's cursor says where to read again."""

from __future__ import annotations

from datetime import UTC, tzinfo

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from eyepi_gui.domain.log_entries import LogEntry
from eyepi_gui.kiosk.panels.logs.reading import Chunk
from eyepi_gui.kiosk.panels.logs.rows import ENTRY_ROLE, row_text

HELD_MAX = 3000
"""The most entries held at once (a few screens' worth many times over)."""
Index = QModelIndex | QPersistentModelIndex


class LogListModel(QAbstractListModel):
    """``live`` is True while the top row is the newest matching entry written (False after
    a jump, or once newer chunks were dropped to read further down). The view's fetchMore
    (scrolled to the end) asks for the next older chunk; the panel reads it on the
    TaskRunner and hands it to ``add_older``.

    Signals:
        more_wanted(): the view wants the chunk older than ``older_cursor``.
    """

    more_wanted = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fetching = False
        """True from ``more_wanted`` until the panel added the chunk (or gave up)."""
        self.entries: list[LogEntry] = []
        self._chunks: list[Chunk] = []
        self.live = True
        self.tz: tzinfo = UTC

    def reset(self, chunk: Chunk, tz: tzinfo, live: bool = True) -> None:
        """Hold ``chunk`` alone."""
        self.beginResetModel()
        self._chunks, self.entries = [chunk], list(chunk.entries)
        self.tz, self.live, self.fetching = tz, live, False
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._chunks, self.entries, self.fetching = [], [], False
        self.endResetModel()

    def add_older(self, chunk: Chunk) -> int:
        """``chunk`` below the rows held; returns how many rows were dropped from the top to
        stay within HELD_MAX (the view moves up by as many rows to stay where it is)."""
        if not self._chunks:
            self.reset(chunk, self.tz, self.live)
            return 0
        if chunk.entries:
            end = len(self.entries)
            self.beginInsertRows(QModelIndex(), end, end + len(chunk.entries) - 1)
            self.entries.extend(chunk.entries)
            self._chunks.append(chunk)
            self.endInsertRows()
        else:  # nothing matched in this stretch: only the cursor moves on
            last = self._chunks[-1]
            self._chunks[-1] = Chunk(last.entries, last.newer, chunk.older)
        return self._drop_top()

    def add_newer(self, chunk: Chunk) -> None:
        """``chunk`` (followed from ``newer_cursor``) on top; chunks at the bottom are dropped
        to stay within HELD_MAX."""
        if not self._chunks:
            self.reset(chunk, self.tz, self.live)
            return
        count = len(chunk.entries)
        if count:
            self.beginInsertRows(QModelIndex(), 0, count - 1)
            self.entries[:0] = chunk.entries
            self._chunks.insert(0, chunk)
            self.endInsertRows()
        else:
            first = self._chunks[0]
            self._chunks[0] = Chunk(first.entries, chunk.newer, first.older)
        self._drop_bottom()

    @property
    def older_cursor(self) -> str | None:
        """Where to read on downwards (None: the oldest entry is held, or nothing is)."""
        return self._chunks[-1].older if self._chunks else None

    @property
    def newer_cursor(self) -> str | None:
        """Where to follow from (the cursor above the top row)."""
        return self._chunks[0].newer if self._chunks else None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self.fetching and self.older_cursor is not None

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self.fetching = True
            self.more_wanted.emit()

    def entry(self, row: int) -> LogEntry | None:
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def _drop_top(self) -> int:
        dropped = 0
        while len(self.entries) - dropped > HELD_MAX and len(self._chunks) > 1:
            dropped += len(self._chunks.pop(0).entries)
            self.live = False
        if dropped:
            self.beginRemoveRows(QModelIndex(), 0, dropped - 1)
            del self.entries[:dropped]
            self.endRemoveRows()
        return dropped

    def _drop_bottom(self) -> None:
        keep = len(self.entries)
        while keep > HELD_MAX and len(self._chunks) > 1:
            keep -= len(self._chunks.pop().entries)
        if keep < len(self.entries):
            self.beginRemoveRows(QModelIndex(), keep, len(self.entries) - 1)
            del self.entries[keep:]
            self.endRemoveRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return row_text(entry, self.tz)
        if role == Qt.ItemDataRole.ToolTipRole:
            return entry.message
        if role == ENTRY_ROLE:
            return entry
        return None
