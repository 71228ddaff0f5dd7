"""The route inventory, walked from the app's own url_map: every route needs a login unless
allowlisted; every change refuses a missing or wrong CSRF token and a foreign Origin; GET
never changes anything."""

import re

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.records import CaptureQuery
from remote.auth import KEY_PAGES, PUBLIC
from tests.job_work import COUNT, until_cancelled
from tests.remote.conftest import LAB_WIFI

ADMIN = Principal("ada", Role.ADMIN, Origin.KIOSK)

VALUES = {
    "camera_id": "sim-1",
    "record_id": "1",
    "username": "vera",
    "token_id": "0123456789ab",
    "name": "iso",
    "filename": "app.css",
    "uuid": "01234567-89ab-cdef-0123-456789abcdef",
    "change_id": "0123456789abcdef0123456789abcdef",
    "job_id": "0123456789ab",
    "device": "sdz9",
}
CHANGES = {"POST", "PUT", "PATCH", "DELETE"}
ENDLESS = {"stream.stream"}
"""Streams never end: they are opened and closed separately."""


def routes(app, **real):
    """(endpoint, method, url) of every route; path parameters from VALUES, or ``real``."""
    values = VALUES | real
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: values[m.group(1)], rule.rule)
            yield rule.endpoint, method, url


def running_job(station):
    """A job that runs until cancelled: its id, for the routes that take one."""
    return station.services.jobs.start(ADMIN, COUNT, "runs on", until_cancelled()).job_id


def call(client, method, url, **kwargs):
    if url.endswith("/stream"):
        response = client.open(url, method=method, buffered=False, **kwargs)
        response.close()
        return response
    return client.open(url, method=method, **kwargs)


def state(station):
    """Everything a request could change: station.toml, accounts, audit, images, tokens, the
    network (profiles, what is up, hostname, a change waiting), the jobs and their states,
    the exports made, the images retention deleted."""
    services = station.services
    tokens = [(t.token_id, t.username, t.name) for t in services.tokens.visible(ADMIN)]
    network = services.network.status()
    return (
        (station.home / "station.toml").read_text(),
        services.users.users(ADMIN),
        len(services.audit.recent(ADMIN, 1000)),
        services.captures.find(CaptureQuery(limit=500)),
        tokens,
        services.network.saved(),
        network.hostname,
        network.devices,
        [(job.job_id, job.state, job.error) for job in services.jobs.jobs()],
        services.export.history(),
        services.retention.deleted(),
        network.pending,
    )


def test_the_allowlist_is_the_login_page_static_files_a_health_probe_and_the_key_page(app, client):
    public = {endpoint for endpoint, _, _ in routes(app) if endpoint in PUBLIC}
    assert public == {"pages.login", "pages.login_post", "static", "station.health"} | KEY_PAGES
    assert {
        "pages.network_confirm.show",
        "pages.network_confirm.keep",
        "pages.network_confirm.undo",
    } == KEY_PAGES
    assert client.get("/api/v1/health").get_json() == {"ok": True}


def test_the_key_pages_refuse_every_change_without_the_changes_key(app, client, web, station):
    """Public, so no session and no CSRF token: the key alone is their authority."""
    web.login("ada")
    station.services.network.join_wifi(
        Principal("otto", Role.OPERATOR, Origin.REMOTE, "192.0.2.8"), *LAB_WIFI
    )
    before = state(station)
    waiting = before[-1].change_id
    for endpoint, method, url in routes(app):
        if endpoint in KEY_PAGES and method in CHANGES:
            url = url.replace(VALUES["change_id"], waiting)
            for data in ({}, {"key": ""}, {"key": "guess"}):
                response = call(client, method, url, data=data, headers=web.headers())
                assert response.status_code == 403, (url, data)
    assert state(station) == before


def test_every_route_needs_a_login_unless_allowlisted(app, client):
    checked = 0
    for endpoint, method, url in routes(app):
        if endpoint in PUBLIC:
            continue
        response = call(client, method, url)
        if url.startswith("/api/"):
            assert response.status_code == 401, (method, url)
            assert response.get_json()["error"] == "LoginFailed"
        else:
            assert response.status_code == 302, (method, url)
            assert response.headers["Location"].startswith("/login")
        checked += 1
    assert checked > 25


@pytest.mark.parametrize("case", ["missing", "wrong", "foreign origin", "cross-site fetch"])
def test_every_change_refuses_without_the_csrf_token_or_from_another_site(
    app, client, web, station, case
):
    web.login("ada")
    job_id = running_job(station)
    before = state(station)
    headers = {
        "missing": {},
        "wrong": {"X-CSRF-Token": "not-the-token"},
        "foreign origin": web.headers(Origin="https://evil.example"),
        "cross-site fetch": web.headers(**{"Sec-Fetch-Site": "cross-site"}),
    }[case]
    changes = [(e, m, u) for e, m, u in routes(app, job_id=job_id) if m in CHANGES]
    for endpoint, method, url in changes:
        response = call(client, method, url, json={}, headers=headers)
        assert response.status_code == 403, (case, method, url, response.get_data(as_text=True))
    assert len(changes) > 12
    assert client.get("/api/v1/session").status_code == 200, "still logged in"
    assert state(station) == before


def test_the_login_form_itself_needs_its_csrf_token(client):
    response = client.post("/login", data={"username": "ada", "password": "admin long secret"})
    assert response.status_code == 403
    assert "eyepi_session" not in response.headers.get("Set-Cookie", "")


def test_get_never_changes_anything(app, client, web, station):
    web.login("ada")
    station.services.cameras.test_shot(ADMIN, "sim-1")
    station.services.tokens.create(ADMIN, "a script")
    job_id = running_job(station)
    before = state(station)
    for endpoint, method, url in routes(app, job_id=job_id):
        if method == "GET" and endpoint not in ("pages.login",):
            response = call(client, method, url)
            assert response.status_code < 500, (url, response.status_code)
    assert state(station) == before
    assert client.get("/api/v1/session").status_code == 200


def test_no_route_but_the_static_folder_takes_a_path(app):
    """Files are reached by record id, never by a path from the request (the original served
    any file under its image folder by name)."""
    takes_path = {rule.endpoint for rule in app.url_map.iter_rules() if "<path:" in rule.rule}
    assert takes_path == {"static"}


def test_the_inventory_walks_every_network_endpoint_and_method(app):
    """The checks above walk these too: login, CSRF, foreign origins, GET changing nothing."""
    walked = {
        (e, m)
        for e, m, _ in routes(app)
        if e.startswith(("network.", "pages.network.", "pages.network_confirm."))
    }
    api = {
        ("network.status", "GET"),
        ("network.wifi", "GET"),
        ("network.rescan", "POST"),
        ("network.join", "POST"),
        ("network.saved", "GET"),
        ("network.forget", "DELETE"),
        ("network.set_priority", "PATCH"),
        ("network.set_ipv4", "PUT"),
        ("network.set_hostname", "PUT"),
        ("network.hotspot", "GET"),
        ("network.set_hotspot", "PUT"),
        ("network.pending", "GET"),
        ("network.confirm", "POST"),
        ("network.revert", "POST"),
    }
    page = {("pages.network.show", "GET")} | {
        (f"pages.network.{name}", "POST")
        for name in (
            "join",
            "rescan",
            "forget",
            "set_priority",
            "set_ipv4",
            "set_hostname",
            "set_hotspot",
            "confirm",
            "revert",
        )
    }
    keyed = {
        ("pages.network_confirm.show", "GET"),
        ("pages.network_confirm.keep", "POST"),
        ("pages.network_confirm.undo", "POST"),
    }
    assert walked == api | page | keyed


def test_the_inventory_walks_every_jobs_endpoint_and_method(app):
    walked = {(e, m) for e, m, _ in routes(app) if e.startswith("jobs.")}
    assert walked == {
        ("jobs.list_jobs", "GET"),
        ("jobs.get_job", "GET"),
        ("jobs.cancel_job", "POST"),
    }


def test_the_inventory_walks_every_storage_endpoint_and_method(app):
    walked = {(e, m) for e, m, _ in routes(app) if e.startswith("storage.")}
    assert walked == {
        ("storage.volumes", "GET"),
        ("storage.forecast", "GET"),
        ("storage.export", "POST"),
        ("storage.exports", "GET"),
        ("storage.eject", "POST"),
    }


def test_the_inventory_walks_every_storage_and_job_page_and_method(app):
    walked = {(e, m) for e, m, _ in routes(app) if e.startswith(("pages.storage.", "pages.jobs."))}
    assert walked == {
        ("pages.storage.show", "GET"),
        ("pages.storage.export_form", "GET"),
        ("pages.storage.export", "POST"),
        ("pages.storage.eject", "POST"),
        ("pages.jobs.show", "GET"),
        ("pages.jobs.cancel", "POST"),
    }


def test_the_inventory_walks_the_support_bundle(app):
    walked = {(e, m) for e, m, _ in routes(app) if e.startswith("support.")}
    assert walked == {("support.bundle", "GET")}


def test_the_inventory_walks_the_logs_endpoints_and_page(app):
    walked = {(e, m) for e, m, _ in routes(app) if e.startswith(("logs.", "pages.logs."))}
    assert walked == {("logs.entries", "GET"), ("logs.follow", "GET"), ("pages.logs.show", "GET")}


def test_the_inventory_walks_every_retention_endpoint_and_method(app):
    walked = {(e, m) for e, m, _ in routes(app) if e.startswith(("retention.", "pages.retention."))}
    assert walked == {
        ("retention.status", "GET"),
        ("retention.update", "PUT"),
        ("retention.preview", "GET"),
        ("retention.run", "POST"),
        ("retention.deleted", "GET"),
        ("pages.retention.show", "GET"),
        ("pages.retention.save", "POST"),
        ("pages.retention.run", "POST"),
    }
