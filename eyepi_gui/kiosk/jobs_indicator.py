"""The status bar's "a job runs" button: shown while any job is queued or running, from any
frontend; tapping it shows the newest one's progress strip."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QWidget

from eyepi_gui.domain.events import JobChanged
from eyepi_gui.domain.jobs import JobView
from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.services.station_services import StationServices

TOUCH_PX = 44
WORDY_PX = 1000
"""Windows this wide (px) and wider say "1 job running"; narrower ones "1 job" (the bar
is full at 800 px)."""


class JobsIndicator(QPushButton):
    """Counts the jobs going on: the list is fetched once (through the TaskRunner), then
    kept by the bridge's JobChanged events.

    Signals:
        job_wanted(job_id: str): tapped; the newest job going on should be shown.
        showing(shown: bool): emitted just before it shows and just after it hides (the
            status bar makes room first: showing resizes the window at once).
    """

    job_wanted = Signal(str)
    showing = Signal(bool)

    def __init__(
        self,
        services: StationServices,
        runner: TaskRunner,
        bridge: EventBridge,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("jobsIndicator")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMinimumHeight(TOUCH_PX)
        self.going: dict[str, JobView] = {}
        """Jobs queued or running, oldest first."""
        self._heard: set[str] | None = set()
        """Jobs heard of by event before the list came (None once it came)."""
        bridge.service_event.connect(self._on_event)
        self.clicked.connect(self._tapped)
        runner.run("jobs-going", partial(services.jobs.jobs), self._listed)
        self._show()

    def _listed(self, views: list[JobView]) -> None:
        heard, self._heard = self._heard or set(), None
        for view in reversed(views):  # oldest first; an event already heard is newer
            if view.job_id not in heard and not view.state.finished:
                self.going[view.job_id] = view
        self._show()

    def _on_event(self, event: object) -> None:
        if not isinstance(event, JobChanged):
            return
        view = event.view
        if self._heard is not None:
            self._heard.add(view.job_id)
        if view.state.finished:
            self.going.pop(view.job_id, None)
        else:
            self.going[view.job_id] = view
        self._show()

    def _show(self) -> None:
        count = len(self.going)
        text = "1 job" if count == 1 else f"{count} jobs"
        wide = self.window().width() >= WORDY_PX
        self.setText(f"{text} running" if wide else text)
        if count:
            self.setToolTip(next(reversed(self.going.values())).title)
            self.showing.emit(True)
        self.setVisible(count > 0)
        if not count:
            self.showing.emit(False)

    def refit(self) -> None:
        """Word it again for the window's width (after a resize)."""
        self._show()

    def _tapped(self) -> None:
        if self.going:
            self.job_wanted.emit(next(reversed(self.going)))
