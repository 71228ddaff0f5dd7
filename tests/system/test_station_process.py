"""The station as a real process: `eyepi run --headless` captures, refuses a twin, stops cleanly."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np
import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.settings import CameraSettings, StationSettings

pytestmark = pytest.mark.system


def eyepi(*args, env=None):
    full_env = {**os.environ, **(env or {})}
    # VCAMERADIR: the virtual gphoto2 camera of other tests is not this station's camera.
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "VCAMERADIR"):
        if name not in (env or {}):
            full_env.pop(name, None)
    return subprocess.Popen(
        [sys.executable, "-m", "eyepi_gui", *args],
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def write_settings(home: Path, **station):
    home.mkdir(parents=True, exist_ok=True)
    cams = {
        "sim-1": CameraSettings(name="Left", interval_s=1, window="always", resolution="640x480"),
        "sim-2": CameraSettings(
            name="Right",
            interval_s=2,
            window="always",
            resolution="800x600",
            formats=("jpg", "png"),
        ),
    }
    (home / "station.toml").write_text(
        cfg.dumps(StationSettings(station_name="field-7", cameras=cams, **station))
    )


def wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def sidecars(home):
    return sorted((home / "images").rglob("*.json"))


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=90)
    return proc.returncode, out, err


def without_pyside6(tmp_path):
    """An environment in which ``import PySide6`` fails, as on a headless install."""
    blocker = tmp_path / "no-qt" / "PySide6"
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("PySide6 is not installed here")\n')
    return {"PYTHONPATH": os.pathsep.join([str(blocker.parent), os.environ.get("PYTHONPATH", "")])}


def test_headless_station_captures_and_stops_cleanly(tmp_path):
    home = tmp_path / "home"
    write_settings(home)
    proc = eyepi("run", "--headless", "--home", str(home), env=without_pyside6(tmp_path))
    started = time.monotonic()
    try:
        assert wait_for(lambda: len(sidecars(home)) >= 1), "no capture within 30 s"
        time.sleep(max(0.0, 10 - (time.monotonic() - started)))  # let it run for about 10 s
    finally:
        code, _, err = stop(proc)
    assert code == 0, err
    docs = [json.loads(p.read_text()) for p in sidecars(home)]
    per_camera = {cid: [d for d in docs if d["camera_id"] == cid] for cid in ("sim-1", "sim-2")}
    assert len(per_camera["sim-1"]) >= 8 and len(per_camera["sim-2"]) >= 4
    for doc, path in zip(docs, sidecars(home), strict=True):
        assert (
            doc["station"] == "field-7" and doc["backend"] == "sim" and doc["software"]["version"]
        )
        assert doc["scheduled_at"] and doc["taken_at"] and not doc["test_shot"]
        for item in doc["files"]:
            image = path.with_name(item["name"])
            data = image.read_bytes()
            assert len(data) == item["size"]
            decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
            assert decoded is not None and decoded.shape[1] == doc["width"]
    names = [p.name for p in (home / "images").rglob("*") if p.is_file()]
    assert not [n for n in names if n.endswith(".part") or n.startswith(".")], (
        "half-written files left"
    )
    assert (home / "latest" / "sim-1.jpg").stat().st_size > 0
    slots = [d["scheduled_at"] for d in per_camera["sim-1"]]
    assert len(slots) == len(set(slots))
    log = [json.loads(line) for line in (home / "logs" / "eyepi.jsonl").read_text().splitlines()]
    captures = [e for e in log if e["event"] == "capture"]
    assert len(captures) == len(docs)


def test_second_station_on_the_same_home_refuses(tmp_path):
    home = tmp_path / "home"
    write_settings(home)
    first = eyepi("run", "--home", str(home))  # no display in this environment: runs headless
    try:
        assert wait_for(
            lambda: (home / "eyepi.lock").exists() and (home / "eyepi.lock").read_text().strip()
        )
        second = eyepi("run", "--headless", "--home", str(home))
        _, err = second.communicate(timeout=60)
        assert second.returncode == 3
        assert "already running" in err and str(first.pid) in err
    finally:
        code, _, err = stop(first)
    assert code == 0, err


def test_corrupt_settings_never_stop_the_station(tmp_path):
    home = tmp_path / "home"
    write_settings(home)
    (home / "station.toml").write_text("this is [ not toml")
    proc = eyepi("run", "--headless", "--home", str(home))
    try:
        assert wait_for(
            lambda: (
                (home / "logs" / "eyepi.jsonl").exists()
                and "settings_recovered" in (home / "logs" / "eyepi.jsonl").read_text()
            )
        )
        assert wait_for(lambda: bool(list(home.glob("station.toml.bad-*"))))
    finally:
        code, _, err = stop(proc)
    assert code == 0, err
    assert "station.toml unusable" in err


def test_doctor_reports_backends_display_paths_and_space(tmp_path):
    proc = eyepi("doctor", "--home", str(tmp_path))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    for expected in ("sim", "gphoto2", "picamera2", "opencv", "Kiosk: unavailable", "Free space"):
        assert expected in out
    assert "no station.toml yet" in out
    (tmp_path / "station.toml").write_text("interval = [")
    proc = eyepi("doctor", "--home", str(tmp_path))
    out, _ = proc.communicate(timeout=60)
    assert "station.toml is unusable" in out and (tmp_path / "station.toml").exists()


def test_doctor_and_the_log_say_how_to_create_the_first_admin(tmp_path):
    proc = eyepi("doctor", "--home", str(tmp_path))
    out, _ = proc.communicate(timeout=60)
    assert "Users: no accounts yet" in out and "eyepi user add --admin NAME" in out
    assert not (tmp_path / "state.db").exists(), "doctor must not create files"
    run = eyepi("run", "--headless", "--home", str(tmp_path))
    try:
        assert wait_for(lambda: (tmp_path / "logs" / "eyepi.jsonl").exists())
        assert wait_for(lambda: "no_users" in (tmp_path / "logs" / "eyepi.jsonl").read_text())
    finally:
        code, _, err = stop(run)
    assert code == 0, err
    assert "eyepi user add --admin NAME" in err
    add = subprocess.run(
        [
            sys.executable,
            "-m",
            "eyepi_gui",
            "user",
            "add",
            "--admin",
            "ada",
            "--home",
            str(tmp_path),
        ],
        input="a long enough secret\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert add.returncode == 0, add.stderr
    proc = eyepi("doctor", "--home", str(tmp_path))
    out, _ = proc.communicate(timeout=60)
    assert "Users: 1 account(s)" in out
