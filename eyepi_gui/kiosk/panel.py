"""The panel contract: what every kiosk tab gets (``PanelContext``) and what the window calls
on it (``Panel``'s hooks).

Adding a tab takes two steps:

1. One file, ``eyepi_gui/kiosk/panels/<name>.py`` (or a package ``panels/<name>/`` when the
   panel has private widgets), with a ``Panel`` subclass built from a
   ``PanelContext``::

       class StoragePanel(Panel):
           def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
               super().__init__(context, parent)
               ...  # widgets; service calls only through context.runner

           def shown(self) -> None:  # the tab came on screen: fetch what it shows
               work = self.context.services.overview.health  # any blocking service call
               self.context.runner.refresh("storage", work, self._show, self._failed)

           def _show(self, health: StationHealth) -> None:  # typed: what ``work`` returned
               ...

           def _failed(self, error: Exception) -> None:
               self.note.setText(self.context.say(error))

   Widgets only this panel uses live beside it in its package (``panels/<name>/*.py``; panels
   never import each other); ``widgets/`` keeps what two or more panels share.
2. One row in ``eyepi_gui/kiosk/tabs.py``'s ``TABS``: name, short label, icon, and the panel
   as ``"module:Class"`` (imported when the tab is first shown, not at start-up).

The window builds a panel the first time its tab is shown, then calls ``station_started()``
if the cameras have already been looked for; ``shown()``/``hidden()`` each time the tab comes
on or leaves the screen; ``stop()`` once, when the kiosk closes. Tests reach a panel with
``window.panel(StoragePanel)`` and walk the tabs with ``window.tab_names()`` and
``window.show_tab(name)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from eyepi_gui.kiosk.bridge import EventBridge
from eyepi_gui.kiosk.messages import sentence
from eyepi_gui.kiosk.session import KioskSession
from eyepi_gui.kiosk.tasks import TaskRunner
from eyepi_gui.services.station_services import StationServices


@dataclass(frozen=True)
class PanelContext:
    """What every panel is given: the station's services (called only through ``runner``),
    the task runner, service events as Qt signals (``bridge``) and who is at the screen
    (``session``). ``watch_job(job_id)`` shows a job the panel started in the window's
    progress strip (nothing happens outside a window); ``show_camera(camera_id)`` brings
    the camera's card on screen (the Cameras tab; nothing outside a window)."""

    services: StationServices
    runner: TaskRunner
    bridge: EventBridge
    session: KioskSession
    watch_job: Callable[[str], None] = lambda _job_id: None
    show_camera: Callable[[str], None] = lambda _camera_id: None

    def parts(self) -> tuple[StationServices, TaskRunner, EventBridge, KioskSession]:
        """``services, runner, bridge, session = context.parts()`` for a panel's constructor."""
        return self.services, self.runner, self.bridge, self.session

    def say(self, error: BaseException) -> str:
        """The sentence the tech sees for ``error`` (see ``messages.sentence``)."""
        return sentence(error)


class Panel(QWidget):
    """Base of every kiosk tab. The hooks do nothing unless a panel needs them."""

    def __init__(self, context: PanelContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context

    def shown(self) -> None:
        """The tab came on screen (also right after it was built)."""

    def hidden(self) -> None:
        """The tab left the screen (another tab, the lock screen, the window hidden)."""

    def station_started(self) -> None:
        """The cameras have been looked for (once per start; right after building if later)."""

    def show_camera(self, camera_id: str) -> None:
        """Bring camera ``camera_id`` into view (the tab named ``tabs.CAMERA_TAB`` does)."""

    def stop(self) -> None:
        """The kiosk is closing: stop timers and feeds. Called once."""
