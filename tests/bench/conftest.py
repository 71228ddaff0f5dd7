import pytest

from eyepi_gui.domain.access import Origin
from eyepi_gui.station import Station
from tests.bench.mode import full_mode
from tests.principals import ADMIN


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/bench/" in str(item.fspath):
            item.add_marker(pytest.mark.bench)


@pytest.fixture
def quick() -> bool:
    """Quick mode (EYEPI_BENCH=quick or unset): small sizes, goals printed, not asserted.
    ``tests/bench/mode.py`` reads the variable for every benchmark."""
    return not full_mode()


PASSWORD = "admin long secret"
"""ada's password on the login benchmarks' ``station``."""


@pytest.fixture
def station(tmp_path, quick):
    """A station with one admin (ada); bcrypt cost 10 in quick mode, 12 (the default) in full."""
    station = Station(tmp_path / "home", log_to_console=False)
    services = station.open()
    services.config.update_station(ADMIN, {"security": {"bcrypt_cost": 10 if quick else 12}})
    services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORD)
    yield station
    station.stop()
