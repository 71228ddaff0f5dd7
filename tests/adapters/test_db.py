"""The state database: WAL, migrations of existing files, bounded waits for other processes."""

import sqlite3
import time

import pytest

from eyepi_gui.adapters.captures_db import CapturesDB
from eyepi_gui.adapters.db import BUSY, MIGRATIONS, StateDB
from eyepi_gui.adapters.db_schema import TABLES
from eyepi_gui.domain.records import CaptureQuery
from eyepi_gui.errors import StorageError, Unavailable
from tests.db_holder import held


def test_reopen_keeps_rows_and_uses_wal(tmp_path):
    db = StateDB(tmp_path / "state.db")
    db.set_meta("db_id", "abc")
    db.close()
    db = StateDB(tmp_path / "state.db")
    assert db.meta("db_id") == "abc"
    assert db.meta("nothing") is None
    assert db.fetch("PRAGMA journal_mode")[0][0] == "wal"
    assert db.fetch("PRAGMA user_version")[0][0] == len(MIGRATIONS)


def test_a_database_from_before_the_migrations_keeps_its_rows(tmp_path):
    path = tmp_path / "state.db"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE captures (id INTEGER PRIMARY KEY, camera_id TEXT NOT NULL, path TEXT NOT"
        " NULL, scheduled_at REAL, taken_at REAL NOT NULL, size INTEGER NOT NULL, sha256 TEXT"
        " NOT NULL, focus_score REAL, kept INTEGER NOT NULL DEFAULT 1, exported INTEGER NOT"
        " NULL DEFAULT 0, uploaded INTEGER NOT NULL DEFAULT 0)"
    )
    old.execute("INSERT INTO captures VALUES (7, 'c', '/i/c/a.jpg', 1, 2, 3, 'ab', 0.5, 1, 0, 0)")
    old.commit()
    old.close()
    db = StateDB(path)
    (record,) = CapturesDB(db).query(CaptureQuery())
    assert (record.record_id, record.path, record.focus_score) == (7, "/i/c/a.jpg", 0.5)
    assert db.fetch("PRAGMA user_version")[0][0] == len(MIGRATIONS)
    db.close()
    assert StateDB(path).fetch("SELECT COUNT(*) FROM captures")[0][0] == 1  # migrated once


def test_unopenable_database_is_a_storage_error(tmp_path):
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StorageError):
        StateDB(tmp_path / "dir.db")


def test_corrupt_database_file_is_a_storage_error(tmp_path):
    (tmp_path / "state.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        StateDB(tmp_path / "state.db")


@pytest.mark.parametrize("mode", ["immediate", "exclusive"])
def test_a_write_waits_at_most_its_wait_then_says_busy(tmp_path, mode):
    db = StateDB(tmp_path / "state.db")
    with held(db.path, mode) as other:
        assert other.holds
        start = time.monotonic()
        with pytest.raises(Unavailable, match=BUSY), db.transaction(wait_s=0.3) as conn:
            conn.execute("INSERT INTO meta VALUES ('k', 'v')")
        waited = time.monotonic() - start
        assert 0.25 < waited < 1.5
        assert db.meta("k") is None  # readers are not held up in WAL mode
    db.set_meta("k", "v")
    assert db.meta("k") == "v"


def test_a_held_database_cannot_be_opened_within_the_open_wait(tmp_path):
    StateDB(tmp_path / "state.db").close()
    with held(tmp_path / "state.db", "locking_mode") as other:
        assert other.holds
        start = time.monotonic()
        with pytest.raises(Unavailable, match=BUSY):
            StateDB(tmp_path / "state.db", open_wait_s=0.3)
        assert time.monotonic() - start < 1.5


def test_exclusive_locking_mode_cannot_take_a_database_the_station_has_open(tmp_path):
    db = StateDB(tmp_path / "state.db")
    with held(db.path, "locking_mode") as other:
        assert other.answer.startswith("refused: database is locked")
        db.set_meta("k", "v")
    assert db.meta("k") == "v"


def test_an_unopened_database_says_why_until_one_is_attached(tmp_path):
    waiting = StateDB(tmp_path / "state.db", connect=False)
    waiting.unavailable_because("held elsewhere")
    with pytest.raises(Unavailable, match="held elsewhere"):
        waiting.meta("k")
    with pytest.raises(Unavailable, match="held elsewhere"), waiting.transaction():
        pass
    opened = StateDB(tmp_path / "state.db")
    opened.set_meta("k", "v")
    waiting.attach(opened)
    assert waiting.meta("k") == "v"
    with pytest.raises(Unavailable):
        opened.meta("k")  # its connection moved
    waiting.close()
    late = StateDB(tmp_path / "state.db")
    waiting.attach(late)  # a closed StateDB takes no connection: it is closed instead
    with pytest.raises(Unavailable):
        late.meta("k")


def version_1(path, rows):
    """A state.db as schema version 1 left it, with capture rows (id, path, kept, missing,
    exported)."""
    conn = sqlite3.connect(path)
    for statement in (*TABLES, *MIGRATIONS[0]):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.executemany(
        "INSERT INTO captures (id, camera_id, path, taken_at, size, sha256, kept, missing,"
        " exported) VALUES (?, 'c', ?, 1.0, 10, 'ab', ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()


def test_capture_paths_become_relative_and_a_file_indexed_twice_keeps_its_first_row(tmp_path):
    day = "images/c/2025-06-01"
    home = tmp_path / "home2"
    home.mkdir()
    version_1(
        home / "state.db",
        [
            (1, f"/srv/home/{day}/a.jpg", 1, 1, 1),  # before the home moved: marked missing
            (2, f"{tmp_path}/home2/{day}/a.jpg", 1, 0, 0),  # the same file, indexed again
            (3, f"/srv/home/{day}/b.jpg", 0, 0, 0),  # removed by keep = "latest"
            (4, "/srv/home/notes/x.jpg", 1, 0, 0),  # not the images layout: left as it is
        ],
    )
    db = StateDB(home / "state.db")
    rows = db.fetch("SELECT id, path, kept, missing, exported FROM captures ORDER BY id")
    assert rows == [
        (1, f"{day}/a.jpg", 1, 0, 1),
        (3, f"{day}/b.jpg", 0, 0, 0),
        (4, "/srv/home/notes/x.jpg", 1, 0, 0),
    ]
    assert CapturesDB(db).by_id(1).path == f"{home}/{day}/a.jpg"
    db.close()
