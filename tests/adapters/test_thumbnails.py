"""Thumbnails made with OpenCV into the cache under the home: scaled down (never up), written
atomically, read back only from regular files; and the service's cache key follows the file."""

from __future__ import annotations

import os
import stat

import cv2
import numpy as np
import pytest

from eyepi_gui.adapters.thumbnail_maths import scaled_jpeg
from eyepi_gui.adapters.thumbnails import ThumbnailFolder
from eyepi_gui.errors import InvalidInput, Unavailable


def encoded(width: int, height: int, ext: str = ".jpg") -> bytes:
    pixels = np.random.default_rng(1).integers(0, 255, (height, width, 3), dtype=np.uint8)
    ok, data = cv2.imencode(ext, pixels)
    assert ok
    return bytes(data)


def shape(jpeg: bytes) -> tuple[int, int]:
    pixels = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return pixels.shape[1], pixels.shape[0]


@pytest.mark.parametrize(
    ("size", "longest", "expected"),
    [
        ((4000, 3000), 160, (160, 120)),
        ((3000, 4000), 320, (240, 320)),
        ((1001, 17), 160, (160, 3)),
        ((100, 50), 160, (100, 50)),  # never scaled up
    ],
)
def test_images_are_scaled_to_fit(size, longest, expected):
    assert shape(scaled_jpeg(encoded(*size), longest)) == expected


def test_a_png_makes_a_jpeg_thumbnail():
    data = scaled_jpeg(encoded(640, 480, ".png"), 160)
    assert data[:2] == b"\xff\xd8" and shape(data) == (160, 120)


@pytest.mark.parametrize("junk", [b"", b"not an image", encoded(64, 48)[:40]])
def test_what_cannot_be_decoded_is_unavailable(junk):
    with pytest.raises(Unavailable):
        scaled_jpeg(junk, 160)


def test_a_thumbnail_is_written_once_atomically_in_a_private_folder(tmp_path):
    cache = ThumbnailFolder(tmp_path)
    assert cache.cached("1-2-3-160.jpg") is None
    made = cache.make("1-2-3-160.jpg", encoded(640, 480), 160)
    assert cache.cached("1-2-3-160.jpg") == made
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700
    assert [p.name for p in cache.folder.iterdir()] == ["1-2-3-160.jpg"], "no part left"


@pytest.mark.parametrize("key", ["../x.jpg", "a/b.jpg", ".hidden", "", "x" * 101, "é.jpg"])
def test_keys_that_are_no_plain_file_name_are_refused(tmp_path, key):
    with pytest.raises(ValueError, match="not a thumbnail key"):
        ThumbnailFolder(tmp_path).cached(key)


def test_a_symlink_or_folder_in_the_cache_is_not_read(tmp_path):
    cache = ThumbnailFolder(tmp_path)
    cache.folder.mkdir(parents=True)
    secret = tmp_path / "secret"
    secret.write_bytes(b"secret")
    os.symlink(secret, cache.folder / "1-1-1-160.jpg")
    (cache.folder / "2-1-1-160.jpg").mkdir()
    assert cache.cached("1-1-1-160.jpg") is None
    assert cache.cached("2-1-1-160.jpg") is None
    made = cache.make("1-1-1-160.jpg", encoded(64, 48), 160)  # replaces the link itself
    assert secret.read_bytes() == b"secret" and cache.cached("1-1-1-160.jpg") == made


def test_the_service_keys_the_cache_by_id_size_and_mtime(tmp_path):
    from eyepi_gui.adapters.captures_db import CapturesDB
    from eyepi_gui.adapters.db import StateDB
    from eyepi_gui.adapters.images import ImageFolder
    from eyepi_gui.domain.records import CaptureRecord
    from eyepi_gui.services.captures import CaptureLibrary
    from eyepi_gui.services.thumbnails import ThumbnailService

    images = ImageFolder(tmp_path)
    path = images.write("sim-1/d/a.jpg", encoded(640, 480))
    db = StateDB(tmp_path / "state.db")
    index = CapturesDB(db)
    record_id = index.add(CaptureRecord("sim-1", str(path), None, 1.0, 1, "x"))
    service = ThumbnailService(CaptureLibrary(index, images), ThumbnailFolder(tmp_path))
    first = service.thumbnail(record_id)
    assert shape(first) == (160, 120)
    os.utime(path, ns=(1, 1))
    service.thumbnail(record_id, 320)
    names = sorted(p.name for p in (tmp_path / "cache" / "thumbnails").iterdir())
    size = path.stat().st_size
    assert len(names) == 2 and f"{record_id}-{size}-1-320.jpg" in names
    with pytest.raises(InvalidInput) as caught:
        service.thumbnail(record_id, 200)
    assert caught.value.field == "size"
    db.close()
