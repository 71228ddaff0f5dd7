"""Station settings through the service: every setting of the station page in one validated,
audited, admin-only call; bad values refused per field with nothing changed; the remote
endpoint's bind and port checked against this machine."""

import math
import socket

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.events import SettingsChanged
from eyepi_gui.errors import Forbidden, InvalidInput
from tests.ports import free_port

ADA = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7")
OTTO = Principal("otto", Role.OPERATOR, Origin.KIOSK)
VERA = Principal("vera", Role.VIEWER, Origin.KIOSK)


@pytest.fixture
def services(accounts_station):
    return accounts_station.services


@pytest.fixture
def toml(accounts_station):
    return accounts_station.home / "station.toml"


PAGE = {
    "station_name": "field-north",
    "timezone": "Europe/Berlin",
    "free_space_floor_mib": 10_000_000,
    "capture_timeout_s": 12.5,
    "security": {"auto_lock_s": 90, "viewer_when_locked": True},
    "preview": {"max_fps": 4},
}


def test_every_setting_of_the_page_changes_in_one_call_and_takes_effect(services, toml):
    events = []
    services.bus.subscribe(events.append)
    port = free_port()
    remote = {"enabled": True, "bind": "127.0.0.1", "port": port, "tls": True}
    after = services.config.update_station(ADA, PAGE | {"remote": remote})
    saved = cfg.loads(toml.read_text())
    assert saved == after == services.config.current()
    assert (saved.station_name, saved.timezone) == ("field-north", "Europe/Berlin")
    assert (saved.free_space_floor_mib, saved.capture_timeout_s) == (10_000_000, 12.5)
    assert (saved.security.auto_lock_s, saved.security.viewer_when_locked) == (90, True)
    assert saved.preview.max_fps == 4
    assert (saved.remote.bind, saved.remote.port, saved.remote.tls) == ("127.0.0.1", port, True)
    health = services.overview.health()
    assert health.station_name == "field-north"
    assert health.storage_problem is not None  # the new floor is above any free space
    assert str(services.config.tz()) == "Europe/Berlin"
    changed = [e for e in events if isinstance(e, SettingsChanged)][-1]
    assert changed.section == "station"
    assert {"timezone", "security.auto_lock_s", "remote.port", "preview.max_fps"} <= set(
        changed.changed
    )
    entry = services.audit.recent(ADA, 1, action="settings")[0]
    assert entry.target == "station" and entry.detail.startswith("station_name, timezone")
    assert entry.username == "ada" and entry.address == "192.0.2.7"


@pytest.mark.parametrize("who", [OTTO, VERA, Principal.anonymous(Origin.REMOTE)])
def test_viewers_and_operators_are_refused_at_the_service(services, toml, who):
    before = toml.read_bytes()
    with pytest.raises(Forbidden):
        services.config.update_station(who, {"station_name": "mine"})
    assert toml.read_bytes() == before
    assert services.config.current().station_name != "mine"


BAD = [
    ({"station_name": ""}, "station_name"),
    ({"station_name": "a\nb"}, "station_name"),
    ({"station_name": "x" * 64}, "station_name"),
    ({"station_name": 5}, "station_name"),
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "Factory"}, "timezone"),
    ({"timezone": "posixrules"}, "timezone"),
    ({"timezone": "europe/berlin"}, "timezone"),
    ({"timezone": 3}, "timezone"),
    ({"free_space_floor_mib": -1}, "free_space_floor_mib"),
    ({"free_space_floor_mib": 1.5}, "free_space_floor_mib"),
    ({"free_space_floor_mib": math.nan}, "free_space_floor_mib"),
    ({"free_space_floor_mib": "500"}, "free_space_floor_mib"),
    ({"free_space_floor_mib": True}, "free_space_floor_mib"),
    ({"capture_timeout_s": 0}, "capture_timeout_s"),
    ({"capture_timeout_s": -5}, "capture_timeout_s"),
    ({"capture_timeout_s": math.inf}, "capture_timeout_s"),
    ({"capture_timeout_s": math.nan}, "capture_timeout_s"),
    ({"capture_timeout_s": 601}, "capture_timeout_s"),
    ({"security": {"auto_lock_s": 10}}, "security.auto_lock_s"),
    ({"security": {"auto_lock_s": -1}}, "security.auto_lock_s"),
    ({"security": {"auto_lock_s": "300"}}, "security.auto_lock_s"),
    ({"security": {"viewer_when_locked": 1}}, "security.viewer_when_locked"),
    ({"security": {"viewer_when_locked": "yes"}}, "security.viewer_when_locked"),
    ({"preview": {"max_fps": 0}}, "preview.max_fps"),
    ({"preview": {"max_fps": math.nan}}, "preview.max_fps"),
    ({"preview": {"max_fps": 31}}, "preview.max_fps"),
    ({"remote": {"enabled": 1}}, "remote.enabled"),
    ({"remote": {"enabled": "yes"}}, "remote.enabled"),
    ({"remote": {"tls": 0}}, "remote.tls"),
    ({"remote": {"port": 65536}}, "remote.port"),
    ({"remote": {"port": -1}}, "remote.port"),
    ({"remote": {"port": 80.5}}, "remote.port"),
    ({"remote": {"port": "8080"}}, "remote.port"),
    ({"remote": {"bind": "localhost"}}, "remote.bind"),
    ({"remote": {"bind": "192.0.2.1"}}, "remote.bind"),  # a documentation address, none of ours
    ({"remote": {"bind": "999.1.1.1"}}, "remote.bind"),
    ({"remote": {"colour": "red"}}, "remote.colour"),
    ({"remote.port": 8081}, "remote.port"),
    ({"network_cameras": {}}, "network_cameras"),
    ({"cameras": {}}, "cameras"),
    ({"no_such_setting": 1}, "no_such_setting"),
]


@pytest.mark.parametrize(("changes", "field"), BAD, ids=[str(c) for c, _ in BAD])
def test_a_bad_value_is_refused_naming_its_field_and_nothing_changes(
    services, toml, changes, field
):
    services.config.update_station(ADA, {"station_name": "before"})
    before, on_disk = services.config.current(), toml.read_bytes()
    good = {"timezone": "Europe/Berlin", "remote": {"port": free_port()}}
    with pytest.raises(InvalidInput) as refused:
        services.config.update_station(ADA, good | changes if "remote" not in changes else changes)
    assert refused.value.field == field
    assert toml.read_bytes() == on_disk and services.config.current() == before


def test_a_port_another_program_listens_on_is_refused(services, toml):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        before = toml.read_bytes()
        with pytest.raises(InvalidInput) as refused:
            services.config.update_station(ADA, {"remote": {"bind": "127.0.0.1", "port": taken}})
    assert refused.value.field == "remote.port" and "in use" in refused.value.reason
    assert toml.read_bytes() == before


def test_the_running_endpoints_own_port_is_fine(services):
    with socket.socket() as own:  # stands for the endpoint's own server
        own.bind(("127.0.0.1", 0))
        own.listen()
        port = own.getsockname()[1]
        services.endpoint.started(f"http://0.0.0.0:{port}", None)
        after = services.config.update_station(
            ADA, {"remote": {"bind": "127.0.0.1", "port": port, "tls": True}}
        )
    assert (after.remote.port, after.remote.tls) == (port, True)


def test_a_disabled_endpoint_needs_no_free_port(services):
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        taken = other.getsockname()[1]
        after = services.config.update_station(
            ADA, {"remote": {"enabled": False, "bind": "127.0.0.1", "port": taken}}
        )
    assert not after.remote.enabled and after.remote.port == taken
