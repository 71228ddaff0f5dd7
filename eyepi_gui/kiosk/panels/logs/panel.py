"""The Logs tab: the station's log newest first, filtered as you type, followed live.

The search text and the filter page (``filters``) ask for a filter's newest page DEBOUNCE_MS
after each change; ``feed.LogFeed`` reads it, the older pages as the list is scrolled down,
the page above rows that do not reach the newest entry, and every FOLLOW_MS while the tab
shows what was written since, all on the TaskRunner. This panel shows the rows, says how
many there are, offers the "N new — show" / "Show newest" pill, puts a bad value under the
field it names, and shows an entry in full (with a link to its camera's card). Operators
and admins write a support bundle to a USB stick (``bundle``) as a job followed in the
window's progress strip.
"""

from __future__ import annotations

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
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.panels.logs.bundle import BundleSheet
from eyepi_gui.kiosk.panels.logs.details import EntryDetails
from eyepi_gui.kiosk.panels.logs.feed import LogFeed
from eyepi_gui.kiosk.panels.logs.filters import LogFilters
from eyepi_gui.kiosk.panels.logs.reading import Opened
from eyepi_gui.kiosk.panels.logs.rows import ROW_PX, LogRowDelegate
from eyepi_gui.kiosk.widgets.form_page import show_message
from eyepi_gui.kiosk.widgets.reflow import follow_width, text_beside_buttons
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, size_by_current_page

FOLLOW_MS = 500


class LogsPanel(Panel):
    """See the module. ``feed`` holds the rows and reads them; ``model`` is its model."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        services, runner, _bridge, session = context.parts()
        self.setObjectName("logsPanel")
        self._services, self._runner, self._session = services, runner, session
        self._build()
        self.follow_timer = QTimer(self, interval=FOLLOW_MS)
        self.follow_timer.timeout.connect(self.feed.follow)
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
        self.feed = LogFeed(self.context, self.list)
        self.model = self.feed.model
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
        self.feed.opened.connect(self._opened)
        self.feed.rows_added.connect(self._seen)
        self.feed.changed.connect(self._changed)
        self.feed.problem.connect(self._problem)
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
        if self.feed.query is None:
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

    # ---- reading (LogFeed) -----------------------------------------------------------------

    def reload(self) -> None:
        """Read the newest page of the filter as it is now."""
        self.filters.debounce.stop()
        self.status.setText("Reading the log…")
        self.feed.open(self.filters.values())

    def jump(self, at: str) -> None:
        """Show the entries written before the time ``at`` (as typed)."""
        self.status.setText("Reading the log…")
        self.feed.jump(self.filters.values(), at)

    def _opened(self, opened: object) -> None:
        if not isinstance(opened, Opened):
            return
        self.filters.tz = opened.tz
        self.filters.clear_problems()
        self._say(" ".join(opened.notes), "hint")

    def _problem(self, field: str, text: str) -> None:
        """Under the filter's field at fault, or above the list."""
        if field == "cursor":  # the log moved on past the rows read: start again
            self.reload()
            return
        if field and self.filters.show_problem(field, text):
            label = self.filters.problem_label(field)
            if self.stack.currentWidget() is self.options and label is not None:
                QTimer.singleShot(0, lambda: self.options.ensureWidgetVisible(label))
            self._show_status()
            return
        self._say(text)
        self._show_status()

    def _seen(self, entries: object) -> None:
        """Cameras and event kinds of new rows join the filter's choices."""
        if isinstance(entries, list):
            self.filters.add_events({e.event for e in entries})
            self.filters.set_cameras({e.camera for e in entries if e.camera})

    def _show_status(self) -> None:
        count, model = self.model.rowCount(), self.model
        if count == 0:
            text = "Reading on…" if model.fetching else "No entries match."
            text = "" if self.feed.query is None else text
        else:
            text = f"{count:,} entries" + (" · live" if self.feed.live_cursor else "")
        self.status.setText(text)

    def show_pill(self) -> None:
        """ "N new — show" while entries wait; "Show newest" while the rows do not reach
        the newest entry."""
        waiting, detached = self.feed.waiting(), self.feed.detached
        self.pill.setText("Show newest" if detached else f"{waiting:,} new — show")
        self.pill.setVisible(detached or waiting > 0)

    def _changed(self) -> None:
        self._show_status()
        self.show_pill()

    def show_new(self) -> None:
        """The pill: the entries waiting go on top, or the newest page is read again."""
        if self.feed.detached:
            self.reload()
        else:
            self.feed.show_new()

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
            self.feed.forget()


def _scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a vertical scroll area a finger can drag."""
    scroll = QScrollArea()
    scroll.setObjectName("logFilterScroll")
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(content)
    flick_to_scroll(scroll)
    return scroll
