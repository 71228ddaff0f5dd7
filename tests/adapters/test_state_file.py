"""Opening state.db at start: damaged files (and anything but a file) moved aside, never
overwritten; a database made anew (damaged, truncated, missing) or replaced by another one
recognised, remembered and reported as what happened; a bad state.db.id costs only its check."""

import sqlite3
import time

import pytest

from eyepi_gui.adapters import state_file
from eyepi_gui.adapters.accounts_db import AccountsDB
from eyepi_gui.adapters.db import BUSY, StateDB
from eyepi_gui.adapters.state_file import ID_FILE, REPORT_FOR_S, open_station_db
from eyepi_gui.domain.access import Role
from eyepi_gui.domain.accounts import UserAccount
from eyepi_gui.errors import StorageError, Unavailable
from tests.db_holder import held

NOW = 1_750_000_000.0


def opened(home, now=NOW, **kwargs):
    state = open_station_db(home, now, **kwargs)
    state.db.close()
    return state.problem


def aside(home):
    return sorted(p.name for p in home.iterdir() if ".damaged-" in p.name)


def fill(home, rows=2000):
    """A state.db of several hundred kB, closed cleanly (everything in the main file)."""
    opened(home)
    conn = sqlite3.connect(home / "state.db")
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [(f"k{n}", "x" * 200) for n in range(rows)])
    conn.commit()
    conn.close()


def test_a_new_station_has_no_problem_and_keeps_the_databases_id_beside_it(tmp_path):
    assert opened(tmp_path) is None
    db = StateDB(tmp_path / "state.db")
    assert db.meta("db_id") == (tmp_path / ID_FILE).read_text()
    db.close()
    assert opened(tmp_path) is None
    assert aside(tmp_path) == []


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (lambda path: path.write_bytes(b""), "was empty (truncated)"),
        (lambda path: path.write_bytes(b"not a database " * 500), "could not be read"),
        (lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), "malformed"),
    ],
    ids=["empty", "garbage", "cut-in-half"],
)
@pytest.mark.parametrize("checked", ["every page", "newest rows"])
def test_a_damaged_database_is_moved_aside_untouched_and_reported(
    tmp_path, monkeypatch, damage, said, checked
):
    if checked == "newest rows":  # as for a file too large to read whole at start
        monkeypatch.setattr(state_file, "QUICK_CHECK_MAX", 0)
    fill(tmp_path)
    damage(tmp_path / "state.db")
    before = (tmp_path / "state.db").read_bytes()
    problem = opened(tmp_path)
    (kept,) = aside(tmp_path)
    assert (tmp_path / kept).read_bytes() == before
    assert said in problem and kept in problem
    assert "A new one was made" in problem and "user accounts" in problem
    assert StateDB(tmp_path / "state.db").meta("db_id") == (tmp_path / ID_FILE).read_text()


def test_a_missing_database_is_reported_when_the_station_had_one(tmp_path):
    opened(tmp_path)
    (tmp_path / "state.db").unlink()
    assert "was missing." in opened(tmp_path)


def test_a_missing_database_is_reported_when_images_exist(tmp_path):
    (tmp_path / "images" / "sim-1" / "2025-06-01").mkdir(parents=True)
    assert "was missing while images exist" in opened(tmp_path)


def test_another_stations_database_is_reported_as_in_use_with_its_own_accounts(tmp_path):
    home, other = tmp_path / "home", tmp_path / "other"
    home.mkdir()
    other.mkdir()
    opened(home)
    opened(other)
    db = StateDB(other / "state.db")
    AccountsDB(db).create(UserAccount("theirs", Role.ADMIN, "hash", NOW, NOW))
    db.close()
    (other / "state.db").replace(home / "state.db")
    problem = opened(home)
    assert "is not the one this station last used" in problem
    assert "1 user account(s), 0 API token(s)" in problem
    assert "A new one was made" not in problem and "start empty" not in problem
    assert str(tmp_path) not in problem
    assert aside(home) == []
    state = open_station_db(home, NOW + 60)  # in use, and still reported after a restart
    assert AccountsDB(state.db).get("theirs") is not None
    assert state.problem == problem
    state.db.close()


@pytest.mark.parametrize(
    ("bad_id", "held_text"),
    [
        (lambda path: path.write_bytes(b"\xff\xfe\x00garbage"), "bytes, not an id"),
        (lambda path: path.write_bytes(b"\0" * 32), "32 zero bytes"),  # power-loss artefact
        (lambda path: path.write_bytes(b""), "it held nothing"),
        (lambda path: (path.unlink(), path.mkdir()), "was a directory (kept as state.db.id"),
    ],
    ids=["not-text", "zero-filled", "empty", "directory"],
)
def test_a_bad_id_file_is_written_again_and_reported_as_only_that(tmp_path, bad_id, held_text):
    opened(tmp_path)
    db = StateDB(tmp_path / "state.db")
    db_id = db.meta("db_id")
    AccountsDB(db).create(UserAccount("ada", Role.ADMIN, "hash", NOW, NOW))
    db.close()
    bad_id(tmp_path / ID_FILE)
    problem = opened(tmp_path, NOW + 60)
    assert problem.startswith("state.db.id was") and "and was written again" in problem
    assert held_text in problem
    assert "state.db)" not in problem  # nothing said about the database itself
    assert (tmp_path / ID_FILE).read_text() == db_id
    assert aside(tmp_path) == [] or aside(tmp_path)[0].startswith("state.db.id.damaged-")
    assert AccountsDB(StateDB(tmp_path / "state.db")).get("ada") is not None
    assert opened(tmp_path, NOW + 120) == problem  # remembered, but nothing new
    assert opened(tmp_path, NOW + 60 + REPORT_FOR_S + 1) is None


def refuse_renames(monkeypatch):
    """Renames fail as in a read-only home (permissions do not stop root, who runs CI)."""

    def refused(source, target):
        raise PermissionError(13, "Permission denied", str(source))

    monkeypatch.setattr(state_file.os, "rename", refused)
    monkeypatch.setattr("eyepi_gui.adapters.store.os.replace", refused)


def test_an_id_file_that_cannot_be_replaced_is_reported_and_start_goes_on(tmp_path, monkeypatch):
    opened(tmp_path)
    (tmp_path / ID_FILE).unlink()
    (tmp_path / ID_FILE).mkdir()
    refuse_renames(monkeypatch)
    problem = opened(tmp_path)
    assert "state.db.id is a directory and could not be moved aside" in problem
    assert "could not be written again" in problem
    assert str(tmp_path) not in problem


def test_a_directory_in_place_of_the_database_is_moved_aside(tmp_path):
    opened(tmp_path)
    (tmp_path / "state.db").unlink()
    (tmp_path / "state.db").mkdir()
    (tmp_path / "state.db" / "inside").write_text("kept")
    problem = opened(tmp_path)
    (kept,) = aside(tmp_path)
    assert (tmp_path / kept / "inside").read_text() == "kept"
    assert "was a directory, not a database file" in problem and kept in problem
    assert "A new one was made" in problem
    assert str(tmp_path) not in problem
    assert (tmp_path / "state.db").is_file()


def test_a_directory_that_cannot_be_moved_aside_is_a_storage_error_without_the_path(
    tmp_path, monkeypatch
):
    (tmp_path / "state.db").mkdir()
    refuse_renames(monkeypatch)
    with pytest.raises(StorageError) as raised:
        opened(tmp_path)
    assert "state.db was a directory" in str(raised.value)
    assert "could not be moved aside" in str(raised.value)
    assert str(tmp_path) not in str(raised.value)


def test_a_database_from_before_the_id_file_is_adopted_quietly(tmp_path):
    StateDB(tmp_path / "state.db").close()
    (tmp_path / "images" / "sim-1" / "2025-06-01").mkdir(parents=True)
    assert opened(tmp_path) is None
    assert (tmp_path / ID_FILE).exists()


def test_the_report_survives_restarts_for_a_week(tmp_path):
    opened(tmp_path)
    (tmp_path / "state.db").write_bytes(b"")
    first = opened(tmp_path)
    assert opened(tmp_path, NOW + 3600) == first
    assert opened(tmp_path, NOW + REPORT_FOR_S + 1) is None


def test_a_database_another_process_holds_is_left_alone(tmp_path):
    fill(tmp_path)
    before = (tmp_path / "state.db").read_bytes()
    with held(tmp_path / "state.db", "locking_mode") as other:
        assert other.holds
        start = time.monotonic()
        with pytest.raises(Unavailable, match=BUSY):
            open_station_db(tmp_path, NOW, wait_s=0.3)
        assert time.monotonic() - start < 2.0
    assert aside(tmp_path) == []
    assert (tmp_path / "state.db").read_bytes() == before
    assert opened(tmp_path) is None


def test_a_sound_database_too_large_for_the_quick_check_passes_the_newest_rows(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(state_file, "QUICK_CHECK_MAX", 0)
    fill(tmp_path)
    assert opened(tmp_path) is None
    assert aside(tmp_path) == []
