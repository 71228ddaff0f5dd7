"""Access control in one place: every public service method says who may call it.

Each public method of a service carries one mark:

- ``@requires(Permission.X)``: takes a ``Principal`` first and refuses with ``Forbidden``
  unless that user's current role holds X;
- ``@reads``: shows state and changes nothing;
- ``@internal``: station lifecycle, called by the station itself, never by a frontend;
- ``@unauthenticated``: the few entry points that make a principal (login, first admin);
- ``@checks_itself``: the permission depends on what is asked about (a job's kind): the method
  takes a ``Principal`` first and calls ``access.authorize`` before it changes anything.

A test walks every service and fails on a public method without a mark.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from eyepi_gui.domain.access import Origin, Permission, Principal, Role, refusal
from eyepi_gui.errors import Forbidden
from eyepi_gui.ports import UserStore

ACCESS_MARK = "__eyepi_access__"
READS, INTERNAL, UNAUTHENTICATED = "reads", "internal", "unauthenticated"
CHECKS_ITSELF = "checks_itself"

P = ParamSpec("P")
R = TypeVar("R")
F = TypeVar("F", bound=Callable[..., object])


def _mark(kind: str) -> Callable[[F], F]:
    def mark(method: F) -> F:
        setattr(method, ACCESS_MARK, kind)
        return method

    return mark


reads = _mark(READS)
internal = _mark(INTERNAL)
unauthenticated = _mark(UNAUTHENTICATED)
checks_itself = _mark(CHECKS_ITSELF)


class AccessControl:
    """Decides with the user's role as stored now, so a demotion or a disabled account takes
    effect at once. CLI principals are trusted as given: whoever can run ``eyepi`` on the
    station's home can edit its files anyway."""

    def __init__(self, users: UserStore) -> None:
        self._users = users

    @reads
    def role_of(self, principal: Principal) -> Role | None:
        """The principal's role now, or None when nobody (or a removed, disabled user) asks."""
        if principal.username is None:
            return None
        if principal.origin is Origin.CLI:
            return principal.role
        account = self._users.get(principal.username)
        return None if account is None or account.disabled else account.role

    @reads
    def authorize(self, principal: Principal, permission: Permission) -> None:
        """Raises ``Forbidden`` with the reason unless ``principal`` holds ``permission``."""
        reason = refusal(self.role_of(principal), permission)
        if reason is not None:
            raise Forbidden(reason)


class Guarded(Protocol):
    """A service whose methods are guarded: it holds the station's access control."""

    @property
    def access(self) -> AccessControl: ...


S = TypeVar("S", bound=Guarded)


def requires(
    permission: Permission,
) -> Callable[
    [Callable[Concatenate[S, Principal, P], R]], Callable[Concatenate[S, Principal, P], R]
]:
    """Guard a method whose first argument is the ``Principal`` asking."""

    def wrap(
        method: Callable[Concatenate[S, Principal, P], R],
    ) -> Callable[Concatenate[S, Principal, P], R]:
        @functools.wraps(method)
        def checked(self: S, principal: Principal, /, *args: P.args, **kwargs: P.kwargs) -> R:
            self.access.authorize(principal, permission)
            return method(self, principal, *args, **kwargs)

        setattr(checked, ACCESS_MARK, permission)
        return checked

    return wrap


def mark_of(method: object) -> Permission | str | None:
    """The access mark of a method (a Permission or one of the kinds above), or None."""
    mark = getattr(method, ACCESS_MARK, None)
    return mark if isinstance(mark, (Permission, str)) else None
