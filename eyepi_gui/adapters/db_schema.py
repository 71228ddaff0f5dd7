"""The tables of state.db and the migrations of files made by earlier versions. Each table's
queries live in its own adapter (``captures_db``, ``accounts_db``, ``tokens_db``)."""

from __future__ import annotations

TABLES = (
    """
    CREATE TABLE IF NOT EXISTS captures (
        id INTEGER PRIMARY KEY,
        camera_id TEXT NOT NULL,
        path TEXT NOT NULL,
        scheduled_at REAL,
        taken_at REAL NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        focus_score REAL,
        kept INTEGER NOT NULL DEFAULT 1,
        exported INTEGER NOT NULL DEFAULT 0,
        uploaded INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX IF NOT EXISTS captures_camera_time ON captures (camera_id, taken_at)",
    """
    CREATE TABLE IF NOT EXISTS users (
        username TEXT PRIMARY KEY,
        role TEXT NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        password_hash TEXT NOT NULL,
        created_at REAL,
        changed_at REAL,
        disabled INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE IF NOT EXISTS audit (
        id INTEGER PRIMARY KEY,
        at REAL,
        username TEXT,
        role TEXT,
        origin TEXT,
        address TEXT,
        action TEXT,
        target TEXT,
        detail TEXT,
        ok INTEGER
    )
    """,
    "CREATE INDEX IF NOT EXISTS audit_at ON audit (at, id)",
    """
    CREATE TABLE IF NOT EXISTS api_tokens (
        token_id TEXT PRIMARY KEY,
        username TEXT NOT NULL,
        name TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        created_at REAL NOT NULL,
        last_used_at REAL,
        account_created REAL
    )
    """,
    "CREATE INDEX IF NOT EXISTS api_tokens_user ON api_tokens (username)",
)
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (  # 1: rows whose file is gone are flagged, not deleted; files are found by path
        "ALTER TABLE captures ADD COLUMN missing INTEGER NOT NULL DEFAULT 0",
        "CREATE INDEX IF NOT EXISTS captures_path ON captures (path)",
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ),
)
"""Schema changes in order; ``PRAGMA user_version`` counts those applied to a file."""
