"""The remote endpoint restarted in process: a change to where it listens moves a real
server (the old port closed, the new one answering), reported to ``services.endpoint``."""

import socket
import ssl
import urllib.request

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.remote_runner import RemoteRunner
from eyepi_gui.station import Station
from tests.fakes import FakeHasher
from tests.ports import free_port
from tests.principals import ADMIN
from tests.waiting import eventually


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def health(url):
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    with urllib.request.urlopen(f"{url}/api/v1/health", timeout=5, context=context) as reply:
        return reply.status


@pytest.fixture
def station(tmp_path):
    station = Station(
        tmp_path / "home",
        fallback=SimBackend(count=1, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
    )
    services = station.open()
    services.config.update_station(ADMIN, {"remote": {"bind": "127.0.0.1", "port": free_port()}})
    yield station
    station.stop()


@pytest.fixture
def runner(station, tmp_path):
    runner = RemoteRunner(station.services, station.home, delay_s=0.05)
    runner.start()
    yield runner
    runner.stop()


def test_a_new_port_moves_the_endpoint_and_closes_the_old_one(station, runner):
    services = station.services
    old = services.config.current().remote.port
    assert services.endpoint.current().url == f"http://127.0.0.1:{old}"
    assert health(services.endpoint.current().url) == 200
    new = free_port()
    services.config.update_station(ADMIN, {"remote": {"port": new}})
    eventually(lambda: services.endpoint.current().url == f"http://127.0.0.1:{new}")
    assert health(f"http://127.0.0.1:{new}") == 200
    assert not answers(old)


def test_tls_switched_on_serves_https_with_its_fingerprint(station, runner):
    services = station.services
    services.config.update_station(ADMIN, {"remote": {"tls": True}})
    eventually(lambda: (services.endpoint.current().url or "").startswith("https://"))
    view = services.endpoint.current()
    assert view.running and view.fingerprint and health(view.url) == 200


def test_disabled_and_enabled_again(station, runner):
    services = station.services
    port = services.config.current().remote.port
    services.config.update_station(ADMIN, {"remote": {"enabled": False}})
    eventually(lambda: not services.endpoint.current().running)
    assert services.endpoint.current().problem is None and not answers(port)
    services.config.update_station(ADMIN, {"remote": {"enabled": True}})
    eventually(lambda: services.endpoint.current().running)
    assert answers(port)


def test_other_changes_leave_the_server_alone(station, runner):
    services = station.services
    before = runner.server
    services.config.update_station(ADMIN, {"station_name": "field-9", "remote": {"reauth_s": 60}})
    eventually(lambda: services.overview.health().station_name == "field-9")
    runner.apply()
    assert runner.server is before


def test_a_port_another_program_took_is_reported_and_the_station_runs_on(station):
    services = station.services
    port = services.config.current().remote.port
    with socket.socket() as other:
        other.bind(("127.0.0.1", port))
        other.listen()
        runner = RemoteRunner(services, station.home, delay_s=0.05)
        runner.start()
        try:
            view = services.endpoint.current()
            assert not view.running and "remote.port" in view.problem
            assert runner.server is None
        finally:
            runner.stop()
