"""The backends every camera contract test runs over, by fixture name.

A backend joins the suite by providing a fixture (returning a ready CameraBackend with at
least one camera attached) and adding its name to BACKEND_FIXTURES.
"""

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from tests.contract.backend_gphoto2 import gphoto2_virtual_backend  # noqa: F401
from tests.contract.backend_opencv import opencv_stream_backend  # noqa: F401
from tests.contract.backend_picamera2 import picamera2_fake_backend  # noqa: F401

BACKEND_FIXTURES = [
    "sim_backend",
    "gphoto2_virtual_backend",
    "opencv_stream_backend",
    "picamera2_fake_backend",
]


@pytest.fixture
def sim_backend():
    return SimBackend(count=2, capture_delay_s=0.0)


@pytest.fixture(params=BACKEND_FIXTURES)
def backend_under_test(request):
    return request.getfixturevalue(request.param)
