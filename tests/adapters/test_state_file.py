"""Opening state.db at start: damaged files moved aside (never overwritten), and a database
made anew (damaged, truncated, missing, replaced) recognised, remembered and reported."""

import sqlite3
import time

import pytest

from eyepi_gui.adapters import state_file
from eyepi_gui.adapters.db import BUSY, StateDB
from eyepi_gui.adapters.state_file import ID_FILE, REPORT_FOR_S, open_station_db
from eyepi_gui.errors import Unavailable
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


def test_a_database_the_station_did_not_make_is_reported(tmp_path):
    opened(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    opened(other)
    (other / "state.db").replace(tmp_path / "state.db")
    assert "was replaced by one this station did not make" in opened(tmp_path)


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
