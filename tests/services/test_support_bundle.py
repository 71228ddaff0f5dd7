"""Support bundles: what is in one, that no secret is (by rule and by value), that the
settings in it still load as the station's less their secrets, logs cut at the cap with a
note, operators only, and the stick job (fake drives here; a real loop stick in tests/gui)."""

import json
import logging
import re
import shutil
import time
import tomllib
from functools import partial

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.adapters import recent_logs
from eyepi_gui.doctor import report
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.jobs import JobState
from eyepi_gui.domain.support_bundle import LOG_CAP, bundle_name
from eyepi_gui.errors import Forbidden, InvalidInput, NotFound
from eyepi_gui.station import Station
from tests.fake_volumes import DATA_DISK, FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.principals import ADMIN
from tests.services.bundle_world import APART, INLINE, fill_with_secrets, leaks, unzipped

OPERATOR = Principal("otto", Role.OPERATOR, Origin.KIOSK)
VIEWER = Principal("vera", Role.VIEWER, Origin.KIOSK)


@pytest.fixture
def secret_station(tmp_path, clock, sim, network):
    home = tmp_path / "home"
    drives = KeepingVolumes(tmp_path / "mnt", udisks=True)
    made = Station(
        home,
        clock=clock,
        fallback=sim,
        log_to_console=False,
        network=network,
        drives=drives,
        doctor=partial(report, home, None),
        hasher=FakeHasher(),
    )
    services = made.open()
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", "admin long secret")
    services.users.add_user(admin, "otto", "operator long secret", "operator")
    services.users.add_user(admin, "vera", "viewer long secret", "viewer")
    services.config.update_station(ADMIN, {"timezone": "Australia/Canberra"})
    services.inventory.start()
    made.drives = drives
    made.secrets = fill_with_secrets(made, admin)
    yield made
    made.stop()


class KeepingVolumes(FakeVolumes):
    """FakeVolumes whose drives keep what was written on them once unmounted, in ``kept``."""

    def unmount(self, device):
        folder = self.mount_root / device.removeprefix("/dev/")
        if folder.is_dir():
            shutil.copytree(folder, self.mount_root.parent / "kept" / folder.name)
            shutil.rmtree(folder)
        super().unmount(device)


def download(services, principal=OPERATOR):
    bundle = services.support.download(principal)
    return bundle.name, unzipped(b"".join(bundle.chunks))


def test_the_bundle_holds_logs_settings_doctor_health_versions_and_a_readme(secret_station):
    name, files = download(secret_station.services)
    assert re.fullmatch(r"eyepi-support-eyepi-\d{8}-\d{6}\.zip", name)
    assert set(files) == {
        "README.txt",
        "station.toml",
        "doctor.txt",
        "health.json",
        "versions.txt",
        "logs/eyepi.jsonl",
    }
    readme = files["README.txt"].decode()
    assert "made 2025-06-01T00:00:00+10:00" in readme
    assert "logs/eyepi.jsonl" in readme and "whole" in readme
    assert files["doctor.txt"].decode().startswith("eyepi ")
    assert "Camera backends:" in files["doctor.txt"].decode()
    health = json.loads(files["health.json"])
    assert set(health["cameras"]) == {"gate", "door"}  # found: the simulated ones stand down
    assert health["cameras"]["gate"]["state"] == "offline"
    assert health["cameras"]["gate"]["hours"]
    assert health["station"]["station_name"] == "eyepi"
    versions = files["versions.txt"].decode()
    for what in ("eyepi", "Python", "PySide6", "libgphoto2", "OpenCV", "OS", "kernel"):
        assert re.search(rf"^{what} +\S", versions, re.MULTILINE), what
    assert b"station opened" in files["logs/eyepi.jsonl"]


def test_no_secret_is_in_any_file_in_any_form(secret_station):
    _name, files = download(secret_station.services)
    assert leaks(files, secret_station.secrets) == []
    log = files["logs/eyepi.jsonl"].decode()
    assert "could not open rtsp://admin:***@127.0.0.1:9/gate" in log
    assert "stream login was ***, tried ***" in log
    assert all(json.loads(line) for line in log.splitlines()), "every line still JSON"


def test_the_settings_still_load_and_keep_every_value_but_the_secrets(secret_station):
    _name, files = download(secret_station.services)
    shown = cfg.loads(files["station.toml"].decode())
    current = secret_station.services.config.current()
    cameras = current.network_cameras
    expected = current.model_copy(
        update={
            "network_cameras": {
                "gate": cameras["gate"].model_copy(update={"password": "***"}),
                "door": cameras["door"].model_copy(
                    update={"url": "rtsp://ops:***@127.0.0.1:9/door?channel=***"}
                ),
            }
        }
    )
    assert shown == expected
    assert shown.cameras == current.cameras and shown.remote == current.remote


def test_a_secret_field_is_found_by_its_marker_and_unknown_keys_are_withheld():
    """By rule: a field marked Secret, a key no model knows, a table where none belongs."""
    text = """
    pasword = "typo secret"
    [network_cameras.gate]
    url = "rtsp://admin@192.0.2.5/live"
    password = "marked secret"
    [network_cameras.gate2]
    url = "http://192.0.2.6/cgi?usr=admin&pwd=query secret"
    [preview]
    max_fps = {nested = "table secret"}
    """
    from eyepi_gui.settings.redacted import redacted_toml

    shown = redacted_toml(tomllib.loads(text))
    assert "secret" not in shown
    data = tomllib.loads(shown)
    assert data["pasword"] == "***"
    assert data["network_cameras"]["gate"] == {
        "url": "rtsp://admin@192.0.2.5/live",
        "password": "***",
    }
    assert data["network_cameras"]["gate2"]["url"] == "http://192.0.2.6/cgi?usr=***&pwd=***"
    assert data["preview"] == {"max_fps": {"nested": "***"}}


def test_a_station_toml_that_is_no_toml_is_left_out_saying_why(secret_station):
    (secret_station.home / "station.toml").write_text(f'password = "{APART}\n')
    _name, files = download(secret_station.services)
    shown = files["station.toml"].decode()
    assert shown.startswith("# station.toml could not be read, so none of it is here: ")
    assert APART not in shown and tomllib.loads(shown) == {}


def test_logs_over_the_cap_are_cut_newest_first_with_a_note(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    line = b'{"msg": "%05d"}\n'
    for number, name in enumerate(["eyepi.jsonl", "eyepi.jsonl.1", "eyepi.jsonl.2"]):
        (logs / name).write_bytes(b"".join(line % (number * 1000 + i) for i in range(1000)))
    size = len(line % 0) * 1000
    picked = recent_logs.pick(logs, cap=size + size // 2 + 3)
    assert [p.name for p in picked.pieces] == ["eyepi.jsonl", "eyepi.jsonl.1"]
    assert picked.pieces[0].whole and not picked.pieces[1].whole
    assert picked.left_out == (("eyepi.jsonl.2", size),)
    kept = b"".join(recent_logs.blocks(picked.pieces[1]))
    assert kept.startswith(b'{"msg": "01500"}') and kept.endswith(b'{"msg": "01999"}\n')
    assert len(kept) == size // 2


def test_blocks_hold_whole_lines_and_a_line_longer_than_a_block_comes_in_parts(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    long_line = b"x" * (recent_logs.BLOCK + 10) + b"\n"
    text = b"".join(b'{"n": %d}\n' % n for n in range(30000)) + long_line + b"tail\n"
    (logs / "eyepi.jsonl").write_bytes(text)
    (piece,) = recent_logs.pick(logs, cap=len(text)).pieces
    blocks = list(recent_logs.blocks(piece))
    assert b"".join(blocks) == text
    assert all(len(block) <= recent_logs.BLOCK for block in blocks)
    cut = [block for block in blocks if not block.endswith(b"\n")]
    assert len(cut) == 1 and cut[0].startswith(b"x")  # only the long line is cut


def test_a_log_rotated_between_pick_and_read_is_read_under_its_new_name(tmp_path):
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "eyepi.jsonl").write_bytes(b'{"n": "newest"}\n')
    (logs / "eyepi.jsonl.1").write_bytes(b'{"n": "older"}\n')
    picked = recent_logs.pick(logs, cap=1000)
    (logs / "eyepi.jsonl.1").rename(logs / "eyepi.jsonl.2")
    (logs / "eyepi.jsonl").rename(logs / "eyepi.jsonl.1")
    (logs / "eyepi.jsonl").write_bytes(b'{"n": "after the bundle began"}\n')
    read = [b"".join(recent_logs.blocks(piece)) for piece in picked.pieces]
    assert read == [b'{"n": "newest"}\n', b'{"n": "older"}\n']
    (logs / "eyepi.jsonl.2").unlink()  # rotated away: nothing to read, no error
    assert list(recent_logs.blocks(picked.pieces[1])) == []


def test_a_doctor_that_fails_still_gives_a_bundle_saying_so(tmp_path, sim, network):
    def broken():
        raise RuntimeError("no camera library")

    station = Station(
        tmp_path / "home", fallback=sim, log_to_console=False, network=network, doctor=broken
    )
    try:
        _name, files = download(station.open(), ADMIN)
    finally:
        station.stop()
    said = b"doctor.txt could not be made (RuntimeError): the station log says why\n"
    assert files["doctor.txt"] == said
    assert "logs/eyepi.jsonl" in files and "health.json" in files


def test_the_bundle_readme_says_what_was_left_out(secret_station):
    logs = secret_station.home / "logs"
    (logs / "eyepi.jsonl.1").write_bytes(b'{"msg": "old"}\n' * (LOG_CAP // 15 + 10))
    (logs / "eyepi.jsonl.2").write_bytes(b'{"msg": "older"}\n' * 10)
    _name, files = download(secret_station.services)
    readme = files["README.txt"].decode()
    assert "logs/eyepi.jsonl.1: its newest" in readme and "older lines were left out" in readme
    assert "eyepi.jsonl.2 (170 bytes) left out: over the size cap" in readme
    assert "logs/eyepi.jsonl.2" not in files
    assert len(files["logs/eyepi.jsonl"]) + len(files["logs/eyepi.jsonl.1"]) <= LOG_CAP


def test_viewers_are_refused_operators_and_admins_may(secret_station):
    services = secret_station.services
    with pytest.raises(Forbidden):
        services.support.download(VIEWER)
    with pytest.raises(Forbidden):
        services.support.to_stick(VIEWER, "/dev/sdb1")
    assert download(services, ADMIN)[1]["README.txt"]


def test_the_file_name_holds_only_safe_characters():
    from datetime import datetime

    when = datetime(2025, 6, 1, 9, 5, 7)
    assert (
        bundle_name('north "field"/../x', when) == "eyepi-support-north-field-x-20250601-090507.zip"
    )
    assert bundle_name("ÄÖ", when) == "eyepi-support-station-20250601-090507.zip"


def finished(services, view, timeout=30.0):
    deadline = time.monotonic() + timeout
    while not (job := services.jobs.job(view.job_id)).state.finished:
        assert time.monotonic() < deadline, job
        time.sleep(0.01)
    return job


def test_to_a_stick_the_bundle_is_written_then_the_stick_ejected(secret_station):
    drives = secret_station.drives
    drives.plug(stick("sdb1"))
    view = secret_station.services.support.to_stick(OPERATOR, "/dev/sdb1")
    job = finished(secret_station.services, view)
    assert job.state is JobState.DONE, job.error
    assert job.title == "Support bundle to STICK"
    assert re.fullmatch(
        r"eyepi/support/eyepi-support-eyepi-\d{8}-\d{6}\.zip written to STICK; "
        r"unmounted and powered off, safe to remove",
        job.result,
    )
    written = list((drives.mount_root.parent / "kept/sdb1/eyepi/support").iterdir())
    assert [p.name for p in written] == [job.result.split()[0].split("/")[-1]]
    files = unzipped(written[0].read_bytes())
    assert leaks(files, secret_station.secrets) == []
    assert drives.powered_off == ["/dev/sdb1"]


@pytest.mark.parametrize(
    ("device", "error"),
    [("sdb1", InvalidInput), (DATA_DISK.device, InvalidInput), ("/dev/sdz9", NotFound)],
)
def test_a_bad_device_is_refused(secret_station, device, error):
    secret_station.drives.plug(stick("sdb1"))
    with pytest.raises(error):
        secret_station.services.support.to_stick(OPERATOR, device)


def test_nothing_secret_is_logged_while_making_one(secret_station, caplog):
    with caplog.at_level(logging.DEBUG, logger="eyepi"):
        download(secret_station.services)
    assert INLINE not in caplog.text and APART not in caplog.text
