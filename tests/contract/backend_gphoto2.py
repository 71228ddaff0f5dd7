"""The gphoto2 backend in the camera contract suite, on libgphoto2's virtual camera.

Importing tests.gphoto2_virtual sets VCAMERADIR; the adapter imports gphoto2 only when used,
so this module must be imported (by conftest.py) before any test touches gphoto2.
"""

import pytest

from eyepi_gui.adapters.cameras.gphoto2 import Gphoto2Backend
from tests import gphoto2_virtual


@pytest.fixture
def gphoto2_virtual_backend():
    """A Gphoto2Backend that sees the one virtual camera (skips where it cannot)."""
    reason = gphoto2_virtual.available()
    if reason is not None:
        pytest.skip(reason)
    return Gphoto2Backend()
