"""The day zip over a real socket: streamed (chunked, no length, never on disk), memory
bounded whatever the day's size, and a client gone mid-stream gives back every file it held.
Plus the browser endpoints' role matrix: every logged-in role and API tokens may read them."""

from __future__ import annotations

import io
import os
import re
import tempfile
import time
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import requests

from tests.browse_day import fill_day
from tests.remote.conftest import PASSWORDS
from tests.remote.live_server import live_station
from tests.waiting import eventually

FILES, FILE_BYTES = 48, 1024 * 1024
MEMORY_BOUND = 6 * 1024 * 1024
"""Peak Python allocations while a 48 MiB zip streams (the chunks are 256 KiB)."""
API = "/api/v1/captures"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with live_station(tmp_path_factory.mktemp("browse") / "home") as live:
        yield live


@pytest.fixture(scope="module")
def filled(live):
    start = datetime(2026, 5, 30, 6, 0, tzinfo=live.services.config.tz()).timestamp()
    big = fill_day(live.station, "sim-1", start, FILES, payload_bytes=FILE_BYTES)
    small = fill_day(live.station, "sim-2", start - 86400, 2)  # JPEGs, for thumbnails
    return big, small


def held_images(home: Path) -> list[str]:
    """This process's open files under the home's images folder."""
    images = str(home / "images")
    held = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(images):
            held.append(target)
    return held


def zip_url(live) -> str:
    return f"{live.url}{API}/day.zip?camera=sim-1&day=2026-05-30"


def test_the_zip_is_streamed_with_bounded_memory(live, filled, tmp_path, monkeypatch):
    big, _ = filled
    spill = tmp_path / "temporary-files"  # where the server would spill a buffer or a zip
    spill.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spill))  # (not /tmp: others write there)
    before = set(os.listdir(live.station.home))
    tracemalloc.start()
    try:
        with requests.get(zip_url(live), headers=live.auth, stream=True, timeout=30) as response:
            assert response.status_code == 200
            assert "Content-Length" not in response.headers
            assert response.headers["Transfer-Encoding"] == "chunked"
            received = tmp_path / "day.zip"
            with received.open("wb") as out:
                for chunk in response.iter_content(256 * 1024):
                    out.write(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    print(f"\nday zip of {FILES} MiB streamed; peak Python memory {peak / 2**20:.1f} MiB")
    assert peak < MEMORY_BOUND
    assert set(os.listdir(live.station.home)) == before
    assert list(spill.iterdir()) == []
    archive = zipfile.ZipFile(received)
    assert archive.testzip() is None
    assert archive.namelist() == [p.name for p in big.paths]
    assert archive.read(big.paths[7].name) == big.paths[7].read_bytes()


def test_a_client_gone_mid_stream_gives_back_every_file(live, filled, monkeypatch):
    library, opened = live.services.captures, []
    real_open = library.open_file

    def tracked(record_id):
        record, source = real_open(record_id)
        opened.append(source)
        return record, source

    monkeypatch.setattr(library, "open_file", tracked)
    socks = []
    for _ in range(3):
        sock = live.connect()
        request = (
            f"GET {API}/day.zip?camera=sim-1&day=2026-05-30 HTTP/1.1\r\nHost: x\r\n"
            f"Authorization: Bearer {live.token}\r\nConnection: close\r\n\r\n"
        )
        sock.sendall(request.encode())
        received = 0
        while received < 3 * FILE_BYTES:
            received += len(sock.recv(65536))
        socks.append(sock)
    # three streams under way, each holding at most the one file it is sending
    assert len(held_images(live.station.home)) <= len(socks)
    for sock in socks:
        sock.close()
    began = time.monotonic()
    eventually(lambda: not held_images(live.station.home), timeout=15.0)
    eventually(lambda: all(source.closed for source in opened), timeout=15.0)
    assert 3 * 3 <= len(opened) < 3 * FILES, "each stream ended early, none ran to its end"
    print(f"\nfiles given back {time.monotonic() - began:.2f} s after the clients left")


CALLERS = ("anonymous", "viewer", "operator", "admin", "token")


def browse_urls(filled) -> list[str]:
    first = filled[1].ids[0]
    return [
        f"{API}/days?camera=sim-1",
        f"{API}/day?camera=sim-1&day=2026-05-30",
        f"{API}/day.zip?camera=sim-2&day=2026-05-30",
        f"{API}/{first}/thumbnail",
        "/captures?camera=sim-1",
        f"/captures/{first}",
    ]


def test_the_matrix_covers_every_browser_route(live, filled):
    served = {
        rule.rule
        for rule in live.app.url_map.iter_rules()
        if rule.endpoint.startswith(("capture_browser.", "pages.captures."))
    }
    listed = {url.split("?")[0] for url in browse_urls(filled)}
    listed = {re.sub(r"/\d+(?=/|$)", "/<int:record_id>", url) for url in listed}
    assert listed == served


@pytest.mark.parametrize("who", CALLERS)
def test_role_matrix_every_role_may_browse(live, filled, who):
    session = requests.Session()
    if who == "token":
        session.headers.update(live.auth)
    elif who != "anonymous":
        username = {"viewer": "vera", "operator": "otto", "admin": "ada"}[who]
        page = session.get(f"{live.url}/login", timeout=10).text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        form = {"username": username, "password": PASSWORDS[username], "csrf_token": token}
        assert session.post(f"{live.url}/login", data=form, timeout=10).ok
    for url in browse_urls(filled):
        response = session.get(f"{live.url}{url}", timeout=10, allow_redirects=False)
        if who == "anonymous":
            assert response.status_code in (401, 302), url
        else:
            assert response.status_code == 200, (who, url, response.text[:200])
    if who != "anonymous":
        empty = session.get(f"{live.url}{API}/day.zip?camera=sim-2&day=2026-05-30", timeout=10)
        assert zipfile.ZipFile(io.BytesIO(empty.content)).namelist() == []
