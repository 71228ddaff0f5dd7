"""The tables of state.db and the migrations of files made by earlier versions. Each table's
queries live in its own adapter (``captures_db``, ``accounts_db``, ``tokens_db``,
``activity_db``, ``exports_db``, ``retention_db``)."""

from __future__ import annotations

from collections.abc import Callable

from eyepi_gui.errors import StorageError

SQLValue = str | bytes | int | float | None


def home_relative(path: SQLValue) -> SQLValue:
    """A capture path as stored since migration 2: ``images/<camera>/<day>/<file>``, relative
    to the station's home. Every path the station indexed is ``<home>/images/<camera>/<day>/
    <file>`` with the home where it was then, so a home that was moved or restored keeps its
    rows; any other text is left as it is."""
    if not isinstance(path, str) or not path.startswith("/"):
        return path
    parts = path.split("/")
    return "/".join(parts[-4:]) if len(parts) >= 5 and parts[-4] == "images" else path


FUNCTIONS: dict[str, Callable[[SQLValue], SQLValue]] = {"home_relative": home_relative}
"""SQL functions the migrations use, registered on every connection."""


class NewerSchema(StorageError):
    """state.db was made by a newer eyepi: its schema has migrations this one does not know,
    so it is neither used nor changed (an older eyepi could damage what it does not know)."""

    def __init__(self, found: int, known: int) -> None:
        super().__init__(
            f"state.db was made by a newer eyepi (schema {found}, this one knows {known}): it is "
            "left as it is. Install the newer eyepi again, or put back a state.db this one made."
        )
        self.found, self.known = found, known


def check_version(found: int) -> None:
    """Raise ``NewerSchema`` when ``found`` (a file's ``PRAGMA user_version``) is beyond the
    migrations this eyepi knows; an older one is upgraded in place by running the rest."""
    if found > len(MIGRATIONS):
        raise NewerSchema(found, len(MIGRATIONS))


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
    (  # 2: paths relative to the home (captures_db); a file indexed twice, once per home it
        # lay in, keeps its oldest row (its id, what the copies say it went through)
        "UPDATE captures SET path = home_relative(path) WHERE path LIKE '/%'",
        """
        UPDATE captures SET
            missing = (SELECT MIN(o.missing) FROM captures o
                       WHERE o.path = captures.path AND o.kept = 1),
            exported = (SELECT MAX(o.exported) FROM captures o
                        WHERE o.path = captures.path AND o.kept = 1),
            uploaded = (SELECT MAX(o.uploaded) FROM captures o
                        WHERE o.path = captures.path AND o.kept = 1)
        WHERE kept = 1 AND id IN
            (SELECT MIN(id) FROM captures WHERE kept = 1 GROUP BY path HAVING COUNT(*) > 1)
        """,
        "DELETE FROM captures WHERE kept = 1 AND id NOT IN"
        " (SELECT MIN(id) FROM captures WHERE kept = 1 GROUP BY path)",
    ),
    (  # 3: when the station and each camera ran (activity_db): "expected" counts only then
        """
        CREATE TABLE IF NOT EXISTS activity (
            subject TEXT NOT NULL,
            started_at REAL NOT NULL,
            seen_at REAL NOT NULL,
            PRIMARY KEY (subject, started_at)
        )
        """,
        "CREATE INDEX IF NOT EXISTS activity_seen ON activity (seen_at)",
    ),
    (  # 4: USB exports (exports_db): what went where, when, by whom; one manifest each
        """
        CREATE TABLE IF NOT EXISTS exports (
            id INTEGER PRIMARY KEY,
            job_id TEXT NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL,
            by TEXT NOT NULL,
            device TEXT NOT NULL,
            label TEXT,
            fstype TEXT,
            folder TEXT NOT NULL,
            files INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0,
            outcome TEXT NOT NULL DEFAULT 'running'
        )
        """,
        """
        CREATE TABLE IF NOT EXISTS export_files (
            export_id INTEGER NOT NULL REFERENCES exports (id),
            capture_id INTEGER NOT NULL,
            path TEXT NOT NULL,
            sha256 TEXT NOT NULL,
            PRIMARY KEY (export_id, capture_id)
        )
        """,
        "CREATE INDEX IF NOT EXISTS captures_not_exported ON captures (exported, camera_id)",
    ),
    (  # 5: images retention deleted (retention_db), oldest first; proofs by capture
        """
        CREATE TABLE IF NOT EXISTS retention_deleted (
            id INTEGER PRIMARY KEY,
            capture_id INTEGER NOT NULL,
            camera_id TEXT NOT NULL,
            path TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            captured_at REAL NOT NULL,
            deleted_at REAL NOT NULL,
            proofs TEXT NOT NULL
        )
        """,
        "CREATE INDEX IF NOT EXISTS captures_taken ON captures (taken_at, id)",
        "CREATE INDEX IF NOT EXISTS export_files_capture ON export_files (capture_id)",
    ),
)
"""Schema changes in order; ``PRAGMA user_version`` counts those applied to a file."""
