"""A progress strip for one job: title, bar, items, bytes, rate, time left and Cancel.

It follows the job through the bridge's ``JobChanged`` events (at most a few a second) and
asks the service only through the TaskRunner, so other tabs keep working while it shows.
"""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QProgressBar, QPushButton, QWidget

from eyepi_gui.domain.events import JobChanged
from eyepi_gui.domain.jobs import JobProgress, JobState, JobView
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.formatting import bytes_text
from eyepi_gui.kiosk.messages import sentence
from eyepi_gui.kiosk.session import KioskSession
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.kiosk.widgets.text import plain_label, set_role
from eyepi_gui.services.station_services import StationServices

TOUCH_PX = 48
BAR_STEPS = 1000


def items_text(progress: JobProgress) -> str:
    """Items done: "12 of 40 items", "12 items" without a total, "" before the first."""
    done, total = progress.items_done, progress.items_total
    if total:
        return f"{done:,} of {total:,} items"
    return f"{done:,} items" if done else ""


def bytes_done_text(progress: JobProgress) -> str:
    """Bytes done: "1.2 GB of 3.4 GB", "120 MB" without a total, "" before the first."""
    done, total = progress.bytes_done, progress.bytes_total
    if total:
        return f"{bytes_text(done)} of {bytes_text(total)}"
    return bytes_text(done) if done else ""


def rate_text(progress: JobProgress) -> str:
    """The smoothed rate: "12 MB/s"; "" until measured."""
    return f"{bytes_text(round(progress.rate_bps))}/s" if progress.rate_bps > 0 else ""


def time_left_text(eta_s: float | None) -> str:
    """Time left: "45 s left", "12 min left", "2 h 5 min left"; "" when it cannot be told."""
    if eta_s is None:
        return ""
    seconds = round(eta_s)
    if seconds < 60:
        return f"{seconds} s left"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min left"
    return f"{minutes // 60} h {minutes % 60} min left"


def state_text(view: JobView) -> str:
    """What the job does now, or how it ended, for people."""
    if view.state is JobState.QUEUED:
        return "Waiting to start"
    if view.state is JobState.RUNNING:
        return view.progress.stage.capitalize() or "Running"
    if view.state is JobState.DONE:
        return view.result or "Done"
    if view.state is JobState.FAILED:
        return f"Failed: {view.error}"
    return view.error.capitalize() or "Cancelled"


class JobProgressStrip(QFrame):
    """Shows the job given to ``watch``; Cancel asks the service (as the kiosk's user) to
    stop it, and turns into Close once the job ended. Hidden until a job is watched."""

    def __init__(
        self,
        services: StationServices,
        runner: TaskRunner,
        bridge: EventBridge,
        session: KioskSession,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("jobProgress")
        self._services, self._runner, self._session = services, runner, session
        self.view: JobView | None = None
        self._job_id: str | None = None
        self._from_event = self._cancelling = False
        self.title = plain_label("", "jobTitle")
        self.state = plain_label("", "jobState", wrap=True)
        self.bar = QProgressBar()
        self.bar.setRange(0, BAR_STEPS)
        self.bar.setTextVisible(False)
        self.items, self.bytes = plain_label("", "jobItems"), plain_label("", "jobBytes")
        self.rate, self.left = plain_label("", "jobRate"), plain_label("", "jobLeft")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("jobCancel")
        self.cancel_button.setMinimumHeight(TOUCH_PX)
        self.cancel_button.clicked.connect(self._button)
        self._lay_out()
        bridge.service_event.connect(self._on_event)
        session.changed.connect(lambda _principal: self._show_button())
        self.hide()

    def _lay_out(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(8, 4, 8, 4)  # a slim strip: the screens keep the room
        grid.setVerticalSpacing(2)
        grid.addWidget(self.title, 0, 0, 1, 2)
        grid.addWidget(self.state, 0, 2, 1, 2)
        grid.addWidget(self.bar, 1, 0, 1, 4)
        for column, label in enumerate((self.items, self.bytes, self.rate, self.left)):
            grid.addWidget(label, 2, column)
        grid.addWidget(self.cancel_button, 0, 4, 3, 1, Qt.AlignmentFlag.AlignVCenter)

    def watch(self, job_id: str) -> None:
        """Show job ``job_id`` from now on (fetched once, then followed by its events)."""
        self.view, self._job_id = None, job_id
        self._from_event, self._cancelling = False, False
        fetch = partial(self._services.jobs.job, job_id)
        self._runner.run("job-watch", fetch, self._fetched, self._failed)
        self.show()

    def _fetched(self, view: JobView) -> None:
        if not self._from_event:  # an event that came first is newer than this answer
            self.show_job(view)

    def _on_event(self, event: object) -> None:
        if isinstance(event, JobChanged) and event.view.job_id == self._job_id:
            self._from_event = True
            self.show_job(event.view)

    def show_job(self, view: JobView) -> None:
        self.view = view
        progress = view.progress
        self.title.setText(view.title)
        cancelling = self._cancelling and not view.state.finished
        self.state.setText("Cancelling…" if cancelling else state_text(view))
        set_role(self.state, "error" if view.state is JobState.FAILED else "")
        fraction = 1.0 if view.state is JobState.DONE else progress.fraction
        self.bar.setRange(0, 0 if fraction is None and not view.state.finished else BAR_STEPS)
        self.bar.setValue(round((fraction or 0.0) * BAR_STEPS))
        self.items.setText(items_text(progress))
        self.bytes.setText(bytes_done_text(progress))
        going = not view.state.finished
        self.rate.setText(rate_text(progress) if going else "")
        self.left.setText(time_left_text(progress.eta_s) if going else "")
        for part in (self.bar, self.items, self.bytes, self.rate, self.left):
            part.setVisible(going)  # once ended, the result alone: a one-row strip
        self._show_button()

    def _show_button(self) -> None:
        view = self.view
        if view is None or view.state.finished:
            self.cancel_button.setText("Close")
            self.cancel_button.setEnabled(True)
            self.cancel_button.setToolTip("")
            return
        why_not = self._session.why_not(view.kind.permission)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setEnabled(why_not is None and not self._cancelling)
        self.cancel_button.setToolTip(why_not or "")

    def _button(self) -> None:
        view = self.view
        if view is None or view.state.finished:
            self.hide()
            return
        cancel = partial(self._services.jobs.cancel, self._session.principal, view.job_id)
        self._cancelling = True
        self.show_job(view)
        self._runner.run(f"job-cancel-{view.job_id}", cancel, None, self._failed)

    def _failed(self, error: Exception) -> None:
        self._cancelling = False
        self.state.setText(sentence(error))
        set_role(self.state, "error")
        self._show_button()
