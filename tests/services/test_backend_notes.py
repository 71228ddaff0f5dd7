"""A backend's "not installed" note shows only where its hardware could be: picamera2's on a
Raspberry Pi, gphoto2's while a USB still-image camera is attached. Real backends, this
machine's missing libraries (neither picamera2 nor libcamera exist here)."""

import sys

import pytest

from eyepi_gui.adapters.cameras.probe import camera_backends
from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.station import Station
from tests.fakes import FakeHasher


class Machine:
    def __init__(self, pi=False, ptp=False):
        self.pi, self.ptp = pi, ptp

    def raspberry_pi(self):
        return self.pi

    def still_camera_on_usb(self):
        return self.ptp


@pytest.fixture
def notes(tmp_path, clock):
    """The inventory's backend statuses on a station built on a given machine."""
    stations = []

    def notes_on(machine):
        station = Station(
            tmp_path / f"home{len(stations)}",
            clock=clock,
            fallback=SimBackend(count=1, capture_delay_s=0),
            log_to_console=False,
            hasher=FakeHasher(),
            hardware=lambda settings: camera_backends(settings, machine),
        )
        stations.append(station)
        services = station.open()
        services.inventory.start(rescan_s=3600)
        return {status.name: status for status in services.inventory.backend_status()}

    yield notes_on
    for station in stations:
        station.stop()


def test_picamera2_missing_is_not_a_note_on_a_laptop(notes):
    shown = notes(Machine(pi=False))
    assert "picamera2" not in shown
    assert shown["sim"].available and "opencv" in shown


def test_picamera2_missing_is_a_note_on_a_pi(notes):
    shown = notes(Machine(pi=True))
    assert not shown["picamera2"].available
    assert "not installed" in shown["picamera2"].reason


@pytest.fixture
def without_gphoto2(monkeypatch):
    """python-gphoto2 is installed here: make its import fail as on a station without it."""
    monkeypatch.setitem(sys.modules, "gphoto2", None)


def test_gphoto2_missing_is_not_a_note_without_a_still_camera(notes, without_gphoto2):
    assert "gphoto2" not in notes(Machine(ptp=False))


def test_gphoto2_missing_is_a_note_with_a_still_camera_on_usb(notes, without_gphoto2):
    shown = notes(Machine(ptp=True))
    assert not shown["gphoto2"].available
    assert "gphoto2 is not installed" in shown["gphoto2"].reason


def test_an_available_backend_is_listed_wherever_it_runs(notes):
    assert notes(Machine(ptp=False))["gphoto2"].available  # python-gphoto2 is installed here
