"""The event bus: every service event is logged once and handed to every subscriber."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from eyepi_gui.domain.events import Event
from eyepi_gui.services.access import internal, reads

Handler = Callable[[Event], None]
_log = logging.getLogger("eyepi.events")


class EventBus:
    """Synchronous publish/subscribe. Handlers run on the publisher's thread and must be quick;
    the kiosk bridges them to queued Qt signals. A failing handler never stops the others."""

    def __init__(self) -> None:
        self._handlers: list[Handler] = []
        self._lock = threading.Lock()

    @reads
    def subscribe(self, handler: Handler) -> Callable[[], None]:
        """Add ``handler``; returns a function that removes it again."""
        with self._lock:
            self._handlers.append(handler)

        def unsubscribe() -> None:
            with self._lock:
                if handler in self._handlers:
                    self._handlers.remove(handler)

        return unsubscribe

    @internal
    def publish(self, event: Event) -> None:
        _log.log(
            event.level, event.message(), extra={"event": event.kind, "fields": event.fields()}
        )
        with self._lock:
            handlers = list(self._handlers)
        for handler in handlers:
            try:
                handler(event)
            except Exception:
                _log.exception("event handler failed", extra={"event": "handler_failed"})
