"""Atomic store: a save killed at any step leaves the old or the new valid file."""

import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.adapters.store import MAX_TEXT_BYTES, AtomicTextFile, atomic_write
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


def fifo(path):
    os.mkfifo(path)


def device(path):
    path.symlink_to("/dev/zero")


def empty_device(path):
    path.symlink_to("/dev/null")


def folder(path):
    path.mkdir()


def unix_socket(path):
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(path))
    return sock


SPECIAL = {
    "a named pipe": fifo,
    "a device": device,
    "a device (empty)": empty_device,
    "a folder": folder,
    "a socket": unix_socket,
}


def within(seconds, call):
    """``call()``'s result or error, failing when it takes longer (it would block)."""
    box = {}

    def run():
        try:
            box["value"] = call()
        except Exception as err:  # handed back to the test
            box["error"] = err

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), "blocked"
    return box


@pytest.mark.parametrize("kind", SPECIAL)
@pytest.mark.parametrize("which", ["read", "read_last_good", "keep_copy"])
def test_only_regular_files_are_read_and_nothing_blocks(tmp_path, kind, which):
    store = AtomicTextFile(tmp_path / "station.toml")
    path = store.last_good if which == "read_last_good" else store.path
    made = SPECIAL[kind](path)
    try:
        outcome = within(5, getattr(store, which))
    finally:
        if made is not None:
            made.close()
    error = outcome.get("error")
    assert isinstance(error, StorageError), outcome
    assert str(error).startswith(f"could not read {path.name}: it is {kind.split(' (')[0]}")
    assert str(error).endswith("not a regular file")


@pytest.mark.parametrize("which", ["read", "read_last_good"])
def test_a_file_larger_than_the_limit_is_refused_naming_the_limit(tmp_path, which):
    store = AtomicTextFile(tmp_path / "station.toml")
    path = store.last_good if which == "read_last_good" else store.path
    path.write_bytes(b"#" * MAX_TEXT_BYTES)
    assert getattr(store, which)() == "#" * MAX_TEXT_BYTES
    path.write_bytes(b"#" * (MAX_TEXT_BYTES + 1))
    with pytest.raises(StorageError) as refused:
        getattr(store, which)()
    assert (
        str(refused.value) == f"could not read {path.name}: larger than 1 MiB, the most it may be"
    )


def test_a_symlink_to_a_regular_file_is_read_and_a_dangling_one_is_no_file(tmp_path):
    store = AtomicTextFile(tmp_path / "station.toml")
    (tmp_path / "real.toml").write_text(OLD)
    store.path.symlink_to(tmp_path / "real.toml")
    assert store.read() == OLD
    store.path.unlink()
    store.path.symlink_to(tmp_path / "gone.toml")
    assert store.read() is None
    moved = store.quarantine()  # the link itself is moved aside
    assert moved is not None and moved.is_symlink() and not store.path.is_symlink()


def test_a_named_pipe_is_moved_aside_unread(tmp_path):
    store = AtomicTextFile(tmp_path / "station.toml")
    os.mkfifo(store.path)
    moved = within(5, store.quarantine)["value"]
    assert moved.name.startswith("station.toml.bad-") and not store.path.exists()


def test_copies_kept_aside_never_replace_each_other(tmp_path):
    store = AtomicTextFile(tmp_path / "station.toml")
    kept = []
    for text in ("first", "second", "third"):
        store.path.write_text(text)
        kept.append(store.keep_copy())
    store.path.write_text("fourth")
    kept.append(store.quarantine())
    assert [path.read_text() for path in kept] == ["first", "second", "third", "fourth"]


def test_mark_good_keeps_the_text_given_not_the_file_as_it_is_now(tmp_path):
    store = AtomicTextFile(tmp_path / "station.toml")
    store.path.write_text("edited since")
    store.mark_good(OLD)
    assert store.read_last_good() == OLD


def test_settings_files_and_their_copies_are_readable_by_the_owner_only(tmp_path):
    """station.toml may hold stream passwords: it, its last good copy and a kept bad copy are
    written 0600, also over a file a person made readable by all."""
    store = AtomicTextFile(tmp_path / "station.toml")
    store.path.write_text("hand made", encoding="utf-8")
    store.path.chmod(0o644)
    kept = store.keep_copy()
    store.write('station_name = "x"\n')
    for path in (store.path, store.last_good, kept):
        assert path is not None
        assert path.stat().st_mode & 0o777 == 0o600, path.name
