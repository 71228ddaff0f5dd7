"""The Logs tab: the station's log newest first, filtered as you type, followed live.

Every read runs on the TaskRunner: a filter's newest page when the tab first shows and
DEBOUNCE_MS after each change (a newer request makes an older one's answer stale), the next
older page when the list is scrolled to its end (``LogListModel.fetchMore``), and every
FOLLOW_MS while the tab shows what was written since the top row. New entries go on top
when the list is at its top; when the tech has scrolled away they wait behind a "N new
— show" pill, so the rows being read never move. The list holds at most
``model.HELD_MAX`` rows: reading far down drops the newest chunks, and rows that no longer
reach the newest entry (that, a jump to a time, or too many waiting) read the page above by
cursor when scrolled to their top, again without moving the rows on show, until the newest
is on top and following goes on ("Show newest" reads it at once). Tapping a row shows the
entry in full, with a link to its camera's card. Operators and admins write a support
bundle to a USB stick as a job followed in the window's progress strip.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QListView,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.log_filter import LogFilter
from eyepi_gui.errors import InvalidInput
from eyepi_gui.kiosk.formatting import as_sentence
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.panels.logs.bundle import BundleSheet
from eyepi_gui.kiosk.panels.logs.details import EntryDetails
from eyepi_gui.kiosk.panels.logs.filters import LogFilters
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
from eyepi_gui.kiosk.panels.logs.rows import ROW_PX, LogRowDelegate
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.reflow import follow_width, text_beside_buttons
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, size_by_current_page

FOLLOW_MS = 500
PENDING_MAX = 2000
"""New entries kept waiting behind the pill; past this the pill reloads the newest instead."""
ROWS_WANTED = 40
"""Older pages are read until the list holds this many rows (a narrow filter may find few
entries per page) or the oldest line is reached."""
TOP_SLACK_PX = 4


class LogsPanel(Panel):
    """See the module. ``query`` is the checked filter of the rows on show (None before the
    first page); ``pending`` the chunks followed while the list was scrolled away."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        services, runner, _bridge, session = context.parts()
        self.setObjectName("logsPanel")
        self._services, self._runner, self._session = services, runner, session
        self.query: LogFilter | None = None
        self.pending: list[Chunk] = []
        self.detached = False
        """True when the rows no longer reach the newest entry (a jump; newer rows dropped;
        too many waiting): the page above is read when scrolled to the top, and the pill
        reads the newest page at once."""
        self._live_cursor: str | None = None
        self._generation = 0
        self.model = LogListModel(self)
        self._build()
        self.follow_timer = QTimer(self, interval=FOLLOW_MS)
        self.follow_timer.timeout.connect(self.follow)
        self._connect()
        session.changed.connect(self._session_changed)
        self._session_changed(session.principal)

    # ---- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.filters = LogFilters()
        self.status = plain_label("Reading the log…", "logStatus")
        self.bundle_button = QPushButton("Support bundle…")
        self.message = plain_label("", "logMessage", wrap=True)
        self.message.hide()
        self.pill = QPushButton("")
        self.pill.setObjectName("logNewPill")
        self.pill.hide()
        for button in (self.pill, self.bundle_button):
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.list = self._list()
        self.details = EntryDetails()
        self.sheet = BundleSheet(self.context)
        self.options = _scrolling(self.filters.options)
        self.stack = QStackedWidget()
        for page in (self._list_page(), self.options, self.details, self.sheet):
            self.stack.addWidget(page)
        size_by_current_page(self.stack)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stack)

    def _list(self) -> QListView:
        view = QListView()
        view.setObjectName("logList")
        view.setModel(self.model)
        view.setItemDelegate(LogRowDelegate(view))
        view.setUniformItemSizes(True)
        view.setMinimumHeight(ROW_PX)  # a small screen with the keyboard up keeps one row
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        flick_to_scroll(view)
        return view

    def _list_page(self) -> QWidget:
        page = QWidget()
        page.setObjectName("logListPage")
        self.status_row = text_beside_buttons(
            [self.message, self.status], [self.pill, self.bundle_button]
        )
        column = QVBoxLayout(page)
        column.setContentsMargins(12, 6, 12, 2)
        column.setSpacing(4)
        column.addWidget(self.filters)
        column.addLayout(self.status_row)
        column.addWidget(self.list, 1)
        self.list_page = page
        return page

    def resizeEvent(self, event: QResizeEvent) -> None:
        follow_width(self.status_row, self, QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    def _connect(self) -> None:
        self.filters.changed.connect(self.reload)
        self.filters.options_button.toggled.connect(self._show_options)
        self.filters.jump_requested.connect(self.jump)
        self.model.more_wanted.connect(self._read_older)
        self.list.verticalScrollBar().valueChanged.connect(self._scrolled)
        self.list.clicked.connect(self.open_entry)
        self.pill.clicked.connect(self.show_new)
        self.details.closed.connect(self.show_list)
        self.details.camera_wanted.connect(self.context.show_camera)
        self.bundle_button.clicked.connect(self.open_bundle)
        self.sheet.started.connect(self._bundle_started)
        self.sheet.cancelled.connect(self.show_list)

    # ---- showing ---------------------------------------------------------------------------

    def shown(self) -> None:
        self.follow_timer.start()
        if self.query is None:
            self.reload()
        cameras = self._services.cameras.cameras
        self._runner.refresh(
            "logs-cameras", lambda: [c.camera_id for c in cameras()], self.filters.set_cameras
        )

    def hidden(self) -> None:
        self.follow_timer.stop()

    def stop(self) -> None:
        self.follow_timer.stop()
        self.filters.debounce.stop()

    def show_list(self) -> None:
        self.filters.options_button.setChecked(False)
        self.stack.setCurrentWidget(self.list_page)

    def _show_options(self, shown: bool) -> None:
        """The filters' page while "Filters" is on (changes apply at once all the same)."""
        self.stack.setCurrentWidget(self.options if shown else self.list_page)

    def _say(self, text: str, role: str = "error") -> None:
        show_message(self.message, text, role)

    # ---- reading ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the newest page of the filter as it is now (the older answers are dropped)."""
        self.filters.debounce.stop()
        work = partial(open_log, self._services, self._session.principal, self.filters.values())
        self._start_reading("logs-open", work)

    def jump(self, at: str) -> None:
        """Show the entries written before the time ``at`` (as typed)."""
        values = self.filters.values()
        work = partial(jump_log, self._services, self._session.principal, values, at)
        self._start_reading("logs-jump", work)

    def _start_reading(self, key: str, work: partial[Opened]) -> None:
        self._generation += 1
        for other in ("logs-open", "logs-jump", "logs-more", "logs-newer", "logs-follow"):
            self._runner.cancel(other)
        self.model.fetching = False
        self.status.setText("Reading the log…")
        generation = self._generation
        done, failed = partial(self._opened, generation), partial(self._open_failed, generation)
        self._runner.run(key, work, done, failed)

    def _opened(self, generation: int, opened: Opened) -> None:
        if generation != self._generation:
            return
        self.query, self.filters.tz = opened.query, opened.tz
        self.filters.clear_problems()
        self._say("")
        self.model.reset(opened.chunk, opened.tz, opened.live)
        self.pending, self.detached = [], not opened.live
        self._live_cursor = opened.chunk.newer if opened.live else None
        self._seen(opened.chunk)
        self.list.scrollToTop()
        self._after_rows()
        if self.detached:  # a jump: the entries after its time go above, out of view
            self._read_newer()

    def _open_failed(self, generation: int, error: Exception) -> None:
        if generation != self._generation:
            return
        self.status.setText("")
        if isinstance(error, InvalidInput):
            field, why = next(iter(error.problems.items()))
            if self.filters.show_problem(field, as_sentence(why)):
                label = self.filters.problem_label(field)
                if self.stack.currentWidget() is self.options and label is not None:
                    QTimer.singleShot(0, lambda: self.options.ensureWidgetVisible(label))
                return
        self._forget_rows()
        self._say(f"The log cannot be shown: {self.context.say(error)}")

    def _forget_rows(self) -> None:
        """No rows (the reader changed, or may not read): the next showing reads afresh."""
        self._generation += 1
        self.model.clear()
        self.query, self.pending, self._live_cursor, self.detached = None, [], None, False
        self._show_pill()

    def _read_older(self) -> None:
        cursor, query = self.model.older_cursor, self.query
        if cursor is None or query is None:
            self.model.fetching = False
            return
        work = partial(older_chunk, self._services, self._session.principal, query, cursor)
        generation = self._generation
        done, failed = partial(self._older, generation), partial(self._page_failed, generation)
        self._runner.run("logs-more", work, done, failed)

    def _older(self, generation: int, chunk: Chunk) -> None:
        if generation != self._generation:
            return
        self.model.fetching = False
        dropped = self.model.add_older(chunk)
        if dropped:  # newer rows left the top: the rows on show stay where they are
            bar = self.list.verticalScrollBar()
            bar.setValue(max(0, bar.value() - dropped * ROW_PX))
            self.pending, self.detached = [], True
        self._seen(chunk)
        self._after_rows()

    def _page_failed(self, generation: int, error: Exception) -> None:
        if generation == self._generation:
            self._say(f"More entries cannot be read: {self.context.say(error)}")

    def _after_rows(self) -> None:
        """Read on while a narrow filter has found few rows; say what is held."""
        if self.model.rowCount() < ROWS_WANTED and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        self._show_status()
        self._show_pill()

    def _show_status(self) -> None:
        count = self.model.rowCount()
        if count == 0:
            text = "Reading on…" if self.model.fetching else "No entries match."
        else:
            text = f"{count:,} entries" + (" · live" if self._live_cursor else "")
        self.status.setText(text)

    def _seen(self, chunk: Chunk) -> None:
        """Cameras and event kinds of new rows join the filter's choices."""
        self.filters.add_events({e.event for e in chunk.entries})
        self.filters.set_cameras({e.camera for e in chunk.entries if e.camera})

    # ---- live follow -----------------------------------------------------------------------

    def follow(self) -> None:
        """Read what was written since the newest entry read (runs every FOLLOW_MS)."""
        cursor, query = self._live_cursor, self.query
        if cursor is None or query is None or self._runner.is_running("logs-follow"):
            return
        work = partial(newer_chunk, self._services, self._session.principal, query, cursor)
        generation = self._generation
        self._runner.run(
            "logs-follow", work, partial(self._followed, generation), self._not_followed
        )

    def _followed(self, generation: int, chunk: Chunk) -> None:
        if generation != self._generation:
            return
        self._live_cursor = chunk.newer
        if self.detached:
            return
        if self.at_top() and not self.pending:
            self.model.add_newer(chunk)
        elif chunk.entries:
            self.pending.append(chunk)
            if sum(len(c.entries) for c in self.pending) > PENDING_MAX:
                self.pending, self.detached = [], True
        if chunk.entries:
            self._seen(chunk)
            self._show_status()
            self._show_pill()

    def _not_followed(self, error: Exception) -> None:
        if isinstance(error, InvalidInput) and "cursor" in error.problems:
            self.reload()  # the log moved on past the newest entry read (rotated away)
            return
        self._say(f"New entries cannot be read: {self.context.say(error)}")

    def at_top(self) -> bool:
        return self.list.verticalScrollBar().value() <= TOP_SLACK_PX

    def show_new(self) -> None:
        """The pill: the entries waiting go on top and the list shows them (or, when the rows
        no longer reach the newest, the newest page is read again)."""
        if self.detached:
            self.reload()
            return
        for chunk in self.pending:
            self.model.add_newer(chunk)
        self.pending = []
        self.list.scrollToTop()
        self._show_status()
        self._show_pill()

    def _show_pill(self) -> None:
        waiting = sum(len(c.entries) for c in self.pending)
        if self.detached:
            self.pill.setText("Show newest")
        else:
            self.pill.setText(f"{waiting:,} new — show")
        self.pill.setVisible(self.detached or waiting > 0)

    def _scrolled(self, value: int) -> None:
        if self.pending and not self.detached and self.at_top():
            self.show_new()
        if self.detached and self.at_top():
            self._read_newer()
        bar = self.list.verticalScrollBar()
        if value >= bar.maximum() - 10 * ROW_PX and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())

    def _read_newer(self) -> None:
        """At the top of rows that do not reach the newest entry: read the page above."""
        cursor, query = self.model.newer_cursor, self.query
        if cursor is None or query is None or self._runner.is_running("logs-newer"):
            return
        work = partial(newer_page, self._services, self._session.principal, query, cursor)
        generation = self._generation
        done, failed = partial(self._newer, generation), partial(self._page_failed, generation)
        self._runner.run("logs-newer", work, done, failed)

    def _newer(self, generation: int, chunk: Chunk) -> None:
        """The page above goes on top; the rows on show stay where they are."""
        if generation != self._generation:
            return
        bar = self.list.verticalScrollBar()
        self.model.add_newer(chunk)
        self.list.doItemsLayout()  # the scroll range grows now, not at the next paint
        bar.setValue(bar.value() + len(chunk.entries) * ROW_PX)
        if len(chunk.entries) < PAGE:  # the newest entry is on top: follow from here
            self.detached, self.pending, self.model.live = False, [], True
            self._live_cursor = chunk.newer
        self._seen(chunk)
        self._show_status()
        self._show_pill()

    # ---- details ---------------------------------------------------------------------------

    def open_entry(self, index: QModelIndex) -> None:
        """The entry at ``index`` in full."""
        entry = self.model.entry(index.row())
        if entry is None:
            return
        self.details.show_entry(entry, self.model.tz)
        self.stack.setCurrentWidget(self.details)

    # ---- support bundle --------------------------------------------------------------------

    def open_bundle(self) -> None:
        """The stick choice for a support bundle."""
        self.stack.setCurrentWidget(self.sheet)
        self.sheet.look_for_sticks()

    def _bundle_started(self, title: str) -> None:
        self.show_list()
        self._say(f"{title}: started. Its progress shows at the top.", "ok")

    def _session_changed(self, _principal: Principal) -> None:
        """Someone else is at the screen: the bundle is for operators; read as them."""
        self.sheet.forget()
        may = self._session.why_not(Permission.SUPPORT_BUNDLE) is None
        self.bundle_button.setVisible(may)
        if self.stack.currentWidget() is self.sheet and not may:
            self.show_list()
        if self.isVisible():
            self.reload()
        else:  # read again, as them, when the tab shows
            self._forget_rows()


def _scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a vertical scroll area a finger can drag."""
    scroll = QScrollArea()
    scroll.setObjectName("logFilterScroll")
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    flick_to_scroll(scroll)
    return scroll
