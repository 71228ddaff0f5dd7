"""Atomic store: a save killed at any step leaves the old or the new valid file."""

import signal
import subprocess
import sys
import textwrap

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.adapters.store import AtomicTextFile, atomic_write
from eyepi_gui.errors import StorageError
from eyepi_gui.settings import StationSettings

OLD = cfg.dumps(StationSettings(station_name="old-station"))
NEW = cfg.dumps(StationSettings(station_name="new-station"))

# Runs one save and SIGKILLs itself at the Nth call of the chosen OS primitive.
CHILD = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from eyepi_gui.adapters import store

    target, text, primitive, nth = Path(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
    real = getattr(os, primitive)
    calls = 0

    def wrapped(*args, **kwargs):
        global calls
        calls += 1
        if calls == nth:
            os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)

    setattr(store.os, primitive, wrapped)
    store.AtomicTextFile(target).write(text)
    print("completed")
    """
)
STEPS = (
    [("open", n) for n in (1, 2, 3, 4)]
    + [("write", n) for n in (1, 2)]
    + [("fsync", n) for n in (1, 2, 3, 4)]
    + [("replace", n) for n in (1, 2)]
)


@pytest.mark.parametrize(("primitive", "nth"), STEPS)
def test_kill_at_each_step_leaves_old_or_new(tmp_path, primitive, nth):
    path = tmp_path / "station.toml"
    AtomicTextFile(path).write(OLD)
    proc = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), NEW, primitive, str(nth)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode in (0, -signal.SIGKILL), proc.stderr
    store = AtomicTextFile(path)
    assert store.read() in (OLD, NEW)
    assert cfg.loads(store.read()) in (
        StationSettings(station_name="old-station"),
        StationSettings(station_name="new-station"),
    )
    assert store.read_last_good() in (OLD, NEW)
    if proc.returncode == 0:
        assert store.read() == NEW


def test_kill_steps_cover_the_whole_save(tmp_path):
    """STEPS reaches every call of each primitive: one call more never happens in a save."""
    for primitive in ("open", "write", "fsync", "replace"):
        beyond = max(n for p, n in STEPS if p == primitive) + 1
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(tmp_path / "s.toml"), NEW, primitive, str(beyond)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0 and "completed" in proc.stdout, primitive


def test_write_into_missing_folder_raises_storage_error(tmp_path):
    with pytest.raises(StorageError, match="could not write"):
        atomic_write(tmp_path / "missing" / "f", b"x")
    assert not (tmp_path / "missing").exists()


def test_quarantine_moves_the_bad_file_aside(tmp_path):
    store = AtomicTextFile(tmp_path / "station.toml")
    store.path.write_text("garbage")
    moved = store.quarantine()
    assert moved is not None and moved.read_text() == "garbage" and not store.path.exists()
    assert store.quarantine() is None


def test_undecodable_file_is_a_storage_error(tmp_path):
    store = AtomicTextFile(tmp_path / "station.toml")
    store.path.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(StorageError):
        store.read()
