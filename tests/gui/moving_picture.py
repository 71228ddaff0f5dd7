"""A station whose one camera streams a 1920x1080 picture that changes every frame."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from eyepi_gui.adapters.cameras import scene
from eyepi_gui.adapters.cameras.sim import _demo_scene
from eyepi_gui.domain.access import Origin
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.station import Station
from tests.fakes import FakeHasher, PictureBackend
from tests.principals import ADMIN

FULL_HD = (1920, 1080)


@contextlib.contextmanager
def moving_picture_station(home: Path, fps: float = 30) -> Iterator[StationServices]:
    picture = scene.render_scene(_demo_scene(), *FULL_HD)
    station = Station(
        home / "moving",
        fallback=PictureBackend(picture, moving=True),
        log_to_console=False,
        hasher=FakeHasher(),
    )
    services = station.open()
    services.users.create_first_admin(Origin.KIOSK, "ada", "admin long secret")
    services.config.update_station(ADMIN, {"preview": {"max_fps": fps}})
    services.config.update_camera(ADMIN, "pic-1", {"interval_s": 86400.0, "window": "always"})
    station.start()
    try:
        yield services
    finally:
        station.stop()
