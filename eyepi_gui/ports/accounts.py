"""Ports for accounts: users, audit, API tokens, password hashing, settings text."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from eyepi_gui.domain.access import Role
from eyepi_gui.domain.accounts import AuditEntry, UserAccount
from eyepi_gui.domain.tokens import ApiToken

if TYPE_CHECKING:
    pass


class TextStore(Protocol):
    """A text file written atomically with a last-known-good copy (station.toml)."""

    def read(self) -> str | None:
        """The file's text, or None when it does not exist. Raises ``StorageError`` for
        anything but a regular UTF-8 file within the store's size limit, never blocking."""
        ...

    def read_last_good(self) -> str | None:
        """The last-known-good copy's text, read as ``read`` reads."""
        ...

    def write(self, text: str) -> None:
        """Replace the file atomically (temp, fsync, rename, fsync dir) and keep it as good."""
        ...

    def mark_good(self, text: str) -> None:
        """Record ``text`` (the file as read and used whole) as last-known-good."""
        ...

    def quarantine(self) -> Path | None:
        """Move the current (bad) file aside; returns where it went."""
        ...

    def keep_copy(self) -> Path | None:
        """Copy the current file aside (before a save replaces one with problems); returns
        where the copy went, None when there is no file."""
        ...


class UserStore(Protocol):
    """User accounts (in state.db). Every call is one transaction. Once an admin exists, a
    change that would leave no enabled admin is refused (``InvalidInput``) and undone."""

    def create(self, account: UserAccount, *, only_if_empty: bool = False) -> None:
        """Add ``account``. Raises ``InvalidInput("username")`` when the name is taken, and
        ``Forbidden`` with ``only_if_empty`` when any user exists already."""
        ...

    def get(self, username: str) -> UserAccount | None: ...

    def all(self) -> list[UserAccount]:
        """Every account, by username."""
        ...

    def count(self) -> int: ...

    def update(
        self,
        username: str,
        changed_at: float,
        *,
        role: Role | None = None,
        disabled: bool | None = None,
        password_hash: str | None = None,
    ) -> UserAccount:
        """Change the given fields; returns the account as stored. Raises ``NotFound``, or
        ``InvalidInput("role")`` when no enabled admin would be left."""
        ...

    def remove(self, username: str) -> None:
        """Raises ``NotFound``, or ``InvalidInput("username")`` for the last enabled admin."""
        ...


class AuditTrail(Protocol):
    """The audit trail (in state.db): append-only."""

    def record(self, entry: AuditEntry) -> None:
        """Append; raises ``Unavailable`` while another process holds the database."""
        ...

    def recent(
        self, limit: int = 100, *, username: str | None = None, action: str | None = None
    ) -> list[AuditEntry]:
        """The newest entries first, optionally only one user's or one action's."""
        ...


class TokenStore(Protocol):
    """API tokens (in state.db), found by the digest of the token."""

    def add(self, token: ApiToken, *, limit: int) -> None:
        """Store ``token``; raises ``InvalidInput("name")`` when its user has ``limit``."""
        ...

    def by_digest(self, digest: str) -> ApiToken | None: ...

    def of_user(self, username: str | None) -> list[ApiToken]:
        """One user's tokens (every token when ``username`` is None), oldest first."""
        ...

    def remove(self, token_id: str) -> ApiToken:
        """Delete a token; returns it. Raises ``NotFound``."""
        ...

    def touch(self, token_id: str, at: float) -> None:
        """Record when the token was last used (epoch s)."""
        ...


class PasswordHasher(Protocol):
    """bcrypt. Passwords arrive already checked (at most 72 bytes, no NUL)."""

    def hash(self, password: str, cost: int) -> str: ...

    def verify(self, password: str, hashed: str) -> bool:
        """True when ``password`` matches; False (never an exception) for anything else,
        including a malformed hash or a password bcrypt cannot take."""
        ...

    def cost_of(self, hashed: str) -> int:
        """The work factor a hash was made with (0 when it cannot be read)."""
        ...
