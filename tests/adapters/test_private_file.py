"""PrivateTextFile: 0600 whatever the umask, replaced whole, removed quietly, and refusing
what is not a regular file."""

import os
import stat

import pytest

from eyepi_gui.adapters.private_file import PrivateTextFile
from eyepi_gui.errors import StorageError


def mode(path):
    return stat.S_IMODE(path.stat().st_mode)


def test_written_private_and_read_back(tmp_path):
    store = PrivateTextFile(tmp_path / "marker.json")
    assert store.read() is None
    old = os.umask(0)
    try:
        store.write('{"a": 1}')
    finally:
        os.umask(old)
    assert mode(store.path) == 0o600
    assert store.read() == '{"a": 1}'
    store.write("second")
    assert store.read() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["marker.json"]  # no temp file left


def test_a_file_with_looser_bits_is_made_private_when_read(tmp_path):
    path = tmp_path / "hotspot-passphrase"
    path.write_text("abcd-efgh-jkmn\n")
    path.chmod(0o644)
    assert PrivateTextFile(path).read() == "abcd-efgh-jkmn\n"
    assert mode(path) == 0o600


def test_remove_is_quiet_when_there_is_nothing(tmp_path):
    store = PrivateTextFile(tmp_path / "marker.json")
    store.remove()
    store.write("x")
    store.remove()
    assert not store.path.exists()


def test_a_folder_in_the_way_is_a_storage_error(tmp_path):
    (tmp_path / "marker.json").mkdir()
    store = PrivateTextFile(tmp_path / "marker.json")
    with pytest.raises(StorageError, match=r"marker\.json"):
        store.read()
    with pytest.raises(StorageError):
        store.remove()


def test_a_symbolic_link_in_its_place_is_never_followed(tmp_path):
    """Another file linked in (the station's own settings, /etc/passwd) is not read as the
    marker or the passphrase, not made 0600, and a write replaces the link, not the file."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("not yours\n")
    elsewhere.chmod(0o644)
    path = tmp_path / "hotspot-passphrase"
    path.symlink_to(elsewhere)
    store = PrivateTextFile(path)
    with pytest.raises(StorageError, match="symbolic link"):
        store.read()
    assert mode(elsewhere) == 0o644
    store.write("abcd-efgh-jkmn\n")
    assert not path.is_symlink() and store.read() == "abcd-efgh-jkmn\n"
    assert elsewhere.read_text() == "not yours\n" and mode(elsewhere) == 0o644
    path.unlink()
    path.symlink_to(elsewhere)
    store.remove()
    assert not path.exists() and elsewhere.exists()
