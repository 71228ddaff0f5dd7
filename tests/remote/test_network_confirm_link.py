"""The one-tap link that keeps a waiting network change from the station's new address
(Flask test client, FakeNetwork): the maker's 202 carries it (the new static IP, this host
for Wi-Fi, the path only for DHCP); its page needs no login; its POST keeps the change with
the right key only, and a wrong key leaves the change waiting to roll back; the other-site
check still applies; the key never reaches a URL the server sees."""

import logging
import re
from urllib.parse import urlsplit

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from tests.remote.conftest import LAB_WIFI, Web

API = "/api/v1/network"
STATIC = {"method": "manual", "address": "192.0.2.20", "prefix": 24, "gateway": "192.0.2.1"}


@pytest.fixture
def ada(web):
    web.login("ada")
    web.confirm("ada")
    return web


@pytest.fixture
def stranger(app):
    """Another browser (no session), e.g. the admin's on the station's new address."""
    return app.test_client()


def static_change(ada, network, **client_options):
    response = ada.client.put(
        f"{API}/saved/{network.wired_uuid()}/ipv4",
        json=STATIC,
        headers=ada.headers(),
        **client_options,
    )
    assert response.status_code == 202, response.get_json()
    return response.get_json()


def split(link):
    """The link's page path (what a browser requests) and its key (the fragment)."""
    parts = urlsplit(link)
    return parts.path, parts.fragment


def keep(client, link, key=None, **headers):
    path, fragment = split(link)
    return client.post(path, data={"key": fragment if key is None else key}, headers=headers)


def test_the_202_of_a_static_address_carries_the_link_on_the_new_address(ada, network):
    change = static_change(ada, network)
    link = change["confirm_link"]
    assert link.startswith(f"http://192.0.2.20/network/confirm/{change['change_id']}#")
    assert len(split(link)[1]) >= 32
    assert link in change["message"]
    for shown in (ada.client.get(f"{API}/pending"), ada.client.get(f"{API}/status")):
        pending = shown.get_json()["pending"]
        assert pending["confirm_link"] is None  # the maker's answer only
        assert split(link)[1] not in shown.get_data(as_text=True)


def test_the_link_keeps_the_endpoints_port_and_scheme(ada, network):
    change = static_change(ada, network, base_url="https://localhost:8443")
    assert change["confirm_link"].startswith("https://192.0.2.20:8443/network/confirm/")


def test_a_wifi_change_links_the_address_the_request_came_in_on(web, network):
    web.login("otto")
    response = web.client.post(
        f"{API}/wifi/join",
        json={"ssid": LAB_WIFI[0], "password": LAB_WIFI[1]},
        headers=web.headers(),
    )
    assert response.get_json()["confirm_link"].startswith("http://localhost/network/confirm/")


def test_dhcp_gives_the_path_and_says_where_to_find_the_address(ada, network):
    response = ada.client.put(
        f"{API}/saved/{network.wired_uuid()}/ipv4", json={"method": "auto"}, headers=ada.headers()
    )
    change = response.get_json()
    assert change["confirm_link"].startswith(f"/network/confirm/{change['change_id']}#")
    assert "find it on the station's screen or your router" in change["message"]


def test_the_page_needs_no_login_and_holds_no_key(ada, network, stranger):
    change = static_change(ada, network)
    path, key = split(change["confirm_link"])
    response = stranger.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Keep the network change?" in html and 'id="countdown" data-left="60"' in html
    assert f'action="{path}"' in html and f'formaction="{path}/undo"' in html
    assert key not in html
    assert not re.search(
        r"\bada\b", html.split("<footer")[0]
    )  # nor who made it (hex may hold "ada")
    assert network.checkpoints()  # a GET changes nothing


def test_the_key_keeps_the_change_from_another_browser(ada, network, stranger, services, caplog):
    caplog.set_level(logging.DEBUG)
    change = static_change(ada, network)
    response = keep(stranger, change["confirm_link"])
    assert response.status_code == 200
    assert 'id="kept"' in response.get_data(as_text=True)
    assert network.checkpoints() == [] and services.network.pending() is None
    assert network.profile(network.wired_uuid()).ipv4.address == "192.0.2.20/24"
    again = keep(stranger, change["confirm_link"])
    assert again.status_code == 404 and "confirmed already" in again.get_data(as_text=True)
    key = split(change["confirm_link"])[1]
    assert caplog.records and key not in caplog.text
    entries = services.audit.recent(Principal("ada", Role.ADMIN, Origin.KIOSK), 20)
    assert not [e for e in entries if key in e.target + e.detail]
    assert entries[0].action == "network_confirm" and entries[0].username == "ada"
    assert entries[0].detail == "confirmed from 127.0.0.1"


def test_the_key_undoes_the_change(ada, network, stranger):
    change = static_change(ada, network)
    path, key = split(change["confirm_link"])
    response = stranger.post(f"{path}/undo", data={"key": key})
    assert response.status_code == 200 and 'id="undone"' in response.get_data(as_text=True)
    assert network.profile(network.wired_uuid()).ipv4.method == "auto"
    assert network.checkpoints() == []


@pytest.mark.parametrize("key", ["", "not-the-key", "x" * 500])
def test_a_wrong_key_keeps_nothing(ada, network, stranger, services, clock, key):
    change = static_change(ada, network)
    for url in (split(change["confirm_link"])[0], split(change["confirm_link"])[0] + "/undo"):
        response = stranger.post(url, data={"key": key})
        assert response.status_code == 403
        assert "wrong change or key" in response.get_data(as_text=True)
    assert len(network.checkpoints()) == 1
    assert services.network.pending().change_id == change["change_id"]
    clock.set(change["deadline"] + 1)  # and it still rolls back in time
    assert services.network.pending() is None
    assert network.profile(network.wired_uuid()).ipv4.method == "auto"


def test_an_unknown_change_gets_the_same_refusal(ada, network, stranger):
    change = static_change(ada, network)
    key = split(change["confirm_link"])[1]
    response = stranger.post(f"/network/confirm/{'0' * 32}", data={"key": key})
    assert response.status_code == 403
    assert "wrong change or key" in response.get_data(as_text=True)
    assert len(network.checkpoints()) == 1


def test_another_site_may_not_post_even_with_the_key(ada, network, stranger):
    change = static_change(ada, network)
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
        assert keep(stranger, change["confirm_link"], **headers).status_code == 403
    assert len(network.checkpoints()) == 1
    same_site = keep(stranger, change["confirm_link"], Origin="http://localhost")
    assert same_site.status_code == 200 and network.checkpoints() == []


def test_a_logged_in_browser_needs_no_csrf_token_there_but_everywhere_else(ada, network):
    change = static_change(ada, network)
    refused = ada.client.post(f"{API}/pending/{change['change_id']}/confirm")
    assert refused.status_code == 403  # the session's own confirm still needs its token
    assert keep(ada.client, change["confirm_link"]).status_code == 200
    assert network.checkpoints() == []


def test_the_page_after_a_change_shows_the_link_and_its_qr(web, network):
    web.login("otto")
    html = web.client.post(
        "/network/wifi/join",
        data={
            "csrf_token": web.csrf,
            "ssid_hex": LAB_WIFI[0].encode().hex(),
            "password": LAB_WIFI[1],
        },
    ).get_data(as_text=True)
    link = re.search(r'id="keep-url" href="([^"]+)"', html).group(1)
    assert link.startswith("http://localhost/network/confirm/")
    assert 'id="keep-qr"><svg' in html
    assert f'id="keep-key">{split(link)[1]}<' in html  # to paste without JavaScript
    later = web.client.get("/network").get_data(as_text=True)
    assert split(link)[1] not in later and 'id="keep-link"' not in later


@pytest.mark.parametrize("who", ["anonymous", "viewer", "operator", "admin", "token"])
@pytest.mark.parametrize("action", ["keep", "undo"])
def test_role_matrix_of_the_key_page_the_key_decides_not_the_caller(
    app, services, network, who, action
):
    """Whoever calls (logged in or not, any role, an API token), the key decides."""
    maker = Principal("ada", Role.ADMIN, Origin.REMOTE, "192.0.2.7")
    change = services.network.set_addressing(maker, network.wired_uuid(), "manual", "10.1.2.3", 16)
    client, headers = app.test_client(), {}
    if who == "token":
        _, token = services.tokens.create(Principal("ada", Role.ADMIN, Origin.KIOSK), "script")
        headers = {"Authorization": f"Bearer {token}"}
    elif who != "anonymous":
        Web(client).login({"viewer": "vera", "operator": "otto", "admin": "ada"}[who])
    url = f"/network/confirm/{change.change_id}" + ("/undo" if action == "undo" else "")
    assert client.get(url[: len(f"/network/confirm/{change.change_id}")]).status_code == 200
    wrong = client.post(url, data={"key": "guess"}, headers=headers)
    assert wrong.status_code == 403 and len(network.checkpoints()) == 1
    right = client.post(url, data={"key": change.confirm_key}, headers=headers)
    assert right.status_code == 200, right.get_data(as_text=True)
    assert network.checkpoints() == [] and services.network.pending() is None
    kept = network.profile(network.wired_uuid()).ipv4.method == "manual"
    assert kept is (action == "keep")
