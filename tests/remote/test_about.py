""" "This station" on the web: the API needs a login (any role) and the page shows the same
facts, the QR code as inline SVG, and the version in every page's footer."""

import re
from importlib.metadata import version

import pytest

FINGERPRINT = ":".join(f"{i:02X}" for i in range(32))


@pytest.fixture
def serving(services):
    services.endpoint.started("https://0.0.0.0:8443", FINGERPRINT)
    return services


def test_anonymous_callers_are_refused(client, serving):
    assert client.get("/api/v1/station/about").status_code == 401
    page = client.get("/station/about")
    assert page.status_code == 302
    assert page.headers["Location"].startswith("/login")


@pytest.mark.parametrize("username", ["vera", "otto", "ada"])
def test_every_role_reads_it(web, client, serving, username):
    web.login(username)
    body = client.get("/api/v1/station/about").get_json()
    about = serving.station_info.about()
    assert body["hostname"] == about.hostname
    assert body["urls"] == list(about.urls)
    assert [(a["interface"], a["address"]) for a in body["addresses"]] == [
        (a.interface, a.address) for a in about.addresses
    ]
    assert body["fingerprint"] == FINGERPRINT
    assert body["version"] == version("eyepi")


def test_the_page_shows_the_facts_and_the_qr_code(web, client, serving):
    web.login("vera")
    html = client.get("/station/about").get_data(as_text=True)
    about = serving.station_info.about()
    assert about.hostname in html
    assert FINGERPRINT in html
    for item in about.addresses:
        assert f"<td>{item.interface}</td><td>{item.address}</td>" in html
    if about.primary_url:
        assert html.count('<svg width="') == 1
        assert f'id="primary-url" href="{about.primary_url}"' in html
    assert 'href="/station/about"' in html, "linked from the nav"


def test_the_page_says_why_there_is_no_url(web, client, services):
    services.endpoint.stopped("port 8080 is in use")
    web.login("vera")
    html = client.get("/station/about").get_data(as_text=True)
    assert "port 8080 is in use" in html
    assert "<svg" not in html


def test_the_version_is_in_every_pages_footer(web, client):
    footer = f'<footer class="site note">eyepi {version("eyepi")}</footer>'
    assert footer in client.get("/login").get_data(as_text=True)
    web.login("vera")
    for url in ("/", "/account", "/station/about"):
        assert footer in client.get(url).get_data(as_text=True), url


def test_the_openapi_document_lists_it(web, client):
    web.login("vera")
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    operation = paths["/api/v1/station/about"]["get"]
    assert "security" not in operation, "not public"
    assert re.search("fingerprint", operation["summary"])
