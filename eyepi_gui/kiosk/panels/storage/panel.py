"""The Storage tab: how long the data disk lasts, USB drives with export, eject and a
support bundle, the exports made, the capture browser, and (from another branch) retention.

Everyone logged in sees the disk, the drives, the history and the images; operators and
admins export, eject and write support bundles. The service decides; the panel hides what
the person at the screen may not use and says why. Every service call runs through the
TaskRunner: the disk and the drives are read when the tab shows, every 5 s while it shows
and when a job ends; an export, eject or support bundle runs as a job the window's progress
strip follows (``context.watch_job``), and its result ("... safe to remove") is shown here
too when it ends.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.events import CaptureDone, JobChanged
from eyepi_gui.domain.export import EXPORT_JOB, ExportRecord
from eyepi_gui.domain.jobs import JobState, JobView
from eyepi_gui.kiosk.panel import Panel, PanelContext
from eyepi_gui.kiosk.panels.storage.captures import BrowseSection
from eyepi_gui.kiosk.panels.storage.disk import DataDiskSection
from eyepi_gui.kiosk.panels.storage.drives import DrivesSection
from eyepi_gui.kiosk.panels.storage.export_sheet import ExportSheet
from eyepi_gui.kiosk.panels.storage.history import HistorySection
from eyepi_gui.kiosk.panels.storage.retention import RetentionSection
from eyepi_gui.kiosk.panels.storage.view import StorageView, fetch_history, fetch_view
from eyepi_gui.kiosk.widgets.capture_browser import CaptureBrowserView
from eyepi_gui.kiosk.widgets.form_page import problems_of, show_message
from eyepi_gui.kiosk.widgets.text import flick_to_scroll, plain_label, size_by_current_page

REFRESH_MS = 5000
ENDED_KEPT = 20
_ACTIONS = ("storage-export", "storage-eject", "storage-bundle")
"""Task keys of changes: dropped when someone else comes to the screen."""
ACCESS_NOTE = "Operators and admins export images, eject drives and write support bundles."


class StoragePanel(Panel):
    """See the module. ``view`` is what was last shown (None before the first refresh);
    ``started`` the jobs started here, whose end is reported on the tab."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        services, runner, bridge, session = context.parts()
        self.setObjectName("storagePanel")
        self._services, self._runner, self._session = services, runner, session
        self.view: StorageView | None = None
        self.started: dict[str, str] = {}
        """Job id -> title of the exports, ejects and bundles started from this tab."""
        self._ended: dict[str, JobView] = {}
        """The last jobs heard to end (a quick eject may end before its start is answered)."""
        self.browser: CaptureBrowserView | None = None
        self._build()
        self.timer = QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._connect()
        bridge.service_event.connect(self._on_event)
        session.changed.connect(self._session_changed)
        self._session_changed(session.principal)

    # ---- building --------------------------------------------------------------------------

    def _build(self) -> None:
        self.message = plain_label("", "storageMessage", wrap=True)
        self.message.hide()
        self.access_note = plain_label("", wrap=True)
        self.disk, self.drives = DataDiskSection(), DrivesSection()
        self.browse, self.history = BrowseSection(), HistorySection()
        self.retention = RetentionSection(self.context)
        self.retention.job_started.connect(self.context.watch_job)
        self.overview = self._overview()
        self.sheet = ExportSheet()
        self.stack = QStackedWidget()
        for page in (self.overview, self.sheet):
            self.stack.addWidget(page)
        size_by_current_page(self.stack)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.stack)

    def _overview(self) -> QScrollArea:
        content = QWidget()
        content.setObjectName("storageOverview")
        column = QVBoxLayout(content)
        column.setContentsMargins(16, 8, 12, 12)
        column.setSpacing(10)
        for widget in (self.message, self.access_note, self.disk, self.drives, self.browse):
            column.addWidget(widget)
        column.addWidget(self.retention)
        column.addWidget(self.history)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("storageScroll")
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        flick_to_scroll(scroll)
        return scroll

    def _connect(self) -> None:
        self.drives.refresh_requested.connect(self.refresh)
        self.drives.export_requested.connect(self.open_export)
        self.drives.eject_requested.connect(self.eject)
        self.drives.bundle_requested.connect(self.write_bundle)
        self.sheet.submitted.connect(self._start_export)
        self.sheet.cancelled.connect(self.show_overview)
        self.browse.browse_requested.connect(self.open_browser)

    # ---- showing ---------------------------------------------------------------------------

    def shown(self) -> None:
        self.timer.start()
        self.refresh()
        self.refresh_history()

    def hidden(self) -> None:
        self.timer.stop()

    def stop(self) -> None:
        self.timer.stop()
        if self.browser is not None:
            self.browser.stop()

    def refresh(self) -> None:
        """Read the disk, the forecast, the drives and the cameras off the GUI thread."""
        work = partial(fetch_view, self._services)
        self._runner.refresh("storage-view", work, self.show_view, self._view_failed)

    def refresh_history(self) -> None:
        work = partial(fetch_history, self._services)
        self._runner.refresh("storage-history", work, self._show_history, self._history_failed)

    def show_view(self, view: StorageView) -> None:
        self.view = view
        if view.forecast is None:
            self.disk.show_problem(view.forecast_problem)
        else:
            self.disk.show_forecast(view.forecast, {c.camera_id: c.name for c in view.cameras})
        self.drives.show_drives(view.volumes.removable, view.volumes.problem)
        self.browse.show_cameras(view.cameras)

    def _view_failed(self, error: Exception) -> None:
        self.disk.show_problem(self.context.say(error))

    def _show_history(self, result: tuple[list[ExportRecord], tzinfo]) -> None:
        self.history.show_history(*result)

    def _history_failed(self, error: Exception) -> None:
        self.history.show_problem(self.context.say(error))

    def show_overview(self, text: str = "", role: str = "ok") -> None:
        self.stack.setCurrentWidget(self.overview)
        self.show_message(text, role)

    def show_message(self, text: str, role: str = "ok") -> None:
        """A message at the top of the overview, scrolled into view."""
        show_message(self.message, text, role)
        if text:
            self.overview.ensureWidgetVisible(self.message)

    def _on_event(self, event: object) -> None:
        if isinstance(event, JobChanged) and event.view.state.finished:
            self._job_ended(event.view)
        browsing = self.browser is not None and self.stack.currentWidget() is self.browser
        if isinstance(event, CaptureDone) and browsing and self.browser is not None:
            self.browser.capture_landed(event.camera_id)

    def _job_ended(self, view: JobView) -> None:
        """An export or eject ended: say how when it was started here; read again."""
        self._ended[view.job_id] = view
        while len(self._ended) > ENDED_KEPT:
            del self._ended[next(iter(self._ended))]
        if self.started.pop(view.job_id, None) is not None:
            done = view.state is JobState.DONE
            text = f"{view.title}: {view.result}." if done else f"{view.title}: {view.error}."
            self.show_message(text, "ok" if done else "error")
        if view.kind == EXPORT_JOB and self.isVisible():
            self.refresh()
            self.refresh_history()

    def _session_changed(self, _principal: Principal) -> None:
        """Someone else is at the screen: drop a half-filled sheet and changes on their way."""
        for key in _ACTIONS:
            self._runner.cancel(key)
        may = self._session.why_not(Permission.EXPORT) is None
        self.drives.set_allowed(may, self._session.why_not(Permission.SUPPORT_BUNDLE) is None)
        show_message(self.access_note, "" if may else ACCESS_NOTE, "note")
        if self.stack.currentWidget() is self.sheet:
            self.show_overview()

    # ---- export and eject ------------------------------------------------------------------

    def open_export(self, device: str) -> None:
        """The export sheet for ``device`` (as listed now)."""
        volume, view = self.drives.volume(device), self.view
        if volume is None or view is None:
            return
        self.show_message("")
        today = datetime.now(view.tz).date()
        self.sheet.open_for(volume, view.cameras, today)
        self.stack.setCurrentWidget(self.sheet)

    def _start_export(
        self, device: str, cameras: object, first: str, last: str, not_exported: bool
    ) -> None:
        if not isinstance(cameras, tuple) or not cameras:
            return  # the sheet names at least one (none would mean every camera)
        self.sheet.set_busy(True)
        export = partial(self._services.export.export, self._session.principal, device)
        work = partial(export, cameras, first or None, last or None, not_exported)
        self._runner.run("storage-export", work, self._job_started, self._export_failed)

    def _export_failed(self, error: Exception) -> None:
        self.sheet.set_busy(False)
        self.sheet.show_problems(problems_of(error))

    def eject(self, device: str) -> None:
        self.show_message("")
        work = partial(self._services.export.eject, self._session.principal, device)
        self._runner.run("storage-eject", work, self._job_started, self._eject_failed)

    def _eject_failed(self, error: Exception) -> None:
        self.show_message(f"Not ejected: {self.context.say(error)}", "error")

    def write_bundle(self, device: str) -> None:
        """A support bundle to the stick, as a job that ends with the stick ejected."""
        self.show_message("")
        work = partial(self._services.support.to_stick, self._session.principal, device)
        self._runner.run("storage-bundle", work, self._job_started, self._bundle_failed)

    def _bundle_failed(self, error: Exception) -> None:
        self.show_message(f"No support bundle written: {self.context.say(error)}", "error")

    def _job_started(self, view: JobView) -> None:
        """An export, eject or support bundle was queued: follow it in the progress strip."""
        self.started[view.job_id] = view.title
        self.context.watch_job(view.job_id)
        self.show_overview(f"{view.title}: started. Its progress shows at the top.")
        if (ended := self._ended.get(view.job_id)) is not None:  # it ended before this answer
            self._job_ended(ended)

    # ---- the capture browser ---------------------------------------------------------------

    def open_browser(self, camera_id: str, name: str) -> None:
        """The camera's kept images (built on first use)."""
        if self.browser is None:
            self.browser = CaptureBrowserView(self._services, self._runner, self)
            self.browser.closed.connect(self.show_overview)
            self.stack.addWidget(self.browser)
        self.browser.open_camera(camera_id, name)
        self.stack.setCurrentWidget(self.browser)
