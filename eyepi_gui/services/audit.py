"""The audit trail as a service: who did what, from where, when."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from eyepi_gui.domain.access import Permission, Principal, allowed
from eyepi_gui.domain.accounts import AuditEntry
from eyepi_gui.ports import AuditTrail, Clock
from eyepi_gui.services.access import AccessControl, internal, requires
from eyepi_gui.services.deferred_writes import DeferredWrites

TARGET_MAX = 120
"""Longest target or detail text kept, in characters (a typed username may be anything)."""
LOGIN_FAILED = "login_failed"
TYPED_NAME_HIDDEN = "(hidden)"
"""Shown instead of the name typed at a failed login to anyone who may not manage users: it
may be a password typed into the wrong field."""


def _clip(text: str) -> str:
    return text if len(text) <= TARGET_MAX else text[: TARGET_MAX - 1] + "…"


class AuditLog:
    """Records actions of principals and lets any logged-in user read them back; only admins
    (``MANAGE_USERS``) see what was typed as the username of a failed login."""

    def __init__(
        self,
        trail: AuditTrail,
        clock: Clock,
        access: AccessControl,
        writes: DeferredWrites | None = None,
    ) -> None:
        self._trail, self._clock, self.access = trail, clock, access
        self._writes = writes or DeferredWrites()

    @internal
    def record(
        self, principal: Principal, action: str, target: str = "", detail: str = "", ok: bool = True
    ) -> None:
        """Append one entry; never raises and never waits long: while state.db is busy or
        refuses the write, the entry waits in the station's queue of deferred writes (the
        action itself has happened and must not be reported as failed)."""
        entry = AuditEntry(
            at=self._clock.now(),
            username=principal.username or "",
            role=str(principal.role or ""),
            origin=principal.origin,
            address=principal.address,
            action=action,
            target=_clip(target),
            detail=_clip(detail),
            ok=ok,
        )
        self._writes.submit(f"audit entry {entry!r}", partial(self._trail.record, entry))

    @requires(Permission.VIEW)
    def recent(
        self,
        principal: Principal,
        limit: int = 100,
        *,
        username: str | None = None,
        action: str | None = None,
    ) -> list[AuditEntry]:
        """The newest entries first (at most ``limit``), optionally of one user or action."""
        entries = self._trail.recent(limit, username=username, action=action)
        if allowed(self.access.role_of(principal), Permission.MANAGE_USERS):
            return entries
        return [
            replace(entry, target=TYPED_NAME_HIDDEN) if entry.action == LOGIN_FAILED else entry
            for entry in entries
        ]
