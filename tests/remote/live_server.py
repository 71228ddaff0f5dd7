"""A station with its remote endpoint on a real socket, for tests that speak HTTP to it.

The shape of ``tests/remote/conftest.py`` (two sim cameras at 64x48, FakeHasher, ada the
admin, otto an operator, vera a viewer) with a real ``SystemClock`` and a ``RemoteServer`` on
127.0.0.1 port 0. ``token`` is an API token of ada's for ``Authorization: Bearer``.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from flask import Flask

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.adapters.clock import SystemClock
from eyepi_gui.domain.access import Origin, Principal
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.settings import RemoteSettings
from eyepi_gui.station import Station
from remote.app import create_app
from remote.server import RemoteServer
from tests.fake_network import FakeNetwork
from tests.fakes import FakeHasher
from tests.remote.conftest import PASSWORDS, network_in_range

CAMERAS = ("sim-1", "sim-2")


@dataclass(frozen=True)
class LiveStation:
    station: Station
    services: StationServices
    app: Flask
    server: RemoteServer
    admin: Principal
    token: str
    token_id: str
    network: FakeNetwork

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    def connect(self, timeout: float = 5.0) -> socket.socket:
        """A new connection from 127.0.0.1, TLS when the station serves HTTPS (the self-signed
        certificate is not checked here)."""
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=timeout)
        if not self.url.startswith("https:"):
            return sock
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        return context.wrap_socket(sock, server_hostname="localhost")

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@contextlib.contextmanager
def live_station(home: Path, *, tls: bool = False) -> Iterator[LiveStation]:
    """The station on ``home``, served until the block ends (HTTPS with a self-signed
    certificate when ``tls``). Its NetworkManager is ``network_in_range`` on the real clock."""
    network = network_in_range(SystemClock())
    station = Station(
        home,
        fallback=SimBackend(count=len(CAMERAS), capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        network=network,
    )
    services = station.open()
    try:
        admin = services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
        for camera_id in CAMERAS:
            services.config.update_camera(admin, camera_id, {"resolution": "64x48"})
        services.users.add_user(admin, "otto", PASSWORDS["otto"], "operator")
        services.users.add_user(admin, "vera", PASSWORDS["vera"], "viewer")
        services.inventory.start()
        info, token = services.tokens.create(admin, "schemathesis")
        settings = RemoteSettings(bind="127.0.0.1", port=0, tls=tls)
        app = create_app(services, settings)
        server = RemoteServer(app, settings, home)
        server.start()
        try:
            yield LiveStation(station, services, app, server, admin, token, info.token_id, network)
        finally:
            server.stop()
    finally:
        station.stop()
