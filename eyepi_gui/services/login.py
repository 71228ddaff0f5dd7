"""Logging in: limits checked before bcrypt runs, the same cost for unknown users."""

from __future__ import annotations

import logging
import threading
from typing import NoReturn

from eyepi_gui.domain.access import Origin, Principal
from eyepi_gui.domain.accounts import UserAccount, normalize_password, username_problem
from eyepi_gui.domain.events import LoginAttempt
from eyepi_gui.domain.login_limits import ACCOUNT_LIMITS, SOURCE_LIMITS, FailureCounter
from eyepi_gui.errors import LoginFailed, StorageError, TooManyAttempts, Unavailable
from eyepi_gui.ports import Clock, PasswordHasher, UserStore
from eyepi_gui.services.access import AccessControl, internal, unauthenticated
from eyepi_gui.services.audit import LOGIN_FAILED, AuditLog
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus

_log = logging.getLogger("eyepi.login")
WRONG = "wrong username or password"
_DUMMY_PASSWORD = "eyepi-no-such-user"  # noqa: S105 - hashed once, so unknown users cost a check


def shown_name(typed: str) -> str:
    """A typed username as it may be logged: escaped when it is not a valid name."""
    return typed if username_problem(typed) is None else ascii(typed)[:80]


class LoginGate:
    """Checks passwords. Failed attempts are counted per account and per source, each within
    its origin, and refused before bcrypt runs once a limit is reached."""

    def __init__(
        self,
        users: UserStore,
        hasher: PasswordHasher,
        config: SettingsService,
        clock: Clock,
        audit: AuditLog,
        bus: EventBus,
        access: AccessControl,
    ) -> None:
        self._users, self._hasher, self._config = users, hasher, config
        self._clock, self._audit, self._bus, self.access = clock, audit, bus, access
        self._accounts = FailureCounter(ACCOUNT_LIMITS)
        self._sources = FailureCounter(SOURCE_LIMITS)
        self._lock = threading.Lock()
        self._dummy: tuple[int, str] | None = None

    @unauthenticated
    def login(self, origin: Origin, username: str, password: str, address: str = "") -> Principal:
        """The principal for a correct password. Raises ``TooManyAttempts`` (checked first),
        ``LoginFailed``, and ``Unavailable`` within about a second when the account
        cannot be read (another process holds state.db). Unknown and badly formed names cost
        one bcrypt check too. The audit entry never delays the answer (deferred writes)."""
        asker = Principal.anonymous(origin, address)
        account = self._check(asker, username, password)
        principal = Principal(account.username, account.role, origin, address)
        self._rehash_if_needed(account, password)
        self._audit.record(principal, "login", account.username)
        self._bus.publish(LoginAttempt(account.username, origin, address, True, ""))
        return principal

    @internal
    def confirm(self, principal: Principal, password: str) -> None:
        """Check ``principal``'s own password again (before changing it), under the same
        limits as a login. Raises ``TooManyAttempts`` or ``LoginFailed``."""
        self._check(principal, principal.username or "", password)

    def _check(self, asker: Principal, username: str, password: str) -> UserAccount:
        keys = self._keys(asker, username)
        self._refuse_if_limited(asker, username, keys)
        valid_name = username_problem(username) is None
        account = self._users.get(username) if valid_name else None
        text = normalize_password(password)
        hashed = account.password_hash if account else self._dummy_hash()
        matches = self._hasher.verify(text, hashed) and account is not None
        if account is None or not matches:
            self._fail(asker, username, keys, WRONG)
        elif account.disabled:
            self._fail(asker, username, keys, "this account is disabled")
        with self._lock:
            self._accounts.clear(keys[0])
        return account

    def _keys(self, asker: Principal, username: str) -> tuple[str, str]:
        return f"{asker.origin}:{username}", f"{asker.origin}:{asker.address}"

    def _refuse_if_limited(self, asker: Principal, username: str, keys: tuple[str, str]) -> None:
        now = self._clock.now()
        with self._lock:
            wait = max(self._accounts.wait_s(keys[0], now), self._sources.wait_s(keys[1], now))
        if wait > 0:
            error = TooManyAttempts(wait)
            self._report_failure(asker, username, str(error))
            raise error

    def _fail(
        self, asker: Principal, username: str, keys: tuple[str, str], reason: str
    ) -> NoReturn:
        now = self._clock.now()
        with self._lock:
            self._accounts.add(keys[0], now)
            self._sources.add(keys[1], now)
        self._report_failure(asker, username, reason)
        raise LoginFailed(reason)

    def _report_failure(self, asker: Principal, username: str, reason: str) -> None:
        name = shown_name(username)
        self._audit.record(asker, LOGIN_FAILED, name, reason, ok=False)
        self._bus.publish(LoginAttempt(name, asker.origin, asker.address, False, reason))

    def _cost(self) -> int:
        return self._config.current().security.bcrypt_cost

    def _dummy_hash(self) -> str:
        cost = self._cost()
        with self._lock:
            dummy = self._dummy
        if dummy is None or dummy[0] != cost:
            dummy = (cost, self._hasher.hash(_DUMMY_PASSWORD, cost))
            with self._lock:
                self._dummy = dummy
        return dummy[1]

    def _rehash_if_needed(self, account: UserAccount, password: str) -> None:
        """Bring an old hash up to the configured cost while the password is at hand; a
        busy database leaves it for the next login rather than failing this one."""
        cost = self._cost()
        if self._hasher.cost_of(account.password_hash) != cost:
            new_hash = self._hasher.hash(normalize_password(password), cost)
            try:
                self._users.update(account.username, self._clock.now(), password_hash=new_hash)
            except (Unavailable, StorageError) as err:
                _log.warning("password hash of %s not upgraded: %s", account.username, err)
