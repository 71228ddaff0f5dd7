"""The audit trail as a service: who did what, from where, when."""

from __future__ import annotations

import logging

from eyepi_gui.domain.access import Permission, Principal
from eyepi_gui.domain.accounts import AuditEntry
from eyepi_gui.errors import StorageError
from eyepi_gui.ports import AuditTrail, Clock
from eyepi_gui.services.access import AccessControl, internal, requires

_log = logging.getLogger("eyepi.audit")
TARGET_MAX = 120
"""Longest target or detail text kept, in characters (a typed username may be anything)."""


def _clip(text: str) -> str:
    return text if len(text) <= TARGET_MAX else text[: TARGET_MAX - 1] + "…"


class AuditLog:
    """Records actions of principals and lets any logged-in user read them back."""

    def __init__(self, trail: AuditTrail, clock: Clock, access: AccessControl) -> None:
        self._trail, self._clock, self.access = trail, clock, access

    @internal
    def record(
        self, principal: Principal, action: str, target: str = "", detail: str = "", ok: bool = True
    ) -> None:
        """Append one entry. A full or failing disk is logged, never raised: the action itself
        has already happened and must not be reported as failed."""
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
        try:
            self._trail.record(entry)
        except StorageError as err:
            _log.error("audit entry lost: %s", err, extra={"event": "audit_failed"})

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
        return self._trail.recent(limit, username=username, action=action)
