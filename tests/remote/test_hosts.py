"""Issue 11, defect 8 and the public pages: the Host header is the client's word, never the
station's. Redirects carry no host, same-site checks compare with the station's own names and
addresses, and credentials a public page does not need never make it fail."""

import http.client
import socket
import time
from urllib.parse import urlsplit

import pytest

from eyepi_gui.adapters.addresses import LocalAddresses
from eyepi_gui.domain.hosts import normalized_host
from eyepi_gui.errors import InvalidInput
from eyepi_gui.services.addresses import RECHECK_S, StationAddresses
from eyepi_gui.settings import RemoteSettings, StationSettings, parse_station
from remote.auth import PUBLIC
from tests.principals import ADMIN
from tests.remote.live_server import live_station

FORGED = "evil.example"


class FixedAddresses:
    """A NetworkAddresses port with set answers."""

    def __init__(self, names=("field-7",), ips=("127.0.0.1", "::1", "192.0.2.7"), domains=()):
        self.names, self.ips, self.domains = names, ips, domains

    def host_names(self):
        return self.names

    def search_domains(self):
        return self.domains

    def ip_addresses(self):
        return self.ips


class FixedSettings:
    def __init__(self, names=()):
        self.settings = StationSettings(remote=RemoteSettings(names=names))

    def current(self):
        return self.settings


def addresses(names=(), **source):
    return StationAddresses(FixedAddresses(**source), FixedSettings(names))


def test_an_address_the_station_just_got_counts_at_once():
    """After a network change (e.g. confirmed from the new address a moment later)."""
    source = FixedAddresses(ips=("192.0.2.7",))
    known = StationAddresses(source, FixedSettings())
    assert not known.is_own("192.0.2.20", 80, 80)
    source.ips = ("192.0.2.20",)
    time.sleep(RECHECK_S + 0.1)  # well within REFRESH_S of the last full reading
    assert known.is_own("192.0.2.20", 80, 80)
    assert not known.is_own("192.0.2.7", 80, 80)


def test_the_station_knows_its_names_and_addresses_and_nothing_else():
    known = addresses(names=("field-7", "field-7.lab.example"), domains=("lan", "fritz.box"))
    own = ["localhost", "FIELD-7", "field-7.local", "field-7.lab.example.", "192.0.2.7"]
    own += ["field-7.lan", "field-7.fritz.box", "[::1]", "0:0:0:0:0:0:0:1", "127.0.0.1"]
    for host in own:
        assert known.is_own(host, 8080, 8080), host
        assert not known.is_own(host, 8081, 8080), host  # another port of this machine
    others = [FORGED, "field-7.evil.example", "evil.lan", "192.0.2.8", "", "127.0.0.2", "null"]
    for host in others:
        assert not known.is_own(host, 8080, 8080), host


def test_names_given_in_remote_names_are_the_station_on_their_port():
    known = addresses(names=("farm.example.org", "[fd00::7]:8443", "198.51.100.4:80"))
    assert known.is_own("FARM.example.org", 8080, 8080)
    assert not known.is_own("farm.example.org", 80, 8080)
    assert known.is_own("fd00::7", 8443, 8080)
    assert not known.is_own("fd00::7", 8080, 8080)
    assert known.is_own("198.51.100.4", 80, 8080)
    assert not known.is_own("example.org", 8080, 8080)


def test_search_domains_come_from_resolv_conf(tmp_path):
    conf = tmp_path / "resolv.conf"
    conf.write_text(
        "# from DHCP\nnameserver 192.0.2.1\nsearch lan Home.Example.\ndomain fritz.box\n"
        "search bad_domain\x00 -x.org\noptions ndots:1\n"
    )
    assert LocalAddresses(conf).search_domains() == ("fritz.box", "home.example", "lan")
    assert LocalAddresses(tmp_path / "missing").search_domains() == ()


def test_real_interfaces_include_loopback():
    source = LocalAddresses()
    assert "127.0.0.1" in source.ip_addresses()
    assert socket.gethostname() in source.host_names()
    assert normalized_host("[FE80::1]") == "fe80::1"


@pytest.mark.parametrize(
    "entry",
    ["a b", "x\n", "host:0", "host:65536", "-x.org", "[::1", "[::1]x", "[name]:80", "é.org"],
)
def test_remote_names_refuse_what_is_no_host(entry):
    with pytest.raises(ValueError, match="host name"):
        RemoteSettings(names=(entry,))
    with pytest.raises(InvalidInput) as refused:
        parse_station({"remote": {"names": ["ok.example", entry]}})
    assert refused.value.field == "remote.names"


# --- redirects: a live server, as a client that forges Host would see it ---------------------


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_station(tmp_path_factory.mktemp("hosts") / "home") as station:
        yield station


def location_for(live, path, host=FORGED):
    conn = http.client.HTTPConnection("127.0.0.1", urlsplit(live.url).port, timeout=5)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        response.read()
        return response.status, response.headers.get("Location")
    finally:
        conn.close()


@pytest.mark.parametrize(
    "path",
    [
        "/static//app.css",
        "//static/app.css",
        "/api//v1/cameras",
        "/cameras//sim-1",
        "/",
        "/cameras/sim-1",
        "/logout",
        "//evil.example/%2e%2e",
    ],
)
@pytest.mark.parametrize("host", [FORGED, "[evil", "evil.example:99999", "a b", "x/y"])
def test_no_redirect_carries_the_host_header(live, path, host):
    status, location = location_for(live, path, host)
    assert status < 500
    if location is None:
        assert status != 302
        return
    assert host not in location
    parts = urlsplit(location)
    assert (parts.scheme, parts.netloc) == ("", ""), location
    assert location.startswith("/") and not location.startswith("//"), location


# --- same-site checks: Origin against the station's own addresses, not Host ------------------


def post_token(client, origin, host="localhost"):
    headers = {"Host": host, "Authorization": "Bearer nope"}
    if origin is not None:
        headers["Origin"] = origin
    return client.post("/api/v1/tokens", json={"name": "x"}, headers=headers)


@pytest.mark.parametrize(
    ("origin", "host"),
    [
        (f"http://{FORGED}", FORGED),  # Host and Origin agree, but neither is this station
        (f"http://{FORGED}:80", FORGED),
        ("http://localhost:8080", "localhost"),  # another port of this machine
        ("https://localhost", "localhost"),  # another scheme
        ("http://127.0.0.2", "127.0.0.2"),
        ("null", "localhost"),
        ("http://localhost:99999", "localhost"),
        ("http://[::1", "localhost"),
        ("http://localhost/x", "localhost"),  # no browser sends more than scheme://host:port
        ("http://ada@localhost", "localhost"),
        ("http://localhost?", "localhost"),
        ("http://localhost\t", "localhost"),
        ("http://localhost:080", "localhost"),
    ],
)
def test_state_changes_from_other_origins_are_refused(client, origin, host):
    response = post_token(client, origin, host)
    assert response.status_code == 403
    assert "other sites" in response.get_json()["message"]


@pytest.mark.parametrize("origin", ["http://localhost", "http://127.0.0.1", "http://[::1]:80"])
def test_the_station_own_origins_pass_the_same_site_check(client, origin):
    # past the check, the made-up token is what is refused
    assert post_token(client, origin, host=FORGED).status_code == 401


def test_a_name_given_in_remote_names_passes_the_same_site_check(client, services):
    assert post_token(client, "http://farm.example.org").status_code == 403
    services.config.update_station(ADMIN, {"remote": {"names": ["farm.example.org"]}})
    assert post_token(client, "http://farm.example.org").status_code == 401


# --- credentials sent to public endpoints are ignored there ----------------------------------

PUBLIC_REQUESTS = {
    "pages.login": ("GET", "/login"),
    "pages.login_post": ("POST", "/login"),
    "static": ("GET", "/static/app.css"),
    "station.health": ("GET", "/api/v1/health"),
    "pages.network_confirm.show": ("GET", f"/network/confirm/{'0' * 32}"),
    "pages.network_confirm.keep": ("POST", f"/network/confirm/{'0' * 32}"),
    "pages.network_confirm.undo": ("POST", f"/network/confirm/{'0' * 32}/undo"),
}
CREDENTIALS = [
    "Basic YWRhOnNlY3JldA==",
    "Bearer not-a-token",
    "Bearer ",
    "Digest username=ada",
    "Negotiate abc",
    "garbage",
]


def test_every_public_endpoint_has_a_request_here():
    assert set(PUBLIC_REQUESTS) == set(PUBLIC)


@pytest.mark.parametrize("endpoint", sorted(PUBLIC))
@pytest.mark.parametrize("credentials", CREDENTIALS)
def test_public_endpoints_ignore_credentials_they_do_not_need(client, endpoint, credentials):
    method, path = PUBLIC_REQUESTS[endpoint]
    response = client.open(path, method=method, headers={"Authorization": credentials})
    assert response.status_code != 401, response.get_data(as_text=True)[:200]
    assert response.status_code < 500


@pytest.mark.parametrize("credentials", CREDENTIALS)
def test_private_endpoints_still_refuse_them(client, credentials):
    response = client.get("/api/v1/cameras", headers={"Authorization": credentials})
    assert response.status_code == 401
