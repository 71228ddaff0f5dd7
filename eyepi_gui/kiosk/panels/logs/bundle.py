"""The Logs tab's "Support bundle…" sheet: a button per USB stick plugged in that can take
one (labels from the stick: plain text), Refresh and Cancel. The sticks are listed and the
bundle started through the TaskRunner; the bundle itself is a job
(``SupportBundles.to_stick``) that ends with the stick safe to remove, followed in the
window's progress strip (``PanelContext.watch_job``)."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from eyepi_gui.domain.jobs import JobView
from eyepi_gui.domain.volumes import Volume
from eyepi_gui.kiosk.panel import PanelContext
from eyepi_gui.kiosk.widgets.text import plain_label
from eyepi_gui.services.volumes import StationVolumes

NO_STICK = "No USB stick that can take a bundle is plugged in. Plug one in, then press Refresh."
INTRO = (
    "A support bundle holds the recent logs, the settings without passwords, the station's "
    "checks and versions. Pick the stick to write it to; it is ejected when done."
)


def writable(volume: Volume) -> bool:
    """Whether a bundle could be written there at all (the job checks the rest)."""
    return volume.has_medium and volume.fstype is not None and not volume.read_only


def stick_name(volume: Volume) -> str:
    return volume.label or " ".join(p for p in (volume.vendor, volume.model) if p) or "USB stick"


_KEYS = ("logs-sticks", "logs-bundle")


class BundleSheet(QWidget):
    """Signals: started(title: str): a bundle job was started (its title); cancelled()."""

    started = Signal(str)
    cancelled = Signal()

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("logBundleSheet")
        self.context = context
        self.buttons: dict[str, QPushButton] = {}
        self.title = plain_label("Support bundle", "sectionTitle", wrap=True)
        self.intro = plain_label(INTRO, "hint", wrap=True)
        self.status = plain_label("Looking for USB sticks…", "logBundleStatus", wrap=True)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.clicked.connect(self.look_for_sticks)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancelled)
        self._sticks = QVBoxLayout()
        column = QVBoxLayout(self)
        column.setContentsMargins(12, 8, 12, 8)
        for widget in (self.title, self.intro, self.status):
            column.addWidget(widget)
        column.addLayout(self._sticks)
        column.addStretch(1)
        column.addWidget(self.refresh_button)
        column.addWidget(self.cancel_button)

    def look_for_sticks(self) -> None:
        """List the sticks plugged in now (off the GUI thread)."""
        self.show_sticks((), None)
        self.show_problem("Looking for USB sticks…")
        work = self.context.services.volumes.volumes
        self.context.runner.run("logs-sticks", work, self._listed, self._not_listed)

    def forget(self) -> None:
        """Someone else is at the screen: drop the answers still on their way."""
        for key in _KEYS:
            self.context.runner.cancel(key)

    def write(self, device: str) -> None:
        """Start the bundle job for ``device``, as the person at the screen."""
        support, principal = self.context.services.support, self.context.session.principal
        work = partial(support.to_stick, principal, device)
        self.context.runner.run("logs-bundle", work, self._started, self._failed)

    def _listed(self, volumes: StationVolumes) -> None:
        self.show_sticks(volumes.removable, volumes.problem)

    def _not_listed(self, error: Exception) -> None:
        self.show_problem(f"USB sticks cannot be listed: {self.context.say(error)}")

    def _started(self, view: JobView) -> None:
        self.context.watch_job(view.job_id)
        self.started.emit(view.title)

    def _failed(self, error: Exception) -> None:
        self.show_problem(f"No support bundle written: {self.context.say(error)}")

    def show_sticks(self, sticks: tuple[Volume, ...], problem: str | None) -> None:
        """A "Write to <stick>" button for each stick that can take a bundle."""
        for button in self.buttons.values():
            button.deleteLater()
        self.buttons = {}
        for volume in (v for v in sticks if writable(v)):
            button = QPushButton(f"Write to {stick_name(volume)}")
            button.clicked.connect(lambda _=False, device=volume.device: self.write(device))
            self.buttons[volume.device] = button
            self._sticks.addWidget(button)
        if problem:
            self.status.setText(f"USB sticks cannot be listed: {problem}")
        else:
            self.status.setText("" if self.buttons else NO_STICK)
        self.status.setVisible(bool(self.status.text()))

    def show_problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))
