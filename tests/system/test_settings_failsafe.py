"""A partly bad station.toml as a real `eyepi run --headless` station meets it: the bad part
costs only itself, the problem is said (on one line), the remote endpoint is never more
open than the file asked, and the other cameras capture."""

import json
import socket
from pathlib import Path

import pytest

from tests.ports import free_port
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


SIM_ONE = '[cameras.sim-1]\nname = "one"\ninterval_s = 1\nwindow = "always"\nresolution = "64x48"\n'


def serve_station(tmp_path, text, last_good, until):
    """Start `eyepi serve` with ``text`` as station.toml (None: no file) beside ``last_good``
    as station.last-good.toml; stop once ``until(home)`` holds. Returns the home and whether
    ``until`` held."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "station.last-good.toml").write_text(last_good)
    if text is not None:
        (home / "station.toml").write_text(text)
    proc = eyepi("serve", "--home", str(home), env=without_pyside6(tmp_path))
    try:
        held = wait_for(lambda: until(home))
    finally:
        code, _, err = stop(proc)
    assert code == 0, err
    return home, held


def moved_aside(home):
    return sorted(home.glob("station.toml.bad-*"))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("", id="0-byte"),
        pytest.param("  \n\n# nothing but a comment\n\t\n", id="blank-and-comments"),
        pytest.param(None, id="missing"),
        pytest.param(SIM_ONE, id="cut-before-remote"),
        pytest.param(SIM_ONE + "[rem", id="cut-inside-a-header"),
    ],
)
def test_an_empty_or_cut_short_file_never_opens_the_remote_nor_replaces_the_last_good_copy(
    tmp_path, text
):
    port = free_port()
    last_good = f"{SIM_ONE}[remote]\nenabled = false\nport = {port}\n"

    def settled(home):
        return captured(home, "sim-1") and logged(home, "remote_disabled")

    home, held = serve_station(tmp_path, text, last_good, settled)
    assert held, "sim-1 captured with the remote endpoint off"
    assert not logged(home, "remote_started") and not listening(port)
    assert {doc["camera_name"] for doc in captured(home, "sim-1")} == {"one"}
    assert (home / "station.last-good.toml").read_text() == last_good, "last good kept"
    said = logged(home, "settings_recovered") + logged(home, "settings_problem")
    assert len(said) == 1 and "station.toml" in said[0]["msg"]
    if text is not None and text != SIM_ONE:  # unusable: kept aside as it was
        (kept,) = moved_aside(home)
        assert kept.read_text() == text


def test_a_syntax_error_closes_the_remote_even_when_the_last_good_copy_opened_it(tmp_path):
    port = free_port()
    last_good = f'{SIM_ONE}[remote]\nenabled = true\nbind = "0.0.0.0"\nport = {port}\n'
    text = f"[remote]\nenabled = false\nport = {port}\n[cameras.sim-1]\nname = unquoted\n"

    def settled(home):
        return captured(home, "sim-1") and logged(home, "remote_disabled")

    home, held = serve_station(tmp_path, text, last_good, settled)
    assert held, "sim-1 captured (on the last good copy) with the remote endpoint off"
    assert not logged(home, "remote_started") and not listening(port)
    (recovered,) = logged(home, "settings_recovered")
    assert "not valid TOML" in recovered["msg"]
    assert "last-known-good copy, [remote] and [security] closed" in recovered["msg"]
    (kept,) = moved_aside(home)
    assert kept.read_text() == text
    assert (home / "station.last-good.toml").read_text() == last_good
