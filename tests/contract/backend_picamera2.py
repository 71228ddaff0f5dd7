"""The picamera2 adapter in the camera contract suite, over the fake library: a camera with
autofocus (imx708) and one without (imx477)."""

import pytest

from eyepi_gui.adapters.cameras.picamera2 import Picamera2Backend
from tests.fake_picamera2 import FakeSensor, fake_library


@pytest.fixture
def picamera2_fake_backend():
    library = fake_library(
        FakeSensor("imx708", bus="i2c@88000", size=(4608, 2592)),
        FakeSensor("imx477", bus="i2c@80000", size=(4056, 3040), autofocus=False),
    )
    return Picamera2Backend(loader=lambda: library)
