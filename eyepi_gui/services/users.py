"""User accounts as a service: the first admin, adding, removing, roles and passwords."""

from __future__ import annotations

from collections.abc import Container

from eyepi_gui.domain.access import Origin, Permission, Principal, Role
from eyepi_gui.domain.accounts import (
    UserAccount,
    UserInfo,
    normalize_password,
    password_problem,
    username_problem,
)
from eyepi_gui.domain.events import UserChanged
from eyepi_gui.errors import Forbidden, InvalidInput
from eyepi_gui.ports import Clock, PasswordHasher, UserStore
from eyepi_gui.services.access import AccessControl, reads, requires, unauthenticated
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.login import LoginGate

ROLE_NAMES = ", ".join(role.value for role in Role)


def parse_role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise InvalidInput("role", f"use one of {ROLE_NAMES}") from None


class UserService:
    """No account exists until someone creates the first admin; every later change needs an
    admin, except changing your own password (which needs the current one)."""

    def __init__(
        self,
        users: UserStore,
        hasher: PasswordHasher,
        gate: LoginGate,
        config: SettingsService,
        clock: Clock,
        audit: AuditLog,
        bus: EventBus,
        common: Container[str],
        access: AccessControl,
    ) -> None:
        self._users, self._hasher, self._gate, self._config = users, hasher, gate, config
        self._clock, self._audit, self._bus, self._common = clock, audit, bus, common
        self.access = access

    @reads
    def needs_first_admin(self) -> bool:
        """True while no account exists: the kiosk shows its first-run screen."""
        return self._users.count() == 0

    @unauthenticated
    def create_first_admin(self, origin: Origin, username: str, password: str) -> Principal:
        """Create the first account, an admin, and log it in. Refused (``Forbidden``) once any
        account exists, even when two screens try at the same moment."""
        if not self.needs_first_admin():
            raise Forbidden("the station has accounts already; an admin adds new ones")
        account = self._new_account(username, password, Role.ADMIN)
        self._users.create(account, only_if_empty=True)
        principal = Principal(account.username, Role.ADMIN, origin)
        self._changed(principal, "user_add", account.username, "added as the first admin")
        return principal

    @requires(Permission.VIEW)
    def users(self, principal: Principal) -> list[UserInfo]:
        return [UserInfo.of(account) for account in self._users.all()]

    @requires(Permission.MANAGE_USERS)
    def add_user(
        self, principal: Principal, username: str, password: str, role: Role | str
    ) -> UserInfo:
        account = self._new_account(username, password, parse_role(role))
        self._users.create(account)
        self._changed(principal, "user_add", username, f"added as {account.role}")
        return UserInfo.of(account)

    @requires(Permission.MANAGE_USERS)
    def remove_user(self, principal: Principal, username: str) -> None:
        self._users.remove(username)
        self._changed(principal, "user_remove", username, "removed")

    @requires(Permission.MANAGE_USERS)
    def set_role(self, principal: Principal, username: str, role: Role | str) -> UserInfo:
        new_role = parse_role(role)
        account = self._users.update(username, self._clock.now(), role=new_role)
        self._changed(principal, "user_role", username, f"role set to {new_role}")
        return UserInfo.of(account)

    @requires(Permission.MANAGE_USERS)
    def set_disabled(self, principal: Principal, username: str, disabled: bool) -> UserInfo:
        account = self._users.update(username, self._clock.now(), disabled=disabled)
        self._changed(principal, "user_disable", username, "disabled" if disabled else "enabled")
        return UserInfo.of(account)

    @requires(Permission.MANAGE_USERS)
    def reset_password(self, principal: Principal, username: str, password: str) -> None:
        """An admin sets someone's password (the old one is not needed)."""
        new_hash = self._hash(username, password)
        self._users.update(username, self._clock.now(), password_hash=new_hash)
        self._changed(principal, "password_reset", username, "password reset")

    @requires(Permission.CHANGE_OWN_PASSWORD)
    def change_password(self, principal: Principal, current: str, new: str) -> None:
        """Change your own password: the current one is checked first, under login limits."""
        username = principal.username or ""
        new_hash = self._hash(username, new)
        self._gate.confirm(principal, current)
        self._users.update(username, self._clock.now(), password_hash=new_hash)
        self._changed(principal, "password_change", username, "changed own password")

    def _new_account(self, username: str, password: str, role: Role) -> UserAccount:
        problem = username_problem(username)
        if problem is not None:
            raise InvalidInput("username", problem)
        now = self._clock.now()
        return UserAccount(username, role, self._hash(username, password), now, now)

    def _hash(self, username: str, password: str) -> str:
        problem = password_problem(password, username, self._common)
        if problem is not None:
            raise InvalidInput("password", problem)
        cost = self._config.current().security.bcrypt_cost
        return self._hasher.hash(normalize_password(password), cost)

    def _changed(self, principal: Principal, action: str, username: str, detail: str) -> None:
        self._audit.record(principal, action, username, detail)
        by = principal.username or "first run"
        self._bus.publish(UserChanged(username, detail, by))
