"""A partly bad station.toml as a real `eyepi run --headless` station meets it: the bad part
costs only itself, the problem is said (on one line), the remote endpoint is never more
open than the file asked, and the other cameras capture."""

import json
import socket
from pathlib import Path

import pytest

from tests.system.test_station_process import eyepi, sidecars, stop, wait_for, without_pyside6

pytestmark = pytest.mark.system

GOOD_CAMERAS = """
[cameras.sim-2]
name = "Right"
interval_s = 1
window = "always"
resolution = "64x48"
"""
BAD_WINDOW = """
[cameras.sim-1]
name = "Left"
interval_s = 1
window = "05:00-24:00"
"""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log_of(home: Path):
    path = home / "logs" / "eyepi.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def logged(home, event):
    return [entry for entry in log_of(home) if entry.get("event") == event]


def strings(value):
    """Every text in a decoded log entry, keys included."""
    if isinstance(value, dict):
        return [text for k, v in value.items() for text in (k, *strings(v))]
    if isinstance(value, list):
        return [text for item in value for text in strings(item)]
    return [value] if isinstance(value, str) else []


def captured(home, camera_id):
    docs = [json.loads(path.read_text()) for path in sidecars(home)]
    return [doc for doc in docs if doc["camera_id"] == camera_id]


def listening(port):
    """Local addresses (IPv4, as text) with a TCP socket listening on ``port``."""
    found = []
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, port_hex = local.split(":")
        if state == "0A" and int(port_hex, 16) == port:
            found.append(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def run_station(tmp_path, text, until):
    """Start a headless station on ``text`` as station.toml; stop it once ``until(home)``
    holds (or after 30 s). Returns the home, whether ``until`` held, and stderr."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.toml").write_text(text)
    proc = eyepi("run", "--headless", "--home", str(home), env=without_pyside6(tmp_path))
    try:
        held = wait_for(lambda: until(home))
    finally:
        code, _, err = stop(proc)
    assert code == 0, err
    return home, held, err


def test_a_bad_camera_leaves_the_remote_off_as_the_file_says(tmp_path):
    port = free_port()
    text = f"[remote]\nenabled = false\nport = {port}\n{BAD_WINDOW}{GOOD_CAMERAS}"

    def settled(home):
        return captured(home, "sim-2") and logged(home, "remote_disabled") and not listening(port)

    home, held, _ = run_station(tmp_path, text, settled)
    assert held, "sim-2 captured with the remote endpoint off"
    (problem,) = logged(home, "settings_problem")
    assert (
        "cameras.sim-1.window" in problem["msg"]
        and "camera sim-1 runs on defaults" in (problem["msg"])
    )
    assert not logged(home, "remote_started")


def test_a_bad_camera_leaves_the_remote_on_loopback_as_the_file_says(tmp_path):
    port = free_port()
    text = f'[remote]\nbind = "127.0.0.1"\nport = {port}\n{BAD_WINDOW}{GOOD_CAMERAS}'
    seen = {}

    def settled(home):
        seen["listening"] = listening(port)
        return captured(home, "sim-2") and seen["listening"]

    home, held, _ = run_station(tmp_path, text, settled)
    assert held, "sim-2 captured and the endpoint listened"
    assert seen["listening"] == ["127.0.0.1"]
    (started,) = logged(home, "remote_started")
    assert started["fields"]["url"] == f"http://127.0.0.1:{port}"


def test_a_network_camera_id_with_a_line_break_is_refused_on_one_line(tmp_path):
    text = (
        '[network_cameras."cam\\n"]\nurl = "rtsp://192.0.2.5/live"\n'
        + GOOD_CAMERAS
        + BAD_WINDOW.replace("05:00-24:00", "always")
    )

    def settled(home):
        return captured(home, "sim-1") and captured(home, "sim-2")

    home, held, err = run_station(tmp_path, text, settled)
    assert held, "every other camera captured"
    (problem,) = logged(home, "settings_problem")
    assert 'network_cameras."cam\\n": camera ids use a-z' in problem["msg"]
    assert 'network_cameras."cam\\n": camera ids use a-z' in err  # the console's line too
    assert not [text for entry in log_of(home) for text in strings(entry) if "cam\n" in text]


def test_a_resolution_the_camera_cannot_take_is_said_and_it_captures_what_it_can(tmp_path):
    text = GOOD_CAMERAS + BAD_WINDOW.replace('"05:00-24:00"', '"always"\nresolution = "8112x32"')

    def settled(home):
        return captured(home, "sim-1") and logged(home, "settings_problem")

    home, held, _ = run_station(tmp_path, text, settled)
    assert held, "sim-1 captured and its problem was said"
    (problem,) = logged(home, "settings_problem")
    assert "cameras.sim-1.resolution: this camera takes at most 4056x3040 px" in problem["msg"]
    assert {(doc["width"], doc["height"]) for doc in captured(home, "sim-1")} == {(4056, 16)}
