"""The opencv backend in the camera contract suite: one network camera, for real, against a
local MJPEG HTTP server (with a login) that the fixture starts and stops.

conftest.py enrols it with:
    from tests.contract.backend_opencv import opencv_stream_backend  # noqa: F401
    BACKEND_FIXTURES = ["sim_backend", "opencv_stream_backend"]
"""

import pytest

from eyepi_gui.adapters.cameras.opencv import OpencvBackend
from tests.mjpeg_server import MjpegServer


@pytest.fixture
def opencv_stream_backend(tmp_path):
    with MjpegServer(credentials=("tech", "contract-pw")) as server:
        # An empty sysfs root: a developer's own webcam must not become the camera under test.
        yield OpencvBackend(
            {"stream-1": server.url},
            sysfs_root=tmp_path / "no-sysfs",
            open_timeout_s=3,
            read_timeout_s=3,
        )
