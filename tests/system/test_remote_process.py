"""`eyepi serve` as a real process on a machine without Qt: the remote endpoint answers on
its configured address, needs a login, streams, and lets the port go at SIGTERM."""

import http.cookiejar
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.settings import CameraSettings, RemoteSettings, SecuritySettings, StationSettings
from tests.ports import free_port
from tests.system.test_station_process import eyepi, stop, wait_for, without_pyside6
from tests.system.test_user_cli import eyepi as user_cli

pytestmark = pytest.mark.system
PASSWORD = "a long enough secret"


def prepare(home, port):
    home.mkdir(parents=True)
    settings = StationSettings(
        security=SecuritySettings(bcrypt_cost=10),
        remote=RemoteSettings(bind="127.0.0.1", port=port),
        cameras={
            "sim-1": CameraSettings(
                name="Bench", interval_s=1, window="always", resolution="320x240"
            )
        },
    )
    (home / "station.toml").write_text(cfg.dumps(settings))
    assert user_cli(home, "add", "--admin", "ada", stdin=PASSWORD + "\n").returncode == 0


def browser():
    jar = http.cookiejar.CookieJar()
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def log_in(opener, base):
    page = opener.open(f"{base}/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"username": "ada", "password": PASSWORD, "csrf_token": token})
    opener.open(f"{base}/login", data=form.encode(), timeout=30).read()


def status_of(opener, url):
    try:
        return opener.open(url, timeout=10).status
    except urllib.error.HTTPError as err:
        return err.code
    except urllib.error.URLError:
        return None  # not listening yet


def test_eyepi_serve_answers_needs_a_login_streams_and_stops(tmp_path):
    home, port = tmp_path / "home", free_port()
    prepare(home, port)
    base = f"http://127.0.0.1:{port}"
    proc = eyepi("serve", "--home", str(home), env=without_pyside6(tmp_path))
    try:
        opener = browser()
        assert wait_for(lambda: status_of(opener, f"{base}/api/v1/health") == 200)
        assert status_of(opener, f"{base}/api/v1/cameras") == 401
        log_in(opener, base)

        def names():  # the cameras are found just after the endpoint starts
            cameras = json.load(opener.open(f"{base}/api/v1/cameras", timeout=10))
            return [c["name"] for c in cameras if c["id"] == "sim-1"]

        assert wait_for(lambda: names() == ["Bench"])
        with opener.open(f"{base}/api/v1/cameras/sim-1/stream", timeout=20) as stream:
            assert stream.headers.get_content_type() == "multipart/x-mixed-replace"
            assert stream.read(64).startswith(b"--eyepi-frame\r\nContent-Type: image/jpeg")
    finally:
        code, out, err = stop(proc)
    assert code == 0, err[-2000:]
    assert f"remote endpoint on {base}" in err + out
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as a restart binds
        sock.bind(("127.0.0.1", port))  # the port is free again


def test_a_port_in_use_is_logged_and_capture_goes_on(tmp_path):
    home = tmp_path / "home"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        prepare(home, taken.getsockname()[1])
        proc = eyepi("serve", "--home", str(home), env=without_pyside6(tmp_path))
        try:
            assert wait_for(lambda: any((home / "images").rglob("*.jpg")), timeout=60)
        finally:
            code, out, err = stop(proc)
    assert code == 0, err[-2000:]
    assert "remote endpoint not started" in err + out
