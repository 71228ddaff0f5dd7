"""How the Logs tab's rows are read, each read on the TaskRunner: a filter's newest page (or
the page before a time, for a jump), the next older page when the list is scrolled to its
end (``LogListModel.fetchMore``), and what was written since the top row (``follow``, every
FOLLOW_MS while the tab shows). A newer filter makes every answer to an older one stale.

New entries go on top when the list is at its top; when the tech has scrolled away they wait
(``pending``) behind the panel's "N new — show" pill, so the rows being read never move. The
list holds at most ``model.HELD_MAX`` rows: reading far down drops the newest chunks, and
rows that no longer reach the newest entry (that, a jump, or too many waiting: ``detached``)
read the page above by cursor when scrolled to their top, again without moving the rows on
show, until the newest is on top and following goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QListView

from eyepi_gui.domain.log_filter import LogFilter
from eyepi_gui.errors import InvalidInput
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.panel import PanelContext
from eyepi_gui.kiosk.panels.logs.model import LogListModel
from eyepi_gui.kiosk.panels.logs.reading import (
    PAGE,
    Chunk,
    Opened,
    jump_log,
    newer_chunk,
    newer_page,
    older_chunk,
    open_log,
)
from eyepi_gui.kiosk.panels.logs.rows import ROW_PX

PENDING_MAX = 2000
"""New entries kept waiting; past this the rows count as detached (read back by cursor)."""
ROWS_WANTED = 40
"""Older pages are read until the list holds this many rows (a narrow filter may find few
entries per page) or the oldest line is reached."""
TOP_SLACK_PX = 4
NEAR_END_PX = 10 * ROW_PX
_READS = ("logs-open", "logs-jump", "logs-more", "logs-newer", "logs-follow")


class LogFeed(QObject):
    """The rows of ``view`` (its model is ``model``). ``query`` is the checked filter of the
    rows on show (None before the first page); ``pending`` the chunks followed while the
    list was scrolled away; ``detached`` True while the rows do not reach the newest entry.

    Signals:
        opened(opened: object): a filter's (or a jump's) first page is on show (its
            ``reading.Opened``: the station's zone, what the log could not read).
        rows_added(entries: object): a list of LogEntry joined the rows (or the pending).
        changed(): the rows, what waits or ``detached`` changed (status and pill).
        problem(field: str, text: str): a read failed; ``field`` names the filter's field
            at fault ("" when none), ``text`` is a sentence for the screen.
    """

    opened = Signal(object)
    rows_added = Signal(object)
    changed = Signal()
    problem = Signal(str, str)

    def __init__(self, context: PanelContext, view: QListView) -> None:
        super().__init__(view)
        self.context, self.view = context, view
        self.model = LogListModel(self)
        view.setModel(self.model)
        self.query: LogFilter | None = None
        self.pending: list[Chunk] = []
        self.detached = False
        self.live_cursor: str | None = None
        """Where following goes on from (None: not following)."""
        self._generation = 0
        self.model.more_wanted.connect(self._read_older)
        view.verticalScrollBar().valueChanged.connect(self._scrolled)

    # ---- a filter's first page -------------------------------------------------------------

    def open(self, values: dict[str, object]) -> None:
        """Read the newest page of ``values`` (the older answers are dropped)."""
        principal = self.context.session.principal
        self._start("logs-open", partial(open_log, self.context.services, principal, values))

    def jump(self, values: dict[str, object], at: str) -> None:
        """Show the entries written before the time ``at`` (as typed), newer ones above."""
        principal = self.context.session.principal
        self._start("logs-jump", partial(jump_log, self.context.services, principal, values, at))

    def forget(self) -> None:
        """No rows (the reader changed, or may not read): the next ``open`` reads afresh."""
        self._generation += 1
        self.model.clear()
        self.query, self.pending, self.live_cursor, self.detached = None, [], None, False
        self.changed.emit()

    def _start(self, key: str, work: partial[Opened]) -> None:
        self._generation += 1
        for other in _READS:
            self.context.runner.cancel(other)
        self.model.fetching = False
        generation = self._generation
        done, failed = partial(self._opened, generation), partial(self._open_failed, generation)
        self.context.runner.run(key, work, done, failed)

    def _opened(self, generation: int, opened: Opened) -> None:
        if generation != self._generation:
            return
        self.query = opened.query
        self.model.reset(opened.chunk, opened.tz, opened.live)
        self.pending, self.detached = [], not opened.live
        self.live_cursor = opened.chunk.newer if opened.live else None
        self.opened.emit(opened)
        self.rows_added.emit(opened.chunk.entries)
        self.view.scrollToTop()
        self._after_rows()
        if self.detached:  # a jump: the entries after its time go above, out of view
            self._read_newer()

    def _open_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        if isinstance(error, InvalidInput):
            field, why = next(iter(error.problems.items()))
            self.problem.emit(field, as_sentence(why))
            return
        self.forget()
        self.problem.emit("", f"The log cannot be shown: {self.context.say(error)}")

    # ---- paging ----------------------------------------------------------------------------

    def _read_older(self) -> None:
        cursor, query = self.model.older_cursor, self.query
        if cursor is None or query is None:
            self.model.fetching = False
            return
        principal = self.context.session.principal
        work = partial(older_chunk, self.context.services, principal, query, cursor)
        self._read("logs-more", work, self._older)

    def _older(self, generation: int, chunk: Chunk) -> None:
        if generation != self._generation:
            return
        self.model.fetching = False
        dropped = self.model.add_older(chunk)
        if dropped:  # newer rows left the top: the rows on show stay where they are
            bar = self.view.verticalScrollBar()
            bar.setValue(max(0, bar.value() - dropped * ROW_PX))
            self.pending, self.detached = [], True
        self.rows_added.emit(chunk.entries)
        self._after_rows()

    def _read_newer(self) -> None:
        """At the top of rows that do not reach the newest entry: read the page above."""
        cursor, query = self.model.newer_cursor, self.query
        if cursor is None or query is None or self.context.runner.is_running("logs-newer"):
            return
        principal = self.context.session.principal
        work = partial(newer_page, self.context.services, principal, query, cursor)
        self._read("logs-newer", work, self._newer)

    def _newer(self, generation: int, chunk: Chunk) -> None:
        """The page above goes on top; the rows on show stay where they are."""
        if generation != self._generation:
            return
        bar = self.view.verticalScrollBar()
        self.model.add_newer(chunk)
        self.view.doItemsLayout()  # the scroll range grows now, not at the next paint
        bar.setValue(bar.value() + len(chunk.entries) * ROW_PX)
        if len(chunk.entries) < PAGE:  # the newest entry is on top: follow from here
            self.detached, self.pending, self.model.live = False, [], True
            self.live_cursor = chunk.newer
        self.rows_added.emit(chunk.entries)
        self.changed.emit()

    def _read(self, key: str, work: partial[Chunk], done: Callable[[int, Chunk], None]) -> None:
        generation = self._generation
        on_done = partial(done, generation)
        self.context.runner.run(key, work, on_done, partial(self._page_failed, generation))

    def _page_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self.model.fetching = False
            self.problem.emit("", f"More entries cannot be read: {self.context.say(error)}")

    def _after_rows(self) -> None:
        """Read on while a narrow filter has found few rows."""
        if self.model.rowCount() < ROWS_WANTED and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        self.changed.emit()

    def _scrolled(self, value: int) -> None:
        if self.pending and not self.detached and self.at_top():
            self.show_new()
        if self.detached and self.at_top():
            self._read_newer()
        bar = self.view.verticalScrollBar()
        if value >= bar.maximum() - NEAR_END_PX and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())

    # ---- live follow -----------------------------------------------------------------------

    def follow(self) -> None:
        """Read what was written since the newest entry read (the panel's timer calls it)."""
        cursor, query = self.live_cursor, self.query
        if cursor is None or query is None or self.context.runner.is_running("logs-follow"):
            return
        principal = self.context.session.principal
        work = partial(newer_chunk, self.context.services, principal, query, cursor)
        done = partial(self._followed, self._generation)
        self.context.runner.run("logs-follow", work, done, self._not_followed)

    def _followed(self, generation: int, chunk: Chunk) -> None:
        if generation != self._generation:
            return
        self.live_cursor = chunk.newer
        if self.detached:
            return
        if self.at_top() and not self.pending:
            self.model.add_newer(chunk)
        elif chunk.entries:
            self.pending.append(chunk)
            if self.waiting() > PENDING_MAX:
                self.pending, self.detached = [], True
        if chunk.entries:
            self.rows_added.emit(chunk.entries)
            self.changed.emit()

    def _not_followed(self, error: Exception) -> None:
        if isinstance(error, InvalidInput) and "cursor" in error.problems:
            # the log moved past the newest entry read (rotated away): the panel reads afresh
            self.problem.emit("cursor", as_sentence(error.problems["cursor"]))
            return
        self.problem.emit("", f"New entries cannot be read: {self.context.say(error)}")

    def at_top(self) -> bool:
        return self.view.verticalScrollBar().value() <= TOP_SLACK_PX

    def waiting(self) -> int:
        """How many new entries wait behind the pill."""
        return sum(len(chunk.entries) for chunk in self.pending)

    def show_new(self) -> None:
        """The entries waiting go on top and the list shows them."""
        for chunk in self.pending:
            self.model.add_newer(chunk)
        self.pending = []
        self.view.scrollToTop()
        self.changed.emit()
