"""API tokens for scripts: plain data and rules. Only a token's SHA-256 digest is stored;
the secret is shown once, when it is made.

A token is ``eyepi_<id>_<secret>``: the id names it in lists and the audit trail, the secret
(32 random bytes) is what proves it. Random secrets of that size need no slow hash.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

PREFIX = "eyepi_"
NAME_MAX = 40
TOKENS_PER_USER = 20


@dataclass(frozen=True)
class ApiToken:
    """A stored token. Times are epoch seconds; ``digest`` is the SHA-256 hex of the token.
    ``account_created`` is its account's ``created_at``: an account removed and made again
    under the same name does not inherit the old account's tokens."""

    token_id: str
    username: str
    name: str
    digest: str
    created_at: float
    last_used_at: float | None = None
    account_created: float | None = None


@dataclass(frozen=True)
class TokenInfo:
    """What may be shown of a token: everything but its digest."""

    token_id: str
    username: str
    name: str
    created_at: float
    last_used_at: float | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenInfo:
        return cls(token.token_id, token.username, token.name, token.created_at, token.last_used_at)


def new_token() -> tuple[str, str]:
    """A fresh (token id, whole token text)."""
    token_id = secrets.token_hex(6)
    return token_id, f"{PREFIX}{token_id}_{secrets.token_urlsafe(32)}"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(text: str) -> bool:
    """Cheap shape check before any lookup (a header may hold anything)."""
    return text.startswith(PREFIX) and 30 < len(text) < 120 and text.isascii()


def name_problem(name: str) -> str | None:
    """Why ``name`` cannot label a token, or None: 1-40 printable characters."""
    if not name.strip():
        return "give the token a name (what script or machine uses it)"
    if len(name) > NAME_MAX:
        return f"at most {NAME_MAX} characters (this one has {len(name)})"
    if not name.isprintable():
        return "must not contain control characters or line breaks"
    if name != name.strip():
        return "must not start or end with spaces"
    return None
