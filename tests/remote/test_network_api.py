"""The network API (``/api/v1/network``, Flask test client, FakeNetwork behind the service):
reads for everyone logged in, Wi-Fi for operators, addressing/hostname/hotspot for admins
with a recently typed password (never a token); remote changes answer 202 and wait for
confirmation; bad input names the field and changes nothing; passwords never come back.
The role matrix at the end covers every endpoint and method for anonymous, viewer,
operator, admin and API-token callers."""

import logging
import tomllib
import typing

import pytest
from pydantic import BaseModel

import remote.network_models as models
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.settings.values import Number, Switch
from tests.remote.conftest import HOSTILE_SSIDS, LAB_WIFI

API = "/api/v1/network"
LAB_HEX = LAB_WIFI[0].encode().hex().upper()
CHANGES = {
    "join_wifi",
    "forget",
    "set_priority",
    "set_ipv4",
    "set_hostname",
    "checkpoint",
    "activate",
    "start_hotspot",
    "stop_hotspot",
    "confirm",
    "rollback",
}
"""FakeNetwork calls that change something."""
REMOTE_ADA = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7")


@pytest.fixture
def ada(web):
    web.login("ada")
    web.confirm("ada")
    return web


@pytest.fixture
def otto(web):
    return web.login("otto")


def state(station, network):
    """Everything a network request could change."""
    profiles = sorted((p.uuid, p.name, p.priority, p.ipv4) for p in network.saved())
    up = [(d.name, d.connection_uuid, d.addresses) for d in network.devices()]
    toml = (station.home / "station.toml").read_text()
    return profiles, up, network.hostname(), network.checkpoints(), toml


class Untouched:
    """Asserts that a block asked NetworkManager to change nothing and nothing changed."""

    def __init__(self, station, network):
        self.station, self.network = station, network

    def __enter__(self):
        self.before = state(self.station, self.network)
        self.calls = len(self.network.calls)
        return self

    def __exit__(self, *exc):
        if exc[0] is None:
            made = set(self.network.calls[self.calls :]) & CHANGES
            assert made == set(), f"NetworkManager was asked to change: {made}"
            assert state(self.station, self.network) == self.before


@pytest.fixture
def untouched(station, network):
    return lambda: Untouched(station, network)


def wired(network):
    return network.wired_uuid()


def refused(response, field, secret=None):
    """A 400 naming ``field`` (and never echoing ``secret``)."""
    body = response.get_json()
    assert response.status_code == 400, body
    assert body["error"] == "InvalidInput" and body["field"] == field, body
    assert field in body["message"]
    if secret:
        assert secret not in response.get_data(as_text=True)
    return body


# --- reads ---------------------------------------------------------------------------


def test_status_gives_the_reachable_address_devices_and_hotspot_without_passphrase(web):
    web.login("vera")
    body = web.client.get(f"{API}/status").get_json()
    assert body["available"] is True and body["problem"] == ""
    assert body["reachable"] == ["192.168.1.50"]
    assert body["hostname"] == "eyepi"
    eth0 = next(d for d in body["devices"] if d["name"] == "eth0")
    assert eth0["connected"] and eth0["addresses"] == ["192.168.1.50/24"]
    assert eth0["gateway"] == "192.168.1.1" and eth0["kind"] == "ethernet"
    assert body["hotspot"]["ssid"] == "eyepi-eyepi" and body["hotspot"]["passphrase"] is None
    assert body["pending"] is None


def test_status_says_why_when_networkmanager_is_down_and_the_rest_is_503(web, network):
    web.login("vera")
    network.running = False
    body = web.client.get(f"{API}/status").get_json()
    assert body["available"] is False and "NetworkManager is not running" in body["problem"]
    assert body["devices"] == [] and body["reachable"] == []
    for path in ("/saved", "/wifi", "/hotspot"):
        response = web.client.get(API + path)
        assert response.status_code == 503, path
        assert response.get_json()["error"] == "CommandFailed"


def test_the_wifi_list_is_strongest_first_with_bars_and_html_looking_names_as_text(web):
    web.login("vera")
    networks = web.client.get(f"{API}/wifi").get_json()
    assert [n["ssid"] for n in networks] == [LAB_WIFI[0], HOSTILE_SSIDS[1], HOSTILE_SSIDS[0]]
    lab = networks[0]
    assert (lab["ssid_hex"], lab["bars"], lab["open"], lab["security"]) == (
        LAB_HEX,
        4,
        False,
        "WPA2",
    )
    assert networks[2]["ssid_hex"] == HOSTILE_SSIDS[0].encode().hex().upper()
    assert networks[2]["open"] is True


def test_saved_profiles_give_their_addressing_in_the_shape_put_takes(web, network, services):
    web.login("vera")
    services.network.set_addressing(
        Principal("ada", Role.ADMIN, Origin.KIOSK), wired(network), "manual", "10.1.2.3", 16
    )
    (profile,) = web.client.get(f"{API}/saved").get_json()
    assert profile["uuid"] == wired(network) and profile["device"] == "eth0"
    assert profile["ipv4"] == {
        "method": "manual",
        "address": "10.1.2.3",
        "prefix": 16,
        "gateway": None,
        "dns": [],
    }


@pytest.mark.parametrize(("who", "shown"), [("vera", False), ("otto", True), ("ada", True)])
def test_the_hotspot_passphrase_is_for_operators_and_admins(web, who, shown):
    web.login(who)
    body = web.client.get(f"{API}/hotspot").get_json()
    assert body["ssid"] == "eyepi-eyepi" and body["fallback"] is True and body["after_s"] == 300
    if shown:
        assert len(body["passphrase"]) == 14
    else:
        assert body["passphrase"] is None


def test_rescan_makes_the_radio_look_again(otto, network):
    response = otto.client.post(f"{API}/wifi/rescan", headers=otto.headers())
    assert response.status_code == 200 and network.rescans == 1
    assert response.get_json()[0]["ssid"] == LAB_WIFI[0]


# --- joining, confirming, undoing ----------------------------------------------------


def test_a_join_waits_for_confirmation_and_a_confirmed_one_stays(otto, network, services):
    response = otto.client.post(
        f"{API}/wifi/join",
        json={"ssid": LAB_WIFI[0], "password": LAB_WIFI[1]},
        headers=otto.headers(),
    )
    assert response.status_code == 202, response.get_json()
    assert response.headers["Location"] == f"{API}/pending"
    change = response.get_json()
    assert change["what"] == "joined Wi-Fi 'field-lab'" and change["by"].startswith("otto")
    assert change["seconds_left"] == 60.0 and change["deadline"] - change["started_at"] == 60
    assert change["confirm_url"] == f"{API}/pending/{change['change_id']}/confirm"
    assert "undone in 60 s unless confirmed" in change["message"]
    assert (
        otto.client.get(f"{API}/pending").get_json()["pending"]["change_id"]
        == (change["change_id"])
    )
    assert otto.client.get(f"{API}/status").get_json()["pending"]["what"] == change["what"]
    confirmed = otto.client.post(change["confirm_url"], headers=otto.headers())
    assert confirmed.status_code == 204
    assert otto.client.get(f"{API}/pending").get_json() == {"pending": None}
    assert network.checkpoints() == []
    wlan0 = next(d for d in network.devices() if d.name == "wlan0")
    assert wlan0.ssid == LAB_WIFI[0] and wlan0.connected


def test_a_join_by_the_scan_bytes_can_be_undone_now(otto, network):
    before = [p.uuid for p in network.saved()]
    change = otto.client.post(
        f"{API}/wifi/join",
        json={"ssid_hex": LAB_HEX, "password": LAB_WIFI[1]},
        headers=otto.headers(),
    ).get_json()
    assert len(network.saved()) == 2
    response = otto.client.post(change["revert_url"], headers=otto.headers())
    assert response.status_code == 204
    assert [p.uuid for p in network.saved()] == before
    late = otto.client.post(change["confirm_url"], headers=otto.headers())
    assert late.status_code == 404 and "undone already (reverted)" in late.get_json()["message"]


def test_an_open_network_with_an_html_looking_name_is_joined_by_its_bytes(otto, network):
    ssid = HOSTILE_SSIDS[0]
    response = otto.client.post(
        f"{API}/wifi/join", json={"ssid_hex": ssid.encode().hex()}, headers=otto.headers()
    )
    assert response.status_code == 202
    assert response.get_json()["what"] == f"joined Wi-Fi {ssid!r}"
    assert any(p.ssid == ssid for p in network.saved())


def test_an_unconfirmed_change_is_undone_at_its_deadline(otto, network, clock):
    change = otto.client.patch(
        f"{API}/saved/{wired(network)}", json={"priority": 7}, headers=otto.headers()
    ).get_json()
    assert network.profile(wired(network)).priority == 7
    clock.set(clock.now() + 30)
    assert otto.client.get(f"{API}/pending").get_json()["pending"]["seconds_left"] == 30.0
    clock.set(clock.now() + 31)
    assert otto.client.get(f"{API}/status").get_json()["pending"] is None
    assert network.profile(wired(network)).priority == 0
    late = otto.client.post(change["confirm_url"], headers=otto.headers())
    assert late.status_code == 404 and "timed out" in late.get_json()["message"]


def test_one_change_waits_at_a_time(otto, network, untouched):
    otto.client.patch(f"{API}/saved/{wired(network)}", json={"priority": 7}, headers=otto.headers())
    with untouched():
        response = otto.client.post(
            f"{API}/wifi/join",
            json={"ssid": LAB_WIFI[0], "password": LAB_WIFI[1]},
            headers=otto.headers(),
        )
    assert response.status_code == 409 and response.get_json()["error"] == "Busy"


def test_a_wrong_password_is_503_and_leaves_nothing_behind(otto, network):
    before = state_of_profiles(network)
    response = otto.client.post(
        f"{API}/wifi/join",
        json={"ssid": LAB_WIFI[0], "password": "not the password"},
        headers=otto.headers(),
    )
    assert response.status_code == 503
    assert "refused the password" in response.get_json()["message"]
    assert "not the password" not in response.get_data(as_text=True)
    assert state_of_profiles(network) == before and network.checkpoints() == []
    assert otto.client.get(f"{API}/pending").get_json() == {"pending": None}


def state_of_profiles(network):
    return sorted((p.uuid, p.priority) for p in network.saved())


def test_forget_and_priority(otto, network, services):
    services.network.join_wifi(Principal("otto", Role.OPERATOR, Origin.KIOSK), *LAB_WIFI)
    lab = next(p.uuid for p in network.saved() if p.ssid == LAB_WIFI[0])
    response = otto.client.delete(f"{API}/saved/{lab}", headers=otto.headers())
    assert response.status_code == 202 and response.get_json()["what"] == "forgot 'field-lab'"
    assert lab not in [p.uuid for p in network.saved()]
    otto.client.post(response.get_json()["confirm_url"], headers=otto.headers())
    response = otto.client.patch(
        f"{API}/saved/{wired(network)}", json={"priority": -5}, headers=otto.headers()
    )
    assert response.status_code == 202 and network.profile(wired(network)).priority == -5


def test_an_unknown_profile_is_404(otto, untouched):
    unknown = "01234567-89ab-cdef-0123-456789abcdef"
    with untouched():
        assert otto.client.delete(f"{API}/saved/{unknown}", headers=otto.headers()).status_code == (
            404
        )
        response = otto.client.patch(
            f"{API}/saved/{unknown}", json={"priority": 1}, headers=otto.headers()
        )
        assert response.status_code == 404


# --- admins' changes -----------------------------------------------------------------


def test_a_static_address_waits_and_says_where_to_confirm(ada, network):
    body = {
        "method": "manual",
        "address": "192.0.2.20",
        "prefix": 24,
        "gateway": "192.0.2.1",
        "dns": ["192.0.2.53", "1.1.1.1"],
    }
    response = ada.client.put(
        f"{API}/saved/{wired(network)}/ipv4", json=body, headers=ada.headers()
    )
    assert response.status_code == 202, response.get_json()
    change = response.get_json()
    assert change["new_address"] == "192.0.2.20"
    assert "from the station's new address 192.0.2.20" in change["message"]
    config = network.profile(wired(network)).ipv4
    assert (config.address, config.gateway, config.dns) == (
        "192.0.2.20/24",
        "192.0.2.1",
        ("192.0.2.53", "1.1.1.1"),
    )
    status = ada.client.get(f"{API}/status").get_json()
    assert status["reachable"] == ["192.0.2.20"]


@pytest.mark.parametrize("typed", [" 192.0.2.20 ", "192.0.2.20/24"])
def test_the_new_address_is_said_as_the_rules_took_it(ada, network, typed):
    """Not echoed as typed (" 192.0.2.20/24 " is no address a client can open)."""
    body = {"method": "manual", "address": typed} | ({} if "/" in typed else {"prefix": 24})
    response = ada.client.put(
        f"{API}/saved/{wired(network)}/ipv4", json=body, headers=ada.headers()
    )
    change = response.get_json()
    assert change["new_address"] == "192.0.2.20"
    assert "new address 192.0.2.20 (or confirm" in change["message"]


def test_dhcp_again(ada, network, services):
    kiosk = Principal("ada", Role.ADMIN, Origin.KIOSK)
    services.network.set_addressing(kiosk, wired(network), "manual", "10.1.2.3", 16)
    response = ada.client.put(
        f"{API}/saved/{wired(network)}/ipv4", json={"method": "auto"}, headers=ada.headers()
    )
    assert response.status_code == 202 and response.get_json()["new_address"] is None
    assert network.profile(wired(network)).ipv4.method == "auto"


def test_the_hostname_applies_at_once(ada, network):
    response = ada.client.put(
        f"{API}/hostname", json={"hostname": "North-7"}, headers=ada.headers()
    )
    assert response.status_code == 200 and response.get_json() == {"hostname": "north-7"}
    assert network.hostname() == "north-7"
    assert ada.client.get(f"{API}/pending").get_json() == {"pending": None}


def test_hotspot_settings_go_to_station_toml(ada, station):
    response = ada.client.put(
        f"{API}/hotspot", json={"fallback": False, "after_s": 900}, headers=ada.headers()
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["fallback"], body["after_s"]) == (False, 900) and body["passphrase"]
    saved = tomllib.loads((station.home / "station.toml").read_text())["network"]
    assert saved["hotspot_fallback"] is False and saved["hotspot_after_s"] == 900


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PUT", "/hostname", {"hostname": "north-7"}),
        ("PUT", "/hotspot", {"fallback": False, "after_s": 900}),
        ("PUT", "/saved/{wired}/ipv4", {"method": "auto"}),
    ],
)
def test_admin_changes_need_the_password_typed_recently(
    web, untouched, network, clock, method, path, body
):
    web.login("ada")
    clock.set(clock.now() + 301)  # remote.reauth_s after the login
    with untouched():
        response = web.client.open(
            API + path.format(wired=wired(network)), method=method, json=body, headers=web.headers()
        )
    assert response.status_code == 401 and response.get_json()["error"] == "reauth_required"


# --- bad input: one test per class, the field named, nothing applied ---------------------

SSID_33 = "x" * 33
EMOJI_SSID = "📡" * 9  # 9 characters, 36 bytes


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"password": LAB_WIFI[1]}, "ssid"),  # neither ssid nor ssid_hex
        ({"ssid": "", "password": LAB_WIFI[1]}, "ssid"),
        ({"ssid": SSID_33, "password": LAB_WIFI[1]}, "ssid"),
        ({"ssid": EMOJI_SSID, "password": LAB_WIFI[1]}, "ssid"),  # over 32 bytes
        ({"ssid": "a\x00b", "password": LAB_WIFI[1]}, "ssid"),
        ({"ssid_hex": "zz", "password": LAB_WIFI[1]}, "ssid"),
        ({"ssid_hex": "ab" * 33, "password": LAB_WIFI[1]}, "ssid_hex"),
        ({"ssid": LAB_WIFI[0], "password": "seven77"}, "password"),  # too short
        ({"ssid": LAB_WIFI[0], "password": "p" * 65}, "password"),  # too long
        ({"ssid": LAB_WIFI[0], "password": "pässwort-lang"}, "password"),  # not ASCII
        ({"ssid": LAB_WIFI[0], "password": "tab\there-long"}, "password"),  # not printable
        ({"ssid": LAB_WIFI[0], "password": 12345678}, "password"),  # not text
        ({"ssid": LAB_WIFI[0], "hidden": "yes please"}, "hidden"),
        ({"ssid": LAB_WIFI[0], "hidden": "true"}, "hidden"),  # pydantic's lax bool took it
        ({"ssid": LAB_WIFI[0], "hidden": 1}, "hidden"),
        ({"ssid": "Lab\u202eAP", "password": LAB_WIFI[1]}, "ssid"),  # invisible character
        ({"ssid": LAB_WIFI[0], "psk": "lab passphrase 1"}, "psk"),  # unknown key
    ],
)
def test_a_bad_join_names_the_field_and_changes_nothing(otto, untouched, body, field):
    with untouched():
        response = otto.client.post(f"{API}/wifi/join", json=body, headers=otto.headers())
    secret = body.get("password") if isinstance(body.get("password"), str) else None
    refused(response, field, secret if secret and len(secret) > 3 else None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"priority": 1000}, "priority"),
        ({"priority": -1000}, "priority"),
        ({"priority": "high"}, "priority"),
        ({"priority": 1.5}, "priority"),
        ({}, "priority"),
        ({"priority": True}, "priority"),  # pydantic's lax int took it as 1
        ({"priority": "5"}, "priority"),  # numbers are written without quotes
    ],
)
def test_a_bad_priority_names_the_field_and_changes_nothing(otto, network, untouched, body, field):
    with untouched():
        response = otto.client.patch(
            f"{API}/saved/{wired(network)}", json=body, headers=otto.headers()
        )
    refused(response, field)


def test_a_malformed_profile_id_names_the_field(otto, untouched):
    with untouched():
        response = otto.client.delete(f"{API}/saved/not-a-uuid", headers=otto.headers())
    refused(response, "uuid")


STATIC = {"method": "manual", "address": "192.0.2.20", "prefix": 24, "gateway": "192.0.2.1"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"method": "static-please"}, "ipv4.method"),
        ({"method": None}, "ipv4.method"),
        ({"address": "192.0.2.300"}, "ipv4.address"),
        ({"address": "not an address"}, "ipv4.address"),
        ({"address": None}, "ipv4.address"),  # "manual" without an address
        ({"address": "192.0.2.0"}, "ipv4.address"),  # the network itself
        ({"address": "192.0.2.255"}, "ipv4.address"),  # its broadcast
        ({"address": "127.0.0.5", "gateway": None}, "ipv4.address"),  # loopback
        ({"address": "224.0.0.9", "gateway": None}, "ipv4.address"),  # multicast
        ({"prefix": 33}, "ipv4.prefix"),
        ({"prefix": 0}, "ipv4.prefix"),
        ({"prefix": "twenty-four"}, "ipv4.prefix"),
        ({"prefix": None}, "ipv4.prefix"),
        ({"prefix": True}, "ipv4.prefix"),  # pydantic's lax int took it: a /1 network
        ({"prefix": "24"}, "ipv4.prefix"),  # numbers are written without quotes
        ({"dns": ["2606:4700:4700::1111"]}, "ipv4.dns"),  # NetworkManager refused it: 503
        ({"gateway": "198.51.100.1"}, "ipv4.gateway"),  # outside the subnet
        ({"gateway": "192.0.2.20"}, "ipv4.gateway"),  # the address itself
        ({"gateway": "gateway.local"}, "ipv4.gateway"),
        ({"dns": ["192.0.2.53", "x.y"]}, "ipv4.dns"),
        ({"dns": ["1.1.1.1", "8.8.8.8", "9.9.9.9", "1.0.0.1"]}, "ipv4.dns"),
        ({"dns": "1.1.1.1"}, "ipv4.dns"),
        ({"method": "auto", "address": "192.0.2.20", "prefix": None}, "ipv4.address"),
        ({"netmask": "255.255.255.0"}, "ipv4.netmask"),
    ],
)
def test_bad_addressing_names_the_field_and_changes_nothing(ada, network, untouched, change, field):
    body = {key: value for key, value in (STATIC | change).items() if value is not None}
    if change.get("method", "") is None:
        body.pop("method", None)
    with untouched():
        response = ada.client.put(
            f"{API}/saved/{wired(network)}/ipv4", json=body, headers=ada.headers()
        )
    refused(response, field)


@pytest.mark.parametrize(
    ("hostname", "field"),
    [
        ("", "hostname"),
        ("-north", "hostname"),
        ("north-", "hostname"),
        ("localhost", "hostname"),
        ("xn--80ak6aa92e", "hostname"),  # punycode: browsers show Cyrillic look-alike letters
        ("north_7", "hostname"),
        ("north.example", "hostname"),
        ("a" * 64, "hostname"),
        ("nörth", "hostname"),
        (7, "hostname"),
    ],
)
def test_a_bad_hostname_names_the_field_and_changes_nothing(ada, untouched, hostname, field):
    with untouched():
        response = ada.client.put(
            f"{API}/hostname", json={"hostname": hostname}, headers=ada.headers()
        )
    refused(response, field)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"fallback": True, "after_s": 59}, "after_s"),
        ({"fallback": True, "after_s": 3601}, "after_s"),
        ({"fallback": True, "after_s": "300"}, "after_s"),
        ({"fallback": True}, "after_s"),
        ({"fallback": "maybe", "after_s": 300}, "fallback"),
        ({"fallback": True, "after_s": 300, "ssid": "mine"}, "ssid"),
    ],
)
def test_bad_hotspot_settings_name_the_field_and_change_nothing(ada, untouched, body, field):
    with untouched():
        response = ada.client.put(f"{API}/hotspot", json=body, headers=ada.headers())
    refused(response, field)


def test_a_body_that_is_no_json_object_is_refused(otto, untouched):
    with untouched():
        response = otto.client.post(
            f"{API}/wifi/join", data="ssid=x", headers=otto.headers(), content_type="text/plain"
        )
    refused(response, "body")


# --- passwords never come back -------------------------------------------------------


def test_passwords_are_in_no_answer_log_line_or_audit_entry(otto, network, services, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "a-secret-nobody-may-read"
    network.in_range("locked", password=secret)
    answers = [
        otto.client.post(
            f"{API}/wifi/join",
            json={"ssid": "locked", "password": "wrong-" + secret},
            headers=otto.headers(),
        ),
        otto.client.post(
            f"{API}/wifi/join", json={"ssid": "locked", "password": secret}, headers=otto.headers()
        ),
    ]
    answers += [otto.client.get(API + path) for path in ("/status", "/saved", "/wifi", "/pending")]
    assert [a.status_code for a in answers[:2]] == [503, 202]
    for answer in answers:
        assert secret not in answer.get_data(as_text=True)
    assert secret not in caplog.text
    audit = services.audit.recent(Principal("ada", Role.ADMIN, Origin.KIOSK), 50)
    assert any(entry.action == "wifi_join" for entry in audit)
    assert not [e for e in audit if secret in f"{e.target} {e.detail}"]


# --- the role matrix ------------------------------------------------------------------

VIEW, JOIN, ADMIN = "view", "join", "admin"
ENDPOINTS = [
    ("GET", "/status", None, VIEW, 200),
    ("GET", "/wifi", None, VIEW, 200),
    ("POST", "/wifi/rescan", None, JOIN, 200),
    ("POST", "/wifi/join", {"ssid": LAB_WIFI[0], "password": LAB_WIFI[1]}, JOIN, 202),
    ("GET", "/saved", None, VIEW, 200),
    ("DELETE", "/saved/{wired}", None, JOIN, 202),
    ("PATCH", "/saved/{wired}", {"priority": 5}, JOIN, 202),
    ("PUT", "/saved/{wired}/ipv4", {"method": "auto", "dns": ["192.0.2.53"]}, ADMIN, 202),
    ("PUT", "/hostname", {"hostname": "north-7"}, ADMIN, 200),
    ("GET", "/hotspot", None, VIEW, 200),
    ("PUT", "/hotspot", {"fallback": False, "after_s": 600}, ADMIN, 200),
    ("GET", "/pending", None, VIEW, 200),
    ("POST", "/pending/{change}/confirm", None, JOIN, 204),
    ("POST", "/pending/{change}/revert", None, JOIN, 204),
]
CALLERS = ("anonymous", "viewer", "operator", "admin", "token")
MAY = {
    "viewer": {VIEW},
    "operator": {VIEW, JOIN},
    "admin": {VIEW, JOIN, ADMIN},
    "token": {VIEW, JOIN},  # an admin's token: no station changes by token
}


def test_the_matrix_covers_every_network_endpoint_and_method(app):
    served = {
        (method, rule.rule.removeprefix(API))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API + "/")
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {
        (method, path.replace("{wired}", "<uuid>").replace("{change}", "<change_id>"))
        for method, path, *_ in ENDPOINTS
    }
    assert listed == served


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "body", "needs", "ok"),
    ENDPOINTS,
    ids=[f"{method} {path}" for method, path, *_ in ENDPOINTS],
)
def test_role_matrix(web, services, station, network, who, method, path, body, needs, ok):
    change = services.network.set_priority(REMOTE_ADA, wired(network), 3).change_id
    headers = {}
    if who == "token":
        _, token = services.tokens.create(Principal("ada", Role.ADMIN, Origin.KIOSK), "script")
        headers = {"Authorization": f"Bearer {token}"}
    elif who != "anonymous":
        username = {"viewer": "vera", "operator": "otto", "admin": "ada"}[who]
        web.login(username)
        web.confirm(username)
        headers = web.headers()
    if "{change}" not in path and method != "GET":
        services.network.revert(REMOTE_ADA, change)  # the change under test may not be Busy
    url = API + path.format(wired=wired(network), change=change)
    before = state(station, network)
    response = web.client.open(url, method=method, json=body, headers=headers)
    if who == "anonymous":
        assert response.status_code == 401, response.get_json()
    elif needs in MAY[who]:
        assert response.status_code == ok, response.get_json()
    else:
        assert response.status_code == 403, response.get_json()
        assert state(station, network) == before
    if who != "anonymous" and needs not in MAY[who]:
        message = response.get_json()["message"]
        assert "log in as" in message or "API tokens may not" in message


def test_only_who_may_make_a_change_may_confirm_or_undo_it(web, network, services, station):
    change = services.network.set_addressing(REMOTE_ADA, wired(network), "manual", "10.1.2.3", 16)
    web.login("otto")
    before = state(station, network)
    for action in ("confirm", "revert"):
        response = web.client.post(
            f"{API}/pending/{change.change_id}/{action}", headers=web.headers()
        )
        assert response.status_code == 403, action
        assert "may not change network settings" in response.get_json()["message"]
    assert state(station, network) == before
    assert web.client.get(f"{API}/pending").get_json()["pending"]["change_id"] == change.change_id


def test_every_number_and_switch_the_network_api_takes_follows_the_station_rules():
    """A bare ``int`` or ``bool`` field is pydantic's lax one (true is 1, "24" is 24):
    each goes through ``Number`` or ``Flag``, as station.toml's values do."""

    def bare(annotation):
        if annotation in (int, bool):
            return True
        if typing.get_origin(annotation) is typing.Annotated:
            inner, *rules = typing.get_args(annotation)
            return bare(inner) and not any(isinstance(r, Number | Switch) for r in rules)
        return any(bare(arg) for arg in typing.get_args(annotation))

    inputs = [
        m
        for m in vars(models).values()
        if isinstance(m, type) and issubclass(m, BaseModel) and m.__name__.endswith("In")
    ]
    assert len(inputs) >= 5
    lax = [
        f"{model.__name__}.{name}"
        for model in inputs
        for name, info in model.model_fields.items()
        if bare(
            typing.Annotated[(info.annotation, *info.metadata)]
            if info.metadata
            else info.annotation
        )
    ]
    assert lax == []
