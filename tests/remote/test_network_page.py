"""The network page through the Flask test client: what each role sees and may do, plain
form posts (Join, Confirm, Undo, priority, forget, addressing, hostname, hotspot), errors
next to the field they name with nothing applied, HTML-looking SSIDs escaped, and typed
passwords never coming back."""

import logging
import re

import cv2
import numpy as np
import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.qr import qr_matrix, wifi_qr_text
from tests.remote.conftest import HOSTILE_SSIDS, LAB_WIFI
from tests.remote.test_network_api import Untouched

LAB_HEX = LAB_WIFI[0].encode().hex().upper()
KIOSK_ADA = Principal("ada", Role.ADMIN, Origin.KIOSK)


@pytest.fixture
def untouched(station, network):
    return lambda: Untouched(station, network)


def page(web, url="/network"):
    response = web.client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post(web, url, **fields):
    return web.client.post(url, data={"csrf_token": web.csrf, **fields})


def confirmed(web, who):
    web.login(who)
    web.confirm(who)
    return web


def test_the_nav_links_the_page_for_everyone(web):
    web.login("vera")
    assert '<a href="/network">Network</a>' in page(web, "/")


def test_the_reachable_address_is_shown_large_with_its_url(web):
    web.login("vera")
    html = page(web)
    assert '<span class="address">192.168.1.50</span>' in html
    assert 'href="http://192.168.1.50/network"' in html


def test_html_looking_ssids_are_escaped(web):
    web.login("otto")
    html = page(web)
    for ssid in HOSTILE_SSIDS:
        assert ssid not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img" not in html and "<script>" not in html.split("<footer")[0]


def test_a_viewer_sees_the_network_but_no_forms_and_no_passphrase(web, services):
    web.login("vera")
    html = page(web)
    assert "A viewer may not join Wi-Fi networks; log in as an operator or admin." in html
    assert 'action="/network/wifi/join"' not in html and "Set priority" not in html
    assert "Addressing of" not in html and 'id="hostname-form"' not in html
    assert services.network.hotspot_info(KIOSK_ADA).passphrase not in html
    assert 'id="hotspot-ssid"><bdi>eyepi-eyepi<' in html


def test_an_operator_joins_and_sees_the_passphrase_and_its_code(web, services):
    web.login("otto")
    html = page(web)
    assert html.count('action="/network/wifi/join"') == 4  # 3 in range and a hidden one
    assert "Addressing of" not in html and 'id="hostname-form"' not in html
    passphrase = services.network.hotspot_info(KIOSK_ADA).passphrase
    assert f'id="hotspot-passphrase">{passphrase}<' in html
    assert '<figure class="qr" id="hotspot-qr"><svg' in html


def test_the_hotspot_code_is_what_a_phone_reads_as_join_this_network():
    text = wifi_qr_text('eyepi;"north"', "abcd-efgh-jkmn")
    assert text == 'WIFI:T:WPA;S:eyepi\\;\\"north\\";P:abcd-efgh-jkmn;;'
    grid = np.array(qr_matrix(text).rows, dtype=bool)
    image = np.kron(np.where(grid, 0, 255).astype(np.uint8), np.ones((8, 8), np.uint8))
    decoded, points, _ = cv2.QRCodeDetector().detectAndDecode(image)
    assert points is not None and decoded == text


def test_an_admin_sees_addressing_hostname_and_hotspot_forms(web):
    web.login("ada")
    html = page(web)
    assert "Addressing of <bdi>Wired connection 1</bdi>" in html
    assert 'id="hostname-form"' in html and 'id="hotspot-form"' in html


def test_password_fields_are_write_only(web):
    web.login("otto")
    html = page(web)
    inputs = re.findall(r"<input[^>]*type=\"password\"[^>]*>", html)
    assert len(inputs) == 2  # field-lab's form and the hidden network's
    for tag in inputs:
        assert 'autocomplete="new-password"' in tag and 'value=""' in tag


def test_join_confirm_from_the_page(web, network):
    web.login("otto")
    response = post(web, "/network/wifi/join", ssid_hex=LAB_HEX, password=LAB_WIFI[1])
    assert response.status_code == 200  # the page itself: it carries the maker's link
    html = response.get_data(as_text=True)
    assert "Applied: confirm it below" in html
    assert 'id="countdown" data-left="60">60 s<' in html
    assert "joined Wi-Fi &#39;field-lab&#39;" in html
    assert LAB_WIFI[1] not in html
    change_id = re.search(r'action="/network/pending/(\w+)/confirm"', html).group(1)
    kept = post(web, f"/network/pending/{change_id}/confirm")
    assert kept.headers["Location"] == "/network?notice=kept"
    html = page(web, kept.headers["Location"])
    assert "Confirmed: the change stays." in html and 'id="countdown"' not in html
    assert network.checkpoints() == []
    assert next(d for d in network.devices() if d.name == "wlan0").ssid == LAB_WIFI[0]


def test_undo_from_the_page(web, network):
    web.login("otto")
    before = [p.uuid for p in network.saved()]
    post(web, "/network/wifi/join", ssid_hex=LAB_HEX, password=LAB_WIFI[1])
    change_id = services_pending(web)
    undone = post(web, f"/network/pending/{change_id}/revert")
    assert undone.headers["Location"] == "/network?notice=reverted"
    assert [p.uuid for p in network.saved()] == before


def services_pending(web):
    html = page(web)
    return re.search(r'action="/network/pending/(\w+)/revert"', html).group(1)


def test_a_hidden_network_joins_by_name(web, network):
    network.in_range("back-office", password="office passphrase", hidden=True)
    web.login("otto")
    response = post(
        web, "/network/wifi/join", ssid="back-office", password="office passphrase", hidden="on"
    )
    assert response.status_code == 200 and 'id="countdown"' in response.get_data(as_text=True)
    assert any(p.ssid == "back-office" for p in network.saved())


def test_priority_and_forget_from_the_page(web, network, services):
    services.network.join_wifi(KIOSK_ADA, *LAB_WIFI)
    lab = next(p.uuid for p in network.saved() if p.ssid == LAB_WIFI[0])
    web.login("otto")
    assert post(web, f"/network/saved/{lab}/priority", priority="12").status_code == 200
    assert network.profile(lab).priority == 12
    post(web, f"/network/pending/{services_pending(web)}/confirm")
    assert post(web, f"/network/saved/{lab}/forget").status_code == 200
    assert lab not in [p.uuid for p in network.saved()]


def test_a_static_address_from_the_page_says_where_to_confirm(web, network):
    confirmed(web, "ada")
    uuid = network.wired_uuid()
    response = post(
        web,
        f"/network/saved/{uuid}/ipv4",
        **{
            "ipv4.method": "manual",
            "ipv4.address": "192.0.2.20",
            "ipv4.prefix": "24",
            "ipv4.gateway": "192.0.2.1",
            "ipv4.dns": "192.0.2.53, 1.1.1.1",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = re.search(r'id="keep-url" href="([^"]+)"', html).group(1)
    change_id = services_pending(web)
    assert link.startswith(f"http://192.0.2.20/network/confirm/{change_id}#")
    assert "Open this on the new address to keep it" in html and 'id="keep-qr"' in html
    assert network.profile(uuid).ipv4.address == "192.0.2.20/24"


@pytest.mark.parametrize("typed", [" 192.0.2.20 ", "192.0.2.20/24"])
def test_the_new_address_is_linked_as_the_rules_took_it(web, network, typed):
    """Spaces around it or a "/prefix" were passed on as typed: the page after the change
    then showed no link to the station's new address."""
    confirmed(web, "ada")
    prefix = "" if "/" in typed else "24"  # "a.b.c.d/24" with the prefix field empty
    fields = {"ipv4.method": "manual", "ipv4.address": typed, "ipv4.prefix": prefix}
    response = post(web, f"/network/saved/{network.wired_uuid()}/ipv4", **fields)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    link = re.search(r'id="keep-url" href="([^"]+)"', html).group(1)
    assert link.startswith("http://192.0.2.20/network/confirm/")


def test_moved_shows_only_an_ip_address(web):
    web.login("ada")
    html = page(web, "/network?moved=evil.example")
    assert "evil.example" not in html


def test_dhcp_from_the_page_ignores_the_static_fields(web, network, services):
    services.network.set_addressing(KIOSK_ADA, network.wired_uuid(), "manual", "10.1.2.3", 16)
    confirmed(web, "ada")
    uuid = network.wired_uuid()
    fields = {"ipv4.method": "auto", "ipv4.address": "10.1.2.3", "ipv4.prefix": "16"}
    response = post(web, f"/network/saved/{uuid}/ipv4", **fields)
    assert response.status_code == 200
    assert network.profile(uuid).ipv4.method == "auto"
    html = response.get_data(as_text=True)  # the new address is not known: the path only
    assert "find it on the station&#39;s screen or your router" in html
    assert re.search(r'id="keep-url">/network/confirm/\w+#[\w-]+<', html)


def test_hostname_and_hotspot_from_the_page(web, network, services):
    confirmed(web, "ada")
    assert post(web, "/network/hostname", hostname="North-7").status_code == 303
    assert network.hostname() == "north-7"
    fields = {"network.hotspot_after_s": "900"}  # the fallback box unchecked: off
    assert post(web, "/network/hotspot", **fields).status_code == 303
    settings = services.config.current().network
    assert (settings.hotspot_fallback, settings.hotspot_after_s) == (False, 900)


def test_admin_changes_ask_for_the_password_and_keep_what_was_typed(web, clock, untouched):
    web.login("ada")
    clock.set(clock.now() + 301)  # remote.reauth_s after the login
    with untouched():
        response = post(web, "/network/hostname", hostname="north-9")
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "Confirm your password" in html and 'value="north-9"' in html


# --- bad input: the problem next to the field, nothing applied ---------------------------


def problem_at(html, field_id):
    found = re.search(rf'<p class="error field-error" id="{re.escape(field_id)}-problem">', html)
    assert found, f"no problem shown at {field_id}"
    return html


@pytest.mark.parametrize(
    ("fields", "field_id"),
    [
        ({"ssid_hex": LAB_HEX, "password": "short"}, "join-1-password"),
        ({"ssid_hex": LAB_HEX, "password": "pässwort-lang"}, "join-1-password"),
        ({"ssid": "", "password": "office passphrase", "hidden": "on"}, "hidden-ssid"),
        ({"ssid": "x" * 33, "password": "office passphrase", "hidden": "on"}, "hidden-ssid"),
        ({"ssid": "back", "password": "1234567", "hidden": "on"}, "hidden-password"),
        ({"ssid": "back", "password": "ab" * 33, "hidden": "on"}, "hidden-password"),  # 66 hex
    ],
)
def test_a_bad_join_shows_the_problem_at_the_field(web, untouched, fields, field_id):
    web.login("otto")
    with untouched():
        response = post(web, "/network/wifi/join", **fields)
    assert response.status_code == 400
    html = problem_at(response.get_data(as_text=True), field_id)
    if len(fields["password"]) > 4:
        assert fields["password"] not in html


def test_a_bad_join_of_a_network_not_listed_says_so_at_the_top(web, untouched):
    web.login("otto")
    with untouched():
        response = post(web, "/network/wifi/join", ssid_hex="61" * 33, password="office pass")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    top = html.split('id="problems">', 1)[1].split("</div>", 1)[0]
    assert "<p>ssid: an SSID is 1 to 32 bytes" in top


@pytest.mark.parametrize(
    "value", ["high", "1000", "-1000", "1.5", "", "\u0665", "1_0", "\uff15", "9" * 200]
)  # other scripts' digits and "_" are read as numbers by int(): typed numbers are ASCII
def test_a_bad_priority_shows_the_problem_at_the_field(web, network, untouched, value):
    web.login("otto")
    with untouched():
        response = post(web, f"/network/saved/{network.wired_uuid()}/priority", priority=value)
    assert response.status_code == 400
    problem_at(response.get_data(as_text=True), "saved-1-priority")


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"ipv4.address": "192.0.2.300"}, "ipv4.address"),
        ({"ipv4.address": "192.0.2.255"}, "ipv4.address"),
        ({"ipv4.prefix": "33"}, "ipv4.prefix"),
        ({"ipv4.prefix": "wide"}, "ipv4.prefix"),
        ({"ipv4.prefix": "\u0662\u0664"}, "ipv4.prefix"),  # Arabic-Indic 24
        ({"ipv4.prefix": "2_4"}, "ipv4.prefix"),
        ({"ipv4.dns": "2606:4700:4700::1111"}, "ipv4.dns"),
        ({"ipv4.gateway": "198.51.100.1"}, "ipv4.gateway"),
        ({"ipv4.dns": "1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1"}, "ipv4.dns"),
        ({"ipv4.dns": "dns.example"}, "ipv4.dns"),
    ],
)
def test_bad_addressing_shows_the_problem_at_the_field(web, network, untouched, fields, field):
    confirmed(web, "ada")
    typed = {
        "ipv4.method": "manual",
        "ipv4.address": "192.0.2.20",
        "ipv4.prefix": "24",
        "ipv4.gateway": "192.0.2.1",
        "ipv4.dns": "",
    } | fields
    with untouched():
        response = post(web, f"/network/saved/{network.wired_uuid()}/ipv4", **typed)
    assert response.status_code == 400
    html = problem_at(response.get_data(as_text=True), f"saved-1-{field}")
    assert '<details open class="addressing">' in html
    assert f'value="{typed["ipv4.address"]}"' in html, "what was typed is shown again"


@pytest.mark.parametrize(
    ("form", "url", "fields", "field_id"),
    [
        ("hostname", "/network/hostname", {"hostname": "-north"}, "host-hostname"),
        ("hostname", "/network/hostname", {"hostname": "north_7"}, "host-hostname"),
        ("hostname", "/network/hostname", {"hostname": "localhost"}, "host-hostname"),
        ("hostname", "/network/hostname", {"hostname": "xn--80ak6aa92e"}, "host-hostname"),
        (
            "hotspot",
            "/network/hotspot",
            {"network.hotspot_after_s": "5"},
            "hotspot-network.hotspot_after_s",
        ),
        (
            "hotspot",
            "/network/hotspot",
            {"network.hotspot_after_s": "soon"},
            "hotspot-network.hotspot_after_s",
        ),
        (
            "hotspot",
            "/network/hotspot",
            {"network.hotspot_after_s": "\u0666\u0660"},  # Arabic-Indic 60
            "hotspot-network.hotspot_after_s",
        ),
    ],
)
def test_bad_station_values_show_the_problem_at_the_field(
    web, untouched, form, url, fields, field_id
):
    confirmed(web, "ada")
    with untouched():
        response = post(web, url, **fields)
    assert response.status_code == 400, form
    problem_at(response.get_data(as_text=True), field_id)


def test_a_viewer_may_not_join_from_the_page(web, untouched):
    web.login("vera")
    with untouched():
        response = post(web, "/network/wifi/join", ssid_hex=LAB_HEX, password=LAB_WIFI[1])
    assert response.status_code == 403


def test_an_operator_may_not_change_addressing_from_the_page(web, network, untouched):
    confirmed(web, "otto")
    with untouched():
        response = post(
            web, f"/network/saved/{network.wired_uuid()}/ipv4", **{"ipv4.method": "auto"}
        )
    assert response.status_code == 403


def test_the_page_says_why_when_networkmanager_is_down(web, network):
    network.running = False
    web.login("otto")
    html = page(web)
    assert "NetworkManager cannot be asked: " in html and "NetworkManager is not running" in html


def test_no_typed_password_in_any_page_or_log_line(web, network, caplog):
    caplog.set_level(logging.DEBUG)
    secret = "a-secret-nobody-may-read"
    network.in_range("locked", password=secret)
    locked = b"locked".hex()
    web.login("otto")
    answers = [
        post(web, "/network/wifi/join", ssid_hex=locked, password="wrong-" + secret),
        post(web, "/network/wifi/join", ssid_hex=locked, password=secret),
        web.client.get("/network?notice=pending"),
    ]
    assert [a.status_code for a in answers] == [503, 200, 200]
    assert "Not done: " in answers[0].get_data(as_text=True)  # the network page, saying why
    for answer in answers:
        assert secret not in answer.get_data(as_text=True)
        assert secret not in answer.headers.get("Location", "")
    assert secret not in caplog.text


def test_a_change_while_another_waits_is_said_on_the_page(web, network, untouched):
    web.login("otto")
    post(web, f"/network/saved/{network.wired_uuid()}/priority", priority="4")
    with untouched():
        response = post(web, "/network/wifi/join", ssid_hex=LAB_HEX, password=LAB_WIFI[1])
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert 'id="page-error">Not done: another network change waits for confirmation' in html
    assert 'id="countdown"' in html


def test_a_late_confirmation_says_the_change_was_undone(web, network, clock):
    web.login("otto")
    post(web, f"/network/saved/{network.wired_uuid()}/priority", priority="4")
    change_id = services_pending(web)
    clock.set(clock.now() + 61)
    response = post(web, f"/network/pending/{change_id}/confirm")
    assert response.status_code == 404
    assert "undone already (timed out)" in response.get_data(as_text=True)
    assert network.profile(network.wired_uuid()).priority == 0


def test_a_station_without_wifi_says_so_and_offers_no_join(tmp_path, clock):
    from eyepi_gui.adapters.cameras.sim import SimBackend
    from eyepi_gui.station import Station
    from remote.app import create_app
    from tests.fake_network import FakeNetwork
    from tests.fakes import FakeHasher
    from tests.remote.conftest import PASSWORDS, Web

    station = Station(
        tmp_path / "home",
        clock=clock,
        fallback=SimBackend(count=1, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        network=FakeNetwork(clock, wifi=False),
    )
    services = station.open()
    try:
        services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
        app = create_app(services, services.config.current().remote, testing=True)
        web = Web(app.test_client()).login("ada")
        html = page(web)
        assert '<li class="note" id="no-wifi">This station has no Wi-Fi device.</li>' in html
        assert 'action="/network/wifi/join"' not in html and 'id="rescan"' not in html
        assert '<span class="address">192.168.1.50</span>' in html
    finally:
        station.stop()


def test_a_right_to_left_override_in_a_name_turns_only_the_name(web, network):
    """U+202E in an SSID or profile name from the air reverses what follows it on the
    line ("WPA2 · saved", "Join ..."): each such name is isolated in <bdi>."""
    ssid = "\u202eevil"
    network.in_range(ssid, signal=90)
    web.login("otto")
    post(web, "/network/wifi/join", ssid_hex=ssid.encode().hex())
    html = page(web)
    shown = html.count(ssid) - html.count(f'"Forget {ssid}?')  # a dialog's text aside
    assert shown >= 3 and html.count(f"<bdi>{ssid}</bdi>") == shown
