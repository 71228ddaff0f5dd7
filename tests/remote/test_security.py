"""Bad input and attacks from security.md section 5 that apply to the remote endpoint."""

import os
from pathlib import Path

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.records import CaptureRecord
from remote.app import create_app
from tests.remote.conftest import PASSWORDS, Web

ADMIN = Principal("ada", Role.ADMIN, Origin.KIOSK)


def test_t08_camera_ids_outside_the_found_set_are_404(client, web):
    web.login("ada")
    for camera in ("..%2Fx", "usb:001,002;id", "'", "x" * 300, "sim-1%00"):
        assert client.get(f"/api/v1/cameras/{camera}/settings").status_code == 404, camera
        response = client.put(
            f"/api/v1/cameras/{camera}/settings", json={"interval_s": 60}, headers=web.headers()
        )
        assert response.status_code == 404, camera


def test_t10_images_only_by_id_and_never_outside_the_image_folder(client, web, services):
    web.login("ada")
    outside = services.captures._index.add(
        CaptureRecord("sim-1", "/etc/passwd", None, 1.0, 10, "0" * 64)
    )
    for url in (
        f"/api/v1/captures/{outside}/file",
        "/api/v1/captures/../../etc/shadow",
        "/api/v1/captures/%2e%2e%2fetc%2fpasswd/file",
        "/api/v1/captures/%252e%252e%252f/file",
        "/api/v1/captures/..%5C..%5Cwin.ini/file",
        "/api/v1/captures/1%00.jpg/file",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static//etc/passwd",
    ):
        response = client.get(url, follow_redirects=True)
        assert response.status_code == 404, url
        assert b"root:" not in response.data


def test_a_kept_image_swapped_for_a_pipe_is_503_not_500_and_never_blocks(client, web, services):
    web.login("ada")
    (record,) = services.cameras.test_shot(ADMIN, "sim-1")
    path = Path(record.path)
    path.unlink()
    os.mkfifo(path)
    response = client.get(f"/api/v1/captures/{record.record_id}/file")
    assert response.status_code == 503
    assert "not an image file" in response.get_json()["message"]
    assert str(services.captures._images.images) not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "target", ["//evil.example", "https://evil.example", "/\\evil", "javascript:alert(1)", "\\\\x"]
)
def test_t12_login_only_redirects_to_this_station(client, web, target):
    response = client.post(
        "/login",
        data={
            "username": "ada",
            "password": PASSWORDS["ada"],
            "csrf_token": web.login_token(),
            "next": target,
        },
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/"


def test_t13_camera_names_are_escaped_and_inline_script_is_blocked(client, web, services):
    name = "<img src=x onerror=alert(1)>"
    services.config.update_camera(ADMIN, "sim-1", {"name": name})
    web.login("ada")
    page = client.get("/")
    assert name not in page.get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page.get_data(as_text=True)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    api = client.get("/api/v1/cameras/sim-1")
    assert api.mimetype == "application/json"
    assert api.get_json()["name"] == name


def test_t14_oversized_bodies_are_413_without_reading_them(client, web):
    web.login("ada")
    big = b"x" * (65 * 1024)
    for url, kwargs in (
        ("/login", {"data": {"username": "ada", "password": big.decode()}}),
        ("/api/v1/cameras/sim-1/settings", {"data": big, "content_type": "application/json"}),
    ):
        method, headers = ("PUT", web.headers()) if "settings" in url else ("POST", {})
        response = client.open(url, method=method, headers=headers, **kwargs)
        assert response.status_code == 413, url


@pytest.mark.parametrize(
    "body",
    [
        b'{"interval_s": "soon"}',
        b'{"name": ["a", "b"]}',
        b'{"formats": "jpg"}',
        b"[1, 2]",
        b'{"interval_s": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
        b"\xff\xfe not utf-8",
        b"not json at all",
        b'{"unknown_field": 1}',
    ],
)
def test_t15_wrong_types_and_broken_json_are_400_naming_the_field(client, web, services, body):
    web.login("ada")
    before = services.config.camera("sim-1")
    response = client.put(
        "/api/v1/cameras/sim-1/settings",
        data=body,
        content_type="application/json",
        headers=web.headers(),
    )
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["field"]
    assert services.config.camera("sim-1") == before


def test_t15_a_body_that_is_not_json_is_refused(client, web):
    web.login("ada")
    response = client.put(
        "/api/v1/cameras/sim-1/settings", data="interval_s=60", headers=web.headers()
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "body"


@pytest.mark.parametrize("username", ["ev\u202eil", "a\u200db", "\u0430dmin", "x\ud800y", "Ada"])
def test_t16_unicode_tricks_in_usernames_are_refused(client, web, username):
    web.login("ada")
    response = client.post(
        "/api/v1/users",
        json={"username": username, "password": "a long new secret"},
        headers=web.headers(),
    )
    assert response.status_code == 400
    assert response.get_json()["field"] == "username"


def _log_in(client, web, username, password):
    data = {"username": username, "password": password, "csrf_token": web.login_token()}
    return client.post("/login", data=data)


def test_t17_brute_force_is_refused_before_the_password_check_and_spares_the_kiosk(
    client, web, services
):
    statuses = [_log_in(client, web, "ada", f"guess number {i}").status_code for i in range(6)]
    assert statuses[:3] == [401, 401, 401]
    assert statuses[3:] == [429, 429, 429]
    refused = _log_in(client, web, "ada", PASSWORDS["ada"])
    assert refused.status_code == 429, "the right password waits too"
    assert int(refused.headers["Retry-After"]) > 0
    assert services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"]).username == "ada"


def test_t18_unknown_user_and_wrong_password_look_the_same(client, web):
    unknown = _log_in(client, web, "nobody", "some long password")
    wrong = _log_in(client, web, "vera", "some long password")
    assert unknown.status_code == wrong.status_code == 401
    assert unknown.get_data().replace(b"nobody", b"").count(b"wrong username or password") == 1
    assert wrong.get_data(as_text=True).count("wrong username or password") == 1


def test_t19_an_overlong_password_is_a_failed_login_not_an_error(client, web):
    assert _log_in(client, web, "ada", "🔑" * 30).status_code == 401


def test_t20_a_planted_session_cookie_is_replaced_at_login(client, web):
    client.set_cookie("eyepi_session", "planted-by-attacker")
    web.login("ada")
    assert client.get_cookie("eyepi_session").value != "planted-by-attacker"
    client.set_cookie("eyepi_session", "planted-by-attacker")
    assert client.get("/api/v1/session").status_code == 401


def test_t21_a_password_change_ends_the_other_sessions(app, web):
    other = Web(app.test_client()).login("vera")
    mine = Web(app.test_client()).login("vera")
    response = mine.client.put(
        "/api/v1/session/password",
        json={"current": PASSWORDS["vera"], "new": "a brand new long secret"},
        headers=mine.headers(),
    )
    assert response.status_code == 200, response.get_json()
    assert other.client.get("/api/v1/session").status_code == 401
    mine_now = mine.client.get("/api/v1/session").get_json()
    assert mine_now["username"] == "vera"
    assert mine_now["csrf_token"] != mine.csrf, "a new session, a new CSRF token"


def test_t22_logout_and_idle_time_end_the_session(client, web, clock):
    web.login("ada")
    cookie = client.get_cookie("eyepi_session").value
    assert client.delete("/api/v1/session", headers=web.headers()).status_code == 204
    client.set_cookie("eyepi_session", cookie)
    assert client.get("/api/v1/session").status_code == 401
    web.login("ada")
    clock.set(clock.now() + 31 * 60)
    assert client.get("/api/v1/session").status_code == 401


def test_changes_to_users_need_the_password_typed_recently(client, web, clock):
    web.login("ada")
    clock.set(clock.now() + 301)
    body = {"username": "newbie", "password": "a long new secret"}
    stale = client.post("/api/v1/users", json=body, headers=web.headers())
    assert stale.status_code == 401
    assert stale.get_json()["error"] == "reauth_required"
    web.confirm("ada")
    assert client.post("/api/v1/users", json=body, headers=web.headers()).status_code == 201


def test_api_tokens_work_for_scripts_but_cannot_change_users(client, services):
    _, token = services.tokens.create(ADMIN, "backup script")
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cameras", headers=bearer).status_code == 200
    body = {"username": "newbie", "password": "a long new secret"}
    assert client.post("/api/v1/users", json=body, headers=bearer).status_code == 403
    for header in (f"Bearer {token}x", "Basic YWRhOnNlY3JldA==", "Bearer "):
        response = client.get("/api/v1/cameras", headers={"Authorization": header})
        assert response.status_code == 401, header
    (info,) = services.tokens.visible(ADMIN)
    services.tokens.revoke(ADMIN, info.token_id)
    assert client.get("/api/v1/cameras", headers=bearer).status_code == 401


def test_t24_a_viewer_is_refused_by_the_service_layer(client, web, services):
    web.login("vera")
    refused = client.put(
        "/api/v1/cameras/sim-1/settings", json={"interval_s": 60}, headers=web.headers()
    )
    assert refused.status_code == 403
    assert "viewer may not" in refused.get_json()["message"].lower()
    assert services.config.camera("sim-1").interval_s != 60


def test_t26_forwarded_headers_give_no_trust(app, services):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = "192.0.2.9"
    web = Web(client)
    page = client.get("/login", headers={"X-Forwarded-For": "127.0.0.1"}).get_data(as_text=True)
    data = {"username": "ada", "password": PASSWORDS["ada"]}
    data["csrf_token"] = page.split('name="csrf_token" value="')[1].split('"')[0]
    client.post("/login", data=data, headers={"X-Forwarded-For": "127.0.0.1"})
    (entry,) = services.audit.recent(ADMIN, 1, action="login")
    assert entry.address == "192.0.2.9"
    assert (
        web.client.get("/api/v1/cameras", headers={"X-Forwarded-For": "127.0.0.1"}).status_code
        == 200
    )


def test_t27_no_debugger_and_no_traceback(services, monkeypatch):
    monkeypatch.setenv("FLASK_DEBUG", "1")
    app = create_app(services, services.config.current().remote)
    assert app.debug is False
    client = app.test_client()
    web = Web(client).login("ada")

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals /home/eyepi")

    monkeypatch.setattr(services.overview, "cameras", broken)
    response = client.get("/api/v1/cameras", headers=web.headers())
    assert response.status_code == 500
    assert "secret internals" not in response.get_data(as_text=True)
    assert "Traceback" not in response.get_data(as_text=True)
    assert client.get("/console").status_code == 404


def test_t28_viewers_beyond_the_cap_get_503(client, web, services):
    web.login("ada")
    cap = services.config.current().remote.max_stream_clients
    streams = [services.streams.open("sim-1") for _ in range(cap)]
    try:
        response = client.get("/api/v1/cameras/sim-1/stream")
        assert response.status_code == 503
        assert "max_stream_clients" in response.get_json()["message"]
    finally:
        for stream in streams:
            stream.close()
    response = client.get("/api/v1/cameras/sim-1/stream", buffered=False)
    assert response.status_code == 200
    assert response.mimetype == "multipart/x-mixed-replace"
    first = next(response.response)
    assert first.startswith(b"--eyepi-frame\r\nContent-Type: image/jpeg")
    response.close()
    assert services.streams.viewers == 0


def test_t29_secrets_are_compared_in_constant_time():
    from pathlib import Path

    import remote

    source = "\n".join(p.read_text() for p in Path(remote.__file__).parent.rglob("*.py"))
    assert "compare_digest" in source
    for risky in ("csrf ==", "== csrf", "token ==", "== token", "secret =="):
        assert risky not in source
