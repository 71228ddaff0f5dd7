"""User accounts and the audit trail in state.db, on the connection of the ``StateDB``.

The station and the ``eyepi user`` CLI may change accounts at the same time from two
processes. Every check and the change it guards therefore run in one ``BEGIN IMMEDIATE``
transaction: the second writer waits for the first, then checks again.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from eyepi_gui.adapters.db import QUEUED_WAIT_S, WAIT_S, StateDB
from eyepi_gui.domain.access import Origin, Role
from eyepi_gui.domain.accounts import AuditEntry, UserAccount
from eyepi_gui.errors import Forbidden, InvalidInput, NotFound

_SELECT_USERS = "SELECT username, role, password_hash, created_at, changed_at, disabled FROM users"
_SELECT_AUDIT = "SELECT at, username, role, origin, address, action, target, detail, ok FROM audit"
RECENT_MAX = 1000
"""The most audit entries one ``recent`` call returns."""
LAST_ADMIN = "the last admin cannot be removed, disabled or demoted; make another user admin first"


class AccountsDB:
    """``UserStore`` and ``AuditTrail`` on the state database. Every call is one transaction;
    once an enabled admin exists, a change that would leave none is undone and refused."""

    def __init__(self, db: StateDB) -> None:
        self._db = db

    # UserStore

    def create(self, account: UserAccount, *, only_if_empty: bool = False) -> None:
        """Add ``account``; with ``only_if_empty`` only while there are no users at all (the
        first admin: two kiosk taps, or the kiosk and the CLI, cannot both succeed)."""
        with self._db.transaction() as conn:
            if only_if_empty and _count(conn):
                raise Forbidden("users exist already")
            if _fetch(conn, account.username) is not None:
                raise InvalidInput("username", "already exists")
            conn.execute(
                "INSERT INTO users (username, role, password_hash, created_at, changed_at,"
                " disabled) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    account.username,
                    str(account.role),
                    account.password_hash,
                    account.created_at,
                    account.changed_at,
                    int(account.disabled),
                ),
            )

    def get(self, username: str) -> UserAccount | None:
        with self._db.transaction(write=False) as conn:
            return _fetch(conn, username)

    def all(self) -> list[UserAccount]:
        """Every account, by username."""
        with self._db.transaction(write=False) as conn:
            rows = conn.execute(_SELECT_USERS + " ORDER BY username").fetchall()
        return [_account(row) for row in rows]

    def count(self) -> int:
        with self._db.transaction(write=False) as conn:
            return _count(conn)

    def update(
        self,
        username: str,
        changed_at: float,
        *,
        role: Role | None = None,
        disabled: bool | None = None,
        password_hash: str | None = None,
    ) -> UserAccount:
        """Change the given fields and ``changed_at`` (epoch s); returns the stored account."""
        with self._db.transaction() as conn:
            admins_before = _enabled_admins(conn)
            conn.execute(
                "UPDATE users SET role = COALESCE(?, role), disabled = COALESCE(?, disabled),"
                " password_hash = COALESCE(?, password_hash), changed_at = ? WHERE username = ?",
                (
                    None if role is None else str(role),
                    None if disabled is None else int(disabled),
                    password_hash,
                    changed_at,
                    username,
                ),
            )
            account = _fetch(conn, username)
            if account is None:
                raise NotFound(f"no user {username!r}")
            if admins_before and not _enabled_admins(conn):
                raise InvalidInput("role", LAST_ADMIN)
            return account

    def remove(self, username: str) -> None:
        with self._db.transaction() as conn:
            admins_before = _enabled_admins(conn)
            cursor = conn.execute("DELETE FROM users WHERE username = ?", (username,))
            if not cursor.rowcount:
                raise NotFound(f"no user {username!r}")
            if admins_before and not _enabled_admins(conn):
                raise InvalidInput("username", LAST_ADMIN)

    # AuditTrail

    def record(self, entry: AuditEntry) -> None:
        """Waits only ``QUEUED_WAIT_S``: the audit log queues the entry while the database is
        busy (``services.deferred_writes``)."""
        with self._db.transaction(wait_s=QUEUED_WAIT_S) as conn:
            conn.execute(
                "INSERT INTO audit (at, username, role, origin, address, action, target,"
                " detail, ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    entry.at,
                    entry.username,
                    entry.role,
                    str(entry.origin),
                    entry.address,
                    entry.action,
                    entry.target,
                    entry.detail,
                    int(entry.ok),
                ),
            )

    def recent(
        self, limit: int = 100, *, username: str | None = None, action: str | None = None
    ) -> list[AuditEntry]:
        """The newest entries first (at most ``RECENT_MAX``), optionally only one user's or
        one action's."""
        count = min(max(limit, 1), RECENT_MAX)
        with self._db.transaction(write=False) as conn:
            rows = conn.execute(
                _SELECT_AUDIT + " WHERE (? IS NULL OR username = ?) AND (? IS NULL OR action = ?)"
                " ORDER BY at DESC, id DESC LIMIT ?",
                (username, username, action, action, count),
            ).fetchall()
        return [_entry(row) for row in rows]


def _count(conn: sqlite3.Connection) -> int:
    (count,) = conn.execute("SELECT COUNT(*) FROM users").fetchone()
    return int(count)


def _enabled_admins(conn: sqlite3.Connection) -> int:
    (count,) = conn.execute(
        "SELECT COUNT(*) FROM users WHERE role = ? AND disabled = 0", (str(Role.ADMIN),)
    ).fetchone()
    return int(count)


def _fetch(conn: sqlite3.Connection, username: str) -> UserAccount | None:
    row = conn.execute(_SELECT_USERS + " WHERE username = ?", (username,)).fetchone()
    return None if row is None else _account(row)


def _account(row: tuple[Any, ...]) -> UserAccount:
    username, role, password_hash, created_at, changed_at, disabled = row
    return UserAccount(
        username=str(username),
        role=Role(role),
        password_hash=str(password_hash),
        created_at=float(created_at or 0.0),
        changed_at=float(changed_at or 0.0),
        disabled=bool(disabled),
    )


def _entry(row: tuple[Any, ...]) -> AuditEntry:
    at, username, role, origin, address, action, target, detail, ok = row
    return AuditEntry(
        at=float(at or 0.0),
        username=str(username or ""),
        role=str(role or ""),
        origin=Origin(origin),
        address=str(address or ""),
        action=str(action or ""),
        target=str(target or ""),
        detail=str(detail or ""),
        ok=bool(ok),
    )


def count_accounts_read_only(path: Path) -> int | None:
    """How many accounts state.db at ``path`` holds, opened read-only (for ``eyepi doctor``,
    which never writes); None when the file or its users table does not exist yet."""
    if not path.exists():
        return None
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=WAIT_S)
        try:
            return _count(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        return None
