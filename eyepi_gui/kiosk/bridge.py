"""Service events as a Qt signal on the GUI thread."""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal

from eyepi_gui.domain.events import Event
from eyepi_gui.services.events import EventBus


class EventBridge(QObject):
    """Subscribes to the station's event bus and re-emits every event on the GUI thread.

    Bus handlers run on the publisher's (worker) thread; the bridge only queues the event there,
    so a slow kiosk never holds up a capture.

    Signals:
        service_event(event: Event): a service event, delivered on the bridge's (GUI) thread.
        received(event: Event): internal, emitted on the publisher's thread, received queued.
    """

    service_event = Signal(object)
    received = Signal(object)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.received.connect(self._relay, Qt.ConnectionType.QueuedConnection)
        self._unsubscribe: Callable[[], None] | None = bus.subscribe(self._on_bus_event)

    def close(self) -> None:
        """Unsubscribe from the bus; events already queued are dropped."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    @property
    def closed(self) -> bool:
        return self._unsubscribe is None

    def _on_bus_event(self, event: Event) -> None:
        # RuntimeError: the bridge was deleted after the bus took its snapshot of handlers.
        with contextlib.suppress(RuntimeError):
            self.received.emit(event)

    def _relay(self, event: object) -> None:
        if not self.closed:
            self.service_event.emit(event)
