"""The capture index in SQLite."""

import pytest

from eyepi_gui.adapters.db import StateDB
from eyepi_gui.domain.records import CaptureRecord
from eyepi_gui.errors import StorageError


def rec(camera="c", t=100.0, scheduled=100.0, path="p"):
    return CaptureRecord(camera, path, scheduled, t, 10, "ab" * 32)


def test_add_latest_and_count(tmp_path):
    db = StateDB(tmp_path / "state.db")
    a = db.add(rec(t=100))
    db.add(rec(t=200, scheduled=200))
    db.add(rec(t=200, scheduled=200, path="same slot, second format"))
    db.add(rec(t=250, scheduled=None))  # test shots are not counted as scheduled captures
    db.add(rec(camera="other", t=300))
    assert db.latest("c").taken_at == 250
    assert db.count_between("c", 0, 1000) == 2
    assert db.count_between("c", 150, 1000) == 1
    db.mark_removed([a])
    kept = db.kept("c")
    assert len(kept) == 3 and a not in {r.record_id for r in kept}


def test_reopen_keeps_rows_and_uses_wal(tmp_path):
    db = StateDB(tmp_path / "state.db")
    db.add(rec())
    db.close()
    db = StateDB(tmp_path / "state.db")
    assert db.latest("c") is not None
    assert db._run("PRAGMA journal_mode")[0][0] == "wal"


def test_unopenable_database_is_a_storage_error(tmp_path):
    (tmp_path / "dir.db").mkdir()
    with pytest.raises(StorageError):
        StateDB(tmp_path / "dir.db")


def test_corrupt_database_file_is_a_storage_error(tmp_path):
    (tmp_path / "state.db").write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StorageError):
        StateDB(tmp_path / "state.db")
