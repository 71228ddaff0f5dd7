"""StickFolder.write: a whole file (a support bundle) to a temporary name, fsynced, only then
renamed; work that fails midway leaves nothing behind; a leftover temporary file (of a
pulled stick) is replaced; a folder in the way is named."""

import pytest

from eyepi_gui.adapters.stick_files import StickFolder
from eyepi_gui.domain.export import EXPORT_FOLDER
from eyepi_gui.errors import StorageError

NAME = "support/bundle.zip"


@pytest.fixture
def folder(tmp_path):
    made = StickFolder(tmp_path, "/dev/loop-none")
    yield made
    made.close()


def test_the_file_lands_under_its_name_with_every_chunk_counted(tmp_path, folder):
    ticks = []
    folder.write(NAME, [b"PK", b"\x03\x04", b"rest"], ticks.append)
    support = tmp_path / EXPORT_FOLDER / "support"
    assert sorted(p.name for p in support.iterdir()) == ["bundle.zip"]
    assert (support / "bundle.zip").read_bytes() == b"PK\x03\x04rest"
    assert ticks == [2, 2, 4]


def test_work_that_fails_midway_leaves_nothing_behind(tmp_path, folder):
    def chunks():
        yield b"first part"
        raise RuntimeError("the bundle could not be made")

    with pytest.raises(RuntimeError):
        folder.write(NAME, chunks(), lambda _n: None)
    assert list((tmp_path / EXPORT_FOLDER / "support").iterdir()) == []


def test_a_leftover_of_a_pulled_stick_is_replaced(tmp_path, folder):
    support = tmp_path / EXPORT_FOLDER / "support"
    support.mkdir(parents=True)
    (support / ".bundle.zip.part").write_bytes(b"half a bundle")
    folder.write(NAME, [b"whole"], lambda _n: None)
    assert [p.name for p in support.iterdir()] == ["bundle.zip"]
    assert (support / "bundle.zip").read_bytes() == b"whole"


def test_a_folder_in_the_way_is_named(tmp_path, folder):
    (tmp_path / EXPORT_FOLDER / NAME).mkdir(parents=True)
    with pytest.raises(StorageError, match=r"a folder named bundle\.zip is in the way"):
        folder.write(NAME, [b"x"], lambda _n: None)
