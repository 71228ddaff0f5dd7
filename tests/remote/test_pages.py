"""The server-rendered pages: live view, camera settings, users, account; escaping and CSP."""

import re

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from tests.remote.conftest import PASSWORDS, Web

NAME = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
PAGES = ("/", "/cameras/sim-1/live", "/cameras/sim-1/settings", "/users", "/account")
INLINE = re.compile(r"<script(?![^>]*\ssrc=)|\sstyle\s*=|<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
NEW_PASSWORD = "a brand new long secret"
ADMIN = Principal("ada", Role.ADMIN, Origin.KIOSK)


def html(response):
    return response.get_data(as_text=True)


def assert_no_inline_code(page):
    """CSP ``default-src 'self'``: no inline script, style attribute or event handler."""
    assert INLINE.search(page) is None, INLINE.search(page)


def settings_form(services, web, camera_id="sim-1", **changes):
    """The settings form as the page fills it in, with ``changes`` typed over it."""
    current = services.config.camera(camera_id)
    form = {
        "csrf_token": web.csrf,
        "name": current.name,
        "enabled": "on",
        "interval_s": str(current.interval_s),
        "window": current.window,
        "resolution": current.resolution,
        "formats": list(current.formats),
        "jpeg_quality": str(current.jpeg_quality),
        "keep": current.keep,
        "filename": current.filename,
    }
    return form | changes


def post_settings(web, services, camera_id="sim-1", **changes):
    data = settings_form(services, web, camera_id, **changes)
    return web.client.post(f"/cameras/{camera_id}/settings", data=data)


def toml_text(station):
    return (station.home / "station.toml").read_text()


@pytest.mark.parametrize("username", ["ada", "vera"])
@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_without_inline_code(web, url, username):
    web.login(username)
    response = web.client.get(url)
    assert response.status_code == 200
    assert_no_inline_code(html(response))
    assert "Content-Security-Policy" in response.headers


def test_live_page_has_the_stream_and_the_focus_score(web):
    page = html(web.login("ada").client.get("/cameras/sim-1/live"))
    assert '<img id="live" class="live"' in page
    assert 'src="/api/v1/cameras/sim-1/stream"' in page
    assert '<output id="focus-score"' in page
    assert 'data-url="/api/v1/cameras/sim-1/focus"' in page
    assert 'src="/static/live.js"' in page and 'src="/static/focus.js"' in page


@pytest.mark.parametrize("url", ["/cameras/nope/live", "/cameras/nope/settings"])
def test_unknown_camera_is_a_404_page(web, url):
    response = web.login("ada").client.get(url)
    assert response.status_code == 404
    assert "no camera" in html(response)


def test_static_scripts_are_served(client):
    for name in ("live.js", "dashboard.js", "forms.js", "app.css"):
        assert client.get(f"/static/{name}").status_code == 200


def test_settings_form_saves_a_changed_interval(web, services, station):
    web.login("ada")
    response = post_settings(web, services, interval_s="60")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/cameras/sim-1/settings?saved=1")
    assert services.config.camera("sim-1").interval_s == 60.0
    assert "interval_s = 60.0" in toml_text(station)
    assert "Saved." in html(web.client.get(response.headers["Location"]))
    assert "every 1 min," in html(web.client.get("/"))


def test_settings_form_sends_only_changed_fields(web, services):
    web.login("ada")
    post_settings(web, services, keep="latest", formats=["jpg", "png"], enabled="")
    assert services.audit.recent(ADMIN, 1)[0].detail == "formats, keep"


def test_unchecked_boxes_switch_off(web, services):
    web.login("ada")
    data = settings_form(services, web)
    del data["enabled"]
    assert web.client.post("/cameras/sim-1/settings", data=data).status_code == 303
    assert services.config.camera("sim-1").enabled is False


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("interval_s", "0.1", "must be a number from 0.5 to 86400 (seconds)"),
        ("interval_s", "nan", "must be a number from 0.5 to 86400 (seconds)"),
        ("interval_s", "true", "must be a number from 0.5 to 86400 (seconds)"),
        ("interval_s", "soon", "must be a number from 0.5 to 86400 (seconds)"),
        ("interval_s", "1_0", "must be a number from 0.5 to 86400 (seconds)"),
        ("interval_s", "\uff13\uff10\uff10", "must be a number from 0.5 to 86400 (seconds)"),
        ("interval_s", "\u0663\u0660\u0660", "must be a number from 0.5 to 86400 (seconds)"),
        ("window", "25:00-26:00", "HH:MM-HH:MM"),
        ("resolution", "huge", "WIDTHxHEIGHT"),
        ("resolution", "0x0", "each side 16 to 8192"),
        ("jpeg_quality", "0", "must be a whole number from 1 to 100"),
        ("jpeg_quality", "90.5", "must be a whole number from 1 to 100"),
        ("formats", [], "list one or more of"),
    ],
)
def test_bad_values_re_render_400_and_save_nothing(web, services, station, field, value, message):
    web.login("ada")
    before, file_before = services.config.camera("sim-1"), toml_text(station)
    response = post_settings(web, services, **{field: value})
    page = html(response)
    assert response.status_code == 400
    assert f'<p class="error field-error" id="{field}-problem">' in page
    assert message in page
    assert "Nothing was saved" in page
    if isinstance(value, str):
        assert f'name="{field}" value="{value}"' in page
    assert services.config.camera("sim-1") == before
    assert toml_text(station) == file_before


def test_every_bad_value_is_named_at_once(web, services):
    web.login("ada")
    page = html(post_settings(web, services, interval_s="0.1", resolution="huge"))
    assert 'id="interval_s-problem"' in page
    assert 'id="resolution-problem"' in page


def test_camera_names_are_escaped_on_every_camera_page(web, services):
    web.login("ada")
    assert post_settings(web, services, name=NAME).status_code == 303
    assert services.config.camera("sim-1").name == NAME
    for url in ("/", "/cameras/sim-1/live", "/cameras/sim-1/settings"):
        page = html(web.client.get(url))
        assert NAME not in page
        assert ESCAPED in page
        assert_no_inline_code(page)


def test_viewer_sees_the_form_disabled_and_why(web):
    page = html(web.login("vera").client.get("/cameras/sim-1/settings"))
    assert "<fieldset disabled>" in page
    assert "A viewer may not change camera settings; log in as an operator or admin." in page


@pytest.mark.parametrize("changes", [{"interval_s": "60"}, {}])
def test_viewer_settings_post_is_refused(web, services, station, changes):
    web.login("vera")
    before, file_before = services.config.camera("sim-1"), toml_text(station)
    response = post_settings(web, services, **changes)
    assert response.status_code == 403
    assert services.config.camera("sim-1") == before
    assert toml_text(station) == file_before


def test_operator_may_change_camera_settings(web, services):
    web.login("otto")
    assert post_settings(web, services, interval_s="120").status_code == 303
    assert services.config.camera("sim-1").interval_s == 120.0


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/cameras/sim-1/settings", {"interval_s": "60"}),
        ("/users", {"username": "nina", "password": "a long secret phrase", "role": "viewer"}),
        ("/account/password", {"current": PASSWORDS["ada"], "new": NEW_PASSWORD}),
        ("/account/tokens", {"name": "backup"}),
        ("/confirm", {"password": PASSWORDS["ada"], "next": "/users"}),
    ],
)
def test_posts_without_csrf_token_are_refused(web, services, url, data):
    web.login("ada")
    response = web.client.post(url, data=data)
    assert response.status_code == 403
    assert "CSRF" in html(response)
    assert services.config.camera("sim-1").interval_s == 300.0
    assert [u.username for u in services.users.users(ADMIN)] == ["ada", "otto", "vera"]


def add_user(web, username="nina", role="operator", password="a long secret phrase"):
    data = {"csrf_token": web.csrf, "username": username, "password": password, "role": role}
    return web.client.post("/users", data=data)


def usernames(services):
    return {user.username: user for user in services.users.users(ADMIN)}


def test_admin_adds_a_user(web, services):
    web.login("ada")
    response = add_user(web)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/users?notice=added")
    assert usernames(services)["nina"].role == "operator"
    page = html(web.client.get(response.headers["Location"]))
    assert "Account added." in page
    assert "nina" in page
    assert "user_add" in page


def test_a_bad_new_user_is_shown_under_its_field(web, services):
    web.login("ada")
    response = add_user(web, username="Nina!", role="admin")
    page = html(response)
    assert response.status_code == 400
    assert 'id="username-problem"' in page
    assert 'value="Nina!"' in page
    assert '<option value="admin" selected>' in page
    assert "Nina!" not in usernames(services)


def test_user_changes_need_a_recent_password(web, services, clock):
    web.login("ada")
    clock.set(clock.now() + 400)
    response = add_user(web)
    page = html(response)
    assert response.status_code == 401
    assert "Confirm your password" in page
    assert 'action="/confirm"' in page
    assert 'name="next" value="/users"' in page
    assert "nina" not in usernames(services)
    confirmed = web.client.post(
        "/confirm", data={"csrf_token": web.csrf, "password": PASSWORDS["ada"], "next": "/users"}
    )
    assert confirmed.status_code == 303
    assert confirmed.headers["Location"] == "/users?notice=confirmed"
    assert add_user(web).status_code == 303
    assert "nina" in usernames(services)


def test_a_wrong_confirmation_password_is_refused(web, clock):
    web.login("ada")
    clock.set(clock.now() + 400)
    response = web.client.post(
        "/confirm", data={"csrf_token": web.csrf, "password": "not it at all", "next": "/users"}
    )
    assert response.status_code == 401
    assert "Confirm your password" in html(response)
    assert add_user(web).status_code == 401


def test_confirm_goes_back_only_to_this_station(web):
    web.login("ada")
    response = web.client.post(
        "/confirm",
        data={"csrf_token": web.csrf, "password": PASSWORDS["ada"], "next": "//evil.example/"},
    )
    assert response.headers["Location"] == "/?notice=confirmed"


@pytest.mark.parametrize(
    ("path", "data", "check"),
    [
        ("role", {"role": "admin"}, lambda user: user.role == "admin"),
        ("disabled", {"disabled": "1"}, lambda user: user.disabled),
        ("password", {"password": "a fresh long secret"}, lambda user: True),
    ],
)
def test_admin_changes_a_user(web, services, path, data, check):
    web.login("ada")
    response = web.client.post(f"/users/otto/{path}", data={"csrf_token": web.csrf, **data})
    assert response.status_code == 303
    assert check(usernames(services)["otto"])


def test_reset_password_ends_the_users_sessions(app, web):
    otto = Web(app.test_client()).login("otto")
    web.login("ada")
    data = {"csrf_token": web.csrf, "password": "a fresh long secret"}
    assert web.client.post("/users/otto/password", data=data).status_code == 303
    assert otto.client.get("/").status_code == 302


def test_admin_removes_a_user(web, services):
    web.login("ada")
    response = web.client.post("/users/vera/remove", data={"csrf_token": web.csrf})
    assert response.status_code == 303
    assert "vera" not in usernames(services)


def test_a_weak_reset_password_is_said_on_the_page(web):
    web.login("ada")
    response = web.client.post(
        "/users/otto/password", data={"csrf_token": web.csrf, "password": "x"}
    )
    assert response.status_code == 400
    assert "Not changed: password: at least" in html(response)


@pytest.mark.parametrize("username", ["otto", "vera"])
def test_non_admins_see_users_read_only(web, services, username):
    web.login(username)
    page = html(web.client.get("/users"))
    assert "Add a user" not in page
    assert "/users/ada/remove" not in page
    assert "may not manage users" in page
    assert add_user(web).status_code == 403
    assert "nina" not in usernames(services)


def make_token(web, name="backup script"):
    return web.client.post("/account/tokens", data={"csrf_token": web.csrf, "name": name})


def test_a_new_token_is_shown_once_and_works(web, services):
    web.login("ada")
    response = make_token(web)
    page = html(response)
    assert response.status_code == 201
    secret = re.search(r'<code class="token" id="new-token">([^<]+)</code>', page).group(1)
    assert "Copy it now" in page
    assert secret not in html(web.client.get("/account"))
    bearer = {"Authorization": f"Bearer {secret}"}
    assert web.client.get("/api/v1/session", headers=bearer).status_code == 200


def test_revoking_a_token_stops_it(web, services):
    web.login("ada")
    secret = re.search(r'id="new-token">([^<]+)<', html(make_token(web))).group(1)
    (token,) = services.tokens.visible(ADMIN)
    response = web.client.post(
        f"/account/tokens/{token.token_id}/revoke", data={"csrf_token": web.csrf}
    )
    assert response.status_code == 303
    assert services.tokens.visible(ADMIN) == []
    bearer = {"Authorization": f"Bearer {secret}"}
    assert web.client.get("/api/v1/session", headers=bearer).status_code == 401


def test_token_names_are_escaped(web):
    web.login("ada")
    page = html(make_token(web, NAME))
    assert NAME not in page
    assert ESCAPED in page
    page = html(web.client.get("/users"))
    assert NAME not in page
    assert ESCAPED in page


def test_token_creation_needs_a_recent_password(web, services, clock):
    web.login("ada")
    clock.set(clock.now() + 400)
    response = make_token(web)
    assert response.status_code == 401
    assert 'name="next" value="/account"' in html(response)
    assert services.tokens.visible(ADMIN) == []


def test_a_viewer_makes_and_sees_only_own_tokens(app, web, services):
    ada = Web(app.test_client()).login("ada")
    make_token(ada, "ada's")
    web.login("vera")
    assert make_token(web, "vera's").status_code == 201
    page = html(web.client.get("/account"))
    assert "vera&#39;s" in page
    assert "ada&#39;s" not in page


def change_password(web, current, new=NEW_PASSWORD):
    data = {"csrf_token": web.csrf, "current": current, "new": new}
    return web.client.post("/account/password", data=data)


def test_password_change_ends_the_other_session_only(app, web):
    other = Web(app.test_client()).login("ada")
    web.login("ada")
    response = change_password(web, PASSWORDS["ada"])
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/account?notice=password")
    assert "Password changed." in html(web.client.get(response.headers["Location"]))
    assert web.client.get("/").status_code == 200
    moved = other.client.get("/")
    assert moved.status_code == 302
    assert moved.headers["Location"].startswith("/login")
    Web(app.test_client()).login("ada", NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(app, web):
    web.login("ada")
    response = change_password(web, "not the password")
    assert response.status_code == 401
    assert "Change your password" in html(response)
    assert web.client.get("/").status_code == 200
    Web(app.test_client()).login("ada")


def test_a_weak_new_password_is_said_on_the_page(web):
    web.login("ada")
    response = change_password(web, PASSWORDS["ada"], "short")
    assert response.status_code == 400
    assert "password: at least" in html(response)


def test_api_tokens_cannot_use_the_page_forms(web, services):
    web.login("ada")
    secret = re.search(r'id="new-token">([^<]+)<', html(make_token(web))).group(1)
    bearer = {"Authorization": f"Bearer {secret}"}
    response = web.client.post("/users", data={"username": "nina"}, headers=bearer)
    assert response.status_code == 403
    assert "nina" not in usernames(services)


def test_dashboard_links_to_the_camera_pages_and_refreshes(web):
    page = html(web.login("ada").client.get("/"))
    assert 'href="/cameras/sim-1/live"' in page
    assert 'href="/cameras/sim-1/settings"' in page
    assert 'src="/static/dashboard.js"' in page
