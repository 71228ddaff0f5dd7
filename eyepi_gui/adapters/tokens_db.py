"""API tokens in state.db, on the connection of the ``StateDB`` (implements ``TokenStore``)."""

from __future__ import annotations

from typing import Any

from eyepi_gui.adapters.db import QUEUED_WAIT_S, StateDB
from eyepi_gui.domain.tokens import ApiToken
from eyepi_gui.errors import InvalidInput, NotFound

_SELECT = (
    "SELECT token_id, username, name, digest, created_at, last_used_at, account_created"
    " FROM api_tokens"
)


class TokensDB:
    """Every call is one transaction, so the per-user limit holds across processes."""

    def __init__(self, db: StateDB) -> None:
        self._db = db

    def add(self, token: ApiToken, *, limit: int) -> None:
        with self._db.transaction() as conn:
            (count,) = conn.execute(
                "SELECT COUNT(*) FROM api_tokens WHERE username = ?", (token.username,)
            ).fetchone()
            if count >= limit:
                raise InvalidInput("name", f"at most {limit} tokens per user; revoke one first")
            conn.execute(
                "INSERT INTO api_tokens VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    token.token_id,
                    token.username,
                    token.name,
                    token.digest,
                    token.created_at,
                    None,
                    token.account_created,
                ),
            )

    def by_digest(self, digest: str) -> ApiToken | None:
        with self._db.transaction(write=False) as conn:
            row = conn.execute(_SELECT + " WHERE digest = ?", (digest,)).fetchone()
        return None if row is None else _token(row)

    def of_user(self, username: str | None) -> list[ApiToken]:
        where, args = ("", ()) if username is None else (" WHERE username = ?", (username,))
        with self._db.transaction(write=False) as conn:
            rows = conn.execute(_SELECT + where + " ORDER BY created_at, token_id", args)
            return [_token(row) for row in rows.fetchall()]

    def remove(self, token_id: str) -> ApiToken:
        with self._db.transaction() as conn:
            row = conn.execute(_SELECT + " WHERE token_id = ?", (token_id,)).fetchone()
            if row is None:
                raise NotFound(f"no token {token_id!r}")
            conn.execute("DELETE FROM api_tokens WHERE token_id = ?", (token_id,))
        return _token(row)

    def touch(self, token_id: str, at: float) -> None:
        """Waits only ``QUEUED_WAIT_S``: a last-used time is not worth holding a request."""
        with self._db.transaction(wait_s=QUEUED_WAIT_S) as conn:
            conn.execute(
                "UPDATE api_tokens SET last_used_at = ? WHERE token_id = ?", (at, token_id)
            )


def _token(row: tuple[Any, ...]) -> ApiToken:
    token_id, username, name, digest, created_at, last_used_at, account_created = row
    used = None if last_used_at is None else float(last_used_at)
    account = None if account_created is None else float(account_created)
    return ApiToken(
        str(token_id), str(username), str(name), str(digest), float(created_at), used, account
    )
