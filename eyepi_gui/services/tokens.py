"""API tokens as a service: made by their user, shown once, stored hashed, revocable."""

from __future__ import annotations

import contextlib

from eyepi_gui.domain import tokens
from eyepi_gui.domain.access import Origin, Permission, Principal, allowed
from eyepi_gui.domain.tokens import ApiToken, TokenInfo
from eyepi_gui.errors import (
    Forbidden,
    InvalidInput,
    LoginFailed,
    NotFound,
    StorageError,
    Unavailable,
)
from eyepi_gui.ports import Clock, TokenStore, UserStore
from eyepi_gui.services.access import AccessControl, requires, unauthenticated
from eyepi_gui.services.audit import AuditLog

TOUCH_EVERY_S = 60.0
"""``last_used_at`` is written at most this often per token (a script may call every second)."""
INVALID = "invalid or revoked API token"


class ApiTokens:
    """A token acts as its user with the user's role of the moment; a disabled, removed or
    re-created account's old tokens stop working at once."""

    def __init__(
        self,
        store: TokenStore,
        users: UserStore,
        clock: Clock,
        audit: AuditLog,
        access: AccessControl,
    ) -> None:
        self._store, self._users, self._clock, self._audit = store, users, clock, audit
        self.access = access

    @requires(Permission.VIEW)
    def create(self, principal: Principal, name: str) -> tuple[TokenInfo, str]:
        """A new token for ``principal``'s own user: its info and the token text, which is
        never available again."""
        problem = tokens.name_problem(name)
        if problem is not None:
            raise InvalidInput("name", problem)
        token_id, secret = tokens.new_token()
        username = principal.username or ""
        account = self._users.get(username)
        if account is None:
            raise Forbidden("log in as an existing user to make tokens")
        token = ApiToken(
            token_id,
            username,
            name,
            tokens.digest(secret),
            self._clock.now(),
            account_created=account.created_at,
        )
        self._store.add(token, limit=tokens.TOKENS_PER_USER)
        self._audit.record(principal, "token_create", username, f"{token_id} ({name})")
        return TokenInfo.of(token), secret

    @requires(Permission.VIEW)
    def visible(self, principal: Principal) -> list[TokenInfo]:
        """Your own tokens; an admin sees everyone's (to revoke them)."""
        every = allowed(self.access.role_of(principal), Permission.MANAGE_USERS)
        found = self._store.of_user(None if every else principal.username)
        return [TokenInfo.of(token) for token in found]

    @requires(Permission.VIEW)
    def revoke(self, principal: Principal, token_id: str) -> None:
        """Delete one of your tokens (an admin: anyone's)."""
        mine = {t.token_id for t in self._store.of_user(principal.username)}
        admin = allowed(self.access.role_of(principal), Permission.MANAGE_USERS)
        if token_id not in mine and not admin:
            raise NotFound(f"no token {token_id!r}")
        token = self._store.remove(token_id)
        self._audit.record(principal, "token_revoke", token.username, token_id)

    @unauthenticated
    def authenticate(self, secret: str, address: str) -> Principal:
        """The principal a token stands for. Raises ``LoginFailed`` for anything else."""
        token = (
            self._store.by_digest(tokens.digest(secret))
            if tokens.looks_like_token(secret)
            else None
        )
        account = self._users.get(token.username) if token else None
        if token is None or account is None or account.created_at != token.account_created:
            raise LoginFailed(INVALID)
        if account.disabled:
            raise Forbidden("this account is disabled")
        now = self._clock.now()
        if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY_S:
            with contextlib.suppress(Unavailable, StorageError):  # a busy database: next time
                self._store.touch(token.token_id, now)
        return Principal(account.username, account.role, Origin.REMOTE, address)
