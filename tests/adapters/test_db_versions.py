"""state.db's schema version (``PRAGMA user_version``, one per migration): a file made at any
older version is upgraded in place and keeps its rows; one made by a newer eyepi is refused with
both versions named and left exactly as it was."""

import sqlite3

import pytest

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.db_schema import FUNCTIONS, MIGRATIONS, TABLES, NewerSchema
from eyepi_gui.errors import StorageError

KNOWN = len(MIGRATIONS)
ROW = (7, "cam", "images/cam/2026-01-01/cam_2026_01_01_00_00_00.jpg", 2.0, 3, "ab")


def make_at(path, version):
    """state.db as eyepi at schema ``version`` left it: the tables, the first ``version``
    migrations and one capture row, in SQLite's default (rollback journal) mode."""
    conn = sqlite3.connect(path, isolation_level=None)
    for name, function in FUNCTIONS.items():
        conn.create_function(name, 1, function)
    for statement in TABLES:
        conn.execute(statement)
    for statements in MIGRATIONS[:version]:
        for statement in statements:
            conn.execute(statement)
    conn.execute(
        "INSERT INTO captures (id, camera_id, path, taken_at, size, sha256)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        ROW,
    )
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()


def shape(path):
    """Every table's columns (name, type, not null, default, key) and every index's name."""
    conn = sqlite3.connect(path)
    try:
        names = conn.execute("SELECT type, name FROM sqlite_schema ORDER BY name").fetchall()
        return {name: columns(conn, name) if kind == "table" else kind for kind, name in names}
    finally:
        conn.close()


def columns(conn, table):
    return conn.execute(f'PRAGMA table_info("{table}")').fetchall()


@pytest.mark.parametrize("version", range(KNOWN))
def test_a_database_made_at_an_older_version_is_upgraded_in_place(tmp_path, version):
    path = tmp_path / "state.db"
    make_at(path, version)
    db = StateDB(path)
    assert db.fetch("PRAGMA user_version")[0][0] == KNOWN
    kept = db.fetch("SELECT id, camera_id, path, taken_at, size, sha256 FROM captures")
    assert kept == [ROW]
    db.close()
    StateDB(tmp_path / "fresh.db").close()
    assert shape(path) == shape(tmp_path / "fresh.db")  # as if made by this version


def test_a_database_at_this_version_is_opened_as_it_is(tmp_path):
    path = tmp_path / "state.db"
    make_at(path, KNOWN)
    db = StateDB(path)
    assert db.fetch("PRAGMA user_version")[0][0] == KNOWN
    assert db.fetch("SELECT id FROM captures") == [(7,)]
    db.close()


def test_a_database_made_by_a_newer_eyepi_is_refused_and_left_as_it_is(tmp_path):
    path = tmp_path / "state.db"
    make_at(path, KNOWN)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {KNOWN + 1}")
    conn.close()
    before = path.read_bytes()
    message = (
        rf"^state\.db was made by a newer eyepi \(schema {KNOWN + 1}, this one knows {KNOWN}\):"
    )
    with pytest.raises(NewerSchema, match=message) as refused:
        StateDB(path)
    assert isinstance(refused.value, StorageError)  # every frontend maps it as such
    assert path.read_bytes() == before  # not even switched to WAL
    assert [p.name for p in tmp_path.iterdir()] == ["state.db"]
