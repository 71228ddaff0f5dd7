"""User accounts and audit entries as plain data, and the rules for usernames and passwords.

Rules are checked character by character, so every refusal names what is wrong ("uppercase
letter 'A'", "invisible character U+200B") instead of only repeating the pattern.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Container
from dataclasses import dataclass

from eyepi_gui.domain.access import Origin, Role

USERNAME_MAX = 32
PASSWORD_MIN_CHARS = 10
PASSWORD_MAX_BYTES = 72
"""bcrypt uses only the first 72 bytes; longer passwords are refused, never truncated."""
_USERNAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_.-")


@dataclass(frozen=True)
class UserAccount:
    """One user. Times are epoch seconds; ``password_hash`` is a bcrypt hash, never shown."""

    username: str
    role: Role
    password_hash: str
    created_at: float
    changed_at: float
    disabled: bool = False


@dataclass(frozen=True)
class UserInfo:
    """What frontends may see of an account: everything but the password hash."""

    username: str
    role: Role
    created_at: float
    changed_at: float
    disabled: bool

    @classmethod
    def of(cls, account: UserAccount) -> UserInfo:
        return cls(
            account.username, account.role, account.created_at, account.changed_at, account.disabled
        )


@dataclass(frozen=True)
class AuditEntry:
    """Who did what, from where, when (epoch s). ``username`` is "" for anonymous attempts."""

    at: float
    username: str
    role: str
    origin: Origin
    address: str
    action: str
    target: str
    detail: str
    ok: bool = True


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    if unicodedata.category(char) in ("Cf", "Cc", "Zl", "Zp"):
        return f"invisible or control character {code}"
    if char.isspace():
        return "spaces"
    if char.isupper():
        return f"uppercase letter {char!r} (usernames are lower case)"
    return f"character {char!r} ({code})"


def username_problem(name: str) -> str | None:
    """Why ``name`` cannot be a username, or None. Allowed: a-z 0-9 _ . - (1-32)."""
    if not name:
        return "enter a username"
    for char in name:
        if char not in _USERNAME_CHARS:
            return f"{_describe(char)} not allowed; use a-z, 0-9, '_', '.' and '-'"
    if len(name) > USERNAME_MAX:
        return f"at most {USERNAME_MAX} characters (this one has {len(name)})"
    if not any(char.isalnum() for char in name):
        return "must contain a letter or a digit"
    return None


def normalize_password(password: str) -> str:
    """The form a password is hashed in (NFC), so the same text typed on different keyboards
    gives the same bytes."""
    return unicodedata.normalize("NFC", password)


def password_problem(password: str, username: str, common: Container[str]) -> str | None:
    """Why ``password`` may not be set for ``username``, or None. ``common`` holds common
    passwords in lower case."""
    text = normalize_password(password)
    if len(text) < PASSWORD_MIN_CHARS:
        return f"at least {PASSWORD_MIN_CHARS} characters (this one has {len(text)})"
    size = len(text.encode("utf-8"))
    if size > PASSWORD_MAX_BYTES:
        return (
            f"at most {PASSWORD_MAX_BYTES} bytes (this one has {size}; letters beyond a-z and "
            "symbols take 2-4 bytes each)"
        )
    if any(unicodedata.category(char) == "Cc" for char in text):
        return "must not contain control characters"
    if text.lower() in common:
        return "this is one of the most common passwords; choose another"
    if username and username in text.lower():
        return "must not contain the username"
    return None
