"""Kept image files as retention measures and deletes them: regular files under images/ only,
never through a symbolic link, and a capture's sidecar only once no file of it is left."""

import os

import pytest

from eyepi_gui.adapters.kept_files import KeptFiles
from eyepi_gui.errors import StorageError


@pytest.fixture
def home(tmp_path):
    day = tmp_path / "home" / "images" / "sim-1" / "2025-06-01"
    day.mkdir(parents=True)
    for name in ("a.jpg", "a.json", "b.jpg", "b.cr2", "b.json", "c[1].jpg", "c[1].json"):
        (day / name).write_bytes(b"x" * 10)
    return tmp_path / "home"


def day(home):
    return home / "images" / "sim-1" / "2025-06-01"


def test_size_is_that_of_a_regular_file_under_images_only(home, tmp_path):
    files = KeptFiles(home)
    assert files.size(str(day(home) / "a.jpg")) == 10
    assert files.size(str(day(home) / "gone.jpg")) is None
    (tmp_path / "outside.jpg").write_bytes(b"y")
    assert files.size(str(tmp_path / "outside.jpg")) is None
    os.symlink(tmp_path / "outside.jpg", day(home) / "link.jpg")
    assert files.size(str(day(home) / "link.jpg")) is None, "a link is no kept image"
    assert files.size(str(day(home))) is None, "a folder is no kept image"


def test_a_sidecar_goes_with_the_last_file_of_its_capture(home):
    files = KeptFiles(home)
    for name in ("a.jpg", "b.jpg", "c[1].jpg"):
        files.delete(str(day(home) / name))
    paths = [str(day(home) / name) for name in ("a.jpg", "b.jpg", "c[1].jpg")]
    assert files.drop_lone_sidecars(paths) == 2
    assert sorted(p.name for p in day(home).iterdir()) == ["b.cr2", "b.json"], (
        "b's RAW is still there, so its sidecar stays"
    )


def test_a_path_outside_images_or_through_a_link_is_refused(home, tmp_path):
    files = KeptFiles(home)
    (tmp_path / "precious.txt").write_text("keep")
    with pytest.raises(StorageError, match="outside images/"):
        files.delete(str(tmp_path / "precious.txt"))
    os.symlink(tmp_path, home / "images" / "sneaky")
    with pytest.raises(StorageError, match="outside images/"):
        files.delete(str(home / "images" / "sneaky" / "precious.txt"))
    assert (tmp_path / "precious.txt").read_text() == "keep"
    files.delete(str(day(home) / "gone.jpg"))  # already gone: nothing to do


def test_a_file_that_cannot_be_deleted_is_named_from_the_home(home):
    files = KeptFiles(home)
    folder = day(home) / "locked.jpg"
    folder.mkdir()  # a directory under an image's name: unlink refuses it
    with pytest.raises(StorageError) as refused:
        files.delete(str(folder))
    assert str(refused.value).startswith("could not delete images/sim-1/2025-06-01/locked.jpg: ")
