"""libgphoto2's virtual USB camera (vusb, bundled with the gphoto2 wheel) for tests.

libgphoto2 decides at ``import gphoto2`` whether the virtual camera exists: ``VCAMERADIR`` must
name a folder with ``DCIM/<one>.jpg`` by then. Importing this module creates that folder (one
real 1024x768 JPEG, per process under the temp dir) and sets the variable, so import it before
anything imports gphoto2. The camera then shows as MODEL on PORT, serial number SERIAL; a
capture returns the folder's JPEG as a new file in the camera's memory.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import cv2
import numpy as np

MODEL = "Nikon DSC D750"
PORT = "usb:001,001"
SERIAL = "0.1"
CAMERA_ID = "gphoto2-0-1"
SIZE = (1024, 768)
FOLDER = Path(tempfile.gettempdir()) / f"eyepi-vcamera-{os.getpid()}"
JPEG = FOLDER / "DCIM" / "one.jpg"


def synthetic_jpeg(width: int = SIZE[0], height: int = SIZE[1]) -> bytes:
    """A JPEG of a plant-green gradient with a white disc (not a flat colour)."""
    ramp = np.linspace(40, 200, width, dtype=np.uint8)
    image = np.zeros((height, width, 3), np.uint8)
    image[:, :, 1] = ramp
    image[:, :, 0] = 60
    cv2.circle(image, (width // 2, height // 2), height // 4, (255, 255, 255), -1)
    ok, buffer = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return buffer.tobytes()


def _prepare() -> None:
    shutil.rmtree(FOLDER, ignore_errors=True)
    JPEG.parent.mkdir(parents=True)
    JPEG.write_bytes(synthetic_jpeg())
    atexit.register(shutil.rmtree, FOLDER, ignore_errors=True)


def available() -> str | None:
    """None when the virtual camera can be used in this process, else why not."""
    if os.environ.get("VCAMERADIR") != str(FOLDER):
        return "VCAMERADIR was changed after tests.gphoto2_virtual set it"
    if not _configured_before_import:
        return "gphoto2 was imported before tests.gphoto2_virtual set VCAMERADIR"
    try:
        import gphoto2
    except ImportError:
        return "python-gphoto2 is not installed (pip install 'eyepi[gphoto2]')"
    found = gphoto2.Camera.autodetect()
    if found.count() != 1:
        return f"libgphoto2 lists {found.count()} cameras, not the one virtual camera"
    return None


@contextlib.contextmanager
def camera_vanished() -> Iterator[None]:
    """The camera's storage is gone until the block ends (the folder is renamed away)."""
    away = FOLDER.with_name(FOLDER.name + "-away")
    FOLDER.rename(away)
    try:
        yield
    finally:
        away.rename(FOLDER)


_configured_before_import = "gphoto2" not in sys.modules
if _configured_before_import:
    _prepare()
    os.environ["VCAMERADIR"] = str(FOLDER)
