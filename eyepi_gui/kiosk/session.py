"""Who is using the touchscreen now, and when it locks itself.

The session only mirrors the service layer's decisions for the screen (which buttons to
enable, why not); every service call still checks the principal itself.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

from eyepi_gui.domain.access import Origin, Permission, Principal, refusal

IDLE_CHECK_MS = 1000
_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.KeyPress,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.Wheel,
    }
)
ANONYMOUS = Principal.anonymous(Origin.KIOSK)


class KioskSession(QObject):
    """The principal of the touchscreen (anonymous while locked) and the idle auto-lock.

    Signals:
        changed(principal: Principal): someone logged in, or the screen locked (anonymous).
    """

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.principal: Principal = ANONYMOUS
        self.auto_lock_s = 0
        self.viewer_when_locked = False
        self._last_input = time.monotonic()
        self._idle = QTimer(self, interval=IDLE_CHECK_MS)
        self._idle.timeout.connect(self._check_idle)
        self._idle.start()

    @property
    def locked(self) -> bool:
        return self.principal.username is None

    def log_in(self, principal: Principal) -> None:
        self.principal = principal
        self.touch()
        self.changed.emit(principal)

    def lock(self) -> None:
        if not self.locked:
            self.principal = ANONYMOUS
            self.changed.emit(ANONYMOUS)

    def why_not(self, permission: Permission) -> str | None:
        """Why the person at the screen may not use ``permission`` (None when they may)."""
        return refusal(self.principal.role, permission)

    def configure(self, auto_lock_s: int, viewer_when_locked: bool) -> None:
        """Apply the security settings (idle seconds before locking, 0 = never)."""
        changed = viewer_when_locked != self.viewer_when_locked
        self.auto_lock_s, self.viewer_when_locked = auto_lock_s, viewer_when_locked
        if changed and self.locked:
            self.changed.emit(self.principal)

    def touch(self) -> None:
        """Someone used the screen: the idle time starts again."""
        self._last_input = time.monotonic()

    def idle_s(self) -> float:
        return time.monotonic() - self._last_input

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Installed on the kiosk's window: any touch, click or key counts as activity."""
        if event.type() in _INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _check_idle(self) -> None:
        if self.auto_lock_s and not self.locked and self.idle_s() >= self.auto_lock_s:
            self.lock()

    def stop(self) -> None:
        self._idle.stop()
