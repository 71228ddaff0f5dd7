"""The settings service: recovery from a bad station.toml, validated updates, events."""

import logging

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.adapters.accounts_db import AccountsDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.domain.events import SettingsChanged, SettingsProblem, SettingsRecovered
from eyepi_gui.errors import InvalidInput
from eyepi_gui.services.access import AccessControl
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.settings import CameraSettings, StationSettings
from tests.fakes import FakeClock
from tests.principals import ADMIN

UTC_TZ = __import__("datetime").UTC


@pytest.fixture
def store(tmp_path):
    return AtomicTextFile(tmp_path / "station.toml")


def service(store):
    bus = EventBus()
    events = []
    bus.subscribe(events.append)
    accounts = AccountsDB(StateDB(store.path.parent / "state.db"))
    access = AccessControl(accounts)
    audit = AuditLog(accounts, FakeClock(0), access)
    return SettingsService(store, bus, UTC_TZ, access, audit), events


def test_missing_file_starts_from_defaults_without_a_problem(store):
    svc, events = service(store)
    assert svc.load() == StationSettings() and svc.problem() is None and events == []


@pytest.mark.parametrize("bad", ["station_name = [", "\xff\xfe"])
def test_an_unreadable_file_boots_from_last_known_good(store, bad, caplog):
    good = StationSettings(station_name="field-3")
    store.write(cfg.dumps(good))
    store.path.write_bytes(bad.encode("latin-1"))
    svc, events = service(store)
    with caplog.at_level(logging.ERROR, logger="eyepi"):
        assert svc.load() == cfg.fail_closed(good)
    assert "last-known-good copy, [remote] and [security] closed" in svc.problem()
    assert [type(e) for e in events] == [SettingsRecovered]
    assert len([r for r in caplog.records if getattr(r, "event", "") == "settings_recovered"]) == 1
    moved = list(store.path.parent.glob("station.toml.bad-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == bad.encode("latin-1")
    assert not store.path.exists()


def test_an_unreadable_file_without_a_good_copy_runs_on_defaults_with_the_remote_off(store):
    store.path.write_text("nonsense = = =")
    svc, _ = service(store)
    assert svc.load() == cfg.SAFE_DEFAULTS
    assert not svc.current().remote.enabled
    assert "defaults with the remote endpoint off" in svc.problem()


def test_a_valid_file_written_by_hand_becomes_last_known_good(store):
    store.path.write_text(cfg.dumps(StationSettings(station_name="by-hand")))
    svc, _ = service(store)
    svc.load()
    assert cfg.loads(store.read_last_good()).station_name == "by-hand"


def test_update_saves_publishes_and_clears_the_problem(store):
    store.path.write_text("broken = ")
    svc, events = service(store)
    svc.load()
    svc.update_camera(ADMIN, "sim-1", {"interval_s": 60, "name": "Left"})
    assert svc.problem() is None
    assert cfg.loads(store.read()).cameras["sim-1"].interval_s == 60
    changed = [e for e in events if isinstance(e, SettingsChanged)]
    assert changed[-1].section == "cameras.sim-1" and set(changed[-1].changed) == {
        "interval_s",
        "name",
    }


def test_rejected_update_saves_nothing(store):
    svc, events = service(store)
    svc.load()
    svc.update_camera(ADMIN, "sim-1", {"interval_s": 60})
    before = store.path.read_bytes()
    with pytest.raises(InvalidInput) as err:
        svc.update_camera(ADMIN, "sim-1", {"interval_s": 60, "window": "25:00-01:00"})
    assert err.value.field == "cameras.sim-1.window"
    assert store.path.read_bytes() == before
    assert svc.camera("sim-1").window == "05:00-22:00"
    assert not any(
        isinstance(e, SettingsChanged) and e.changed == ("interval_s",) for e in events[1:]
    )


PARTLY_BAD = """
station_name = "field-9"
timezone = "Mars/Olympus"

[remote]
enabled = false
bind = "127.0.0.1"

[cameras.left]
name = "Left"
window = "05:00-24:00"

[cameras.right]
name = "Right"
interval_s = 30
"""


def test_a_bad_camera_section_costs_only_that_camera(store):
    store.path.write_text(PARTLY_BAD)
    svc, events = service(store)
    station = svc.load()
    assert station.station_name == "field-9" and station.cameras["right"].interval_s == 30
    assert (station.remote.enabled, station.remote.bind) == (False, "127.0.0.1")
    assert station.cameras["left"] == CameraSettings(name="left")  # defaults named after it
    assert "cameras.left.window" in svc.camera_problem("left")
    assert "runs on defaults" in svc.camera_problem("left")
    assert svc.camera_problem("right") is None
    assert "cameras.left.window" in svc.problem() and "timezone" in svc.problem()
    assert [type(e) for e in events] == [SettingsProblem]
    assert store.read() == PARTLY_BAD, "a file mostly in use stays where it is"
    assert store.read_last_good() is None, "a partly bad file is not last-known-good"


def test_bad_parts_run_on_their_last_good_values(store):
    good = StationSettings(
        timezone="Australia/Canberra",
        cameras={"left": CameraSettings(name="Left", interval_s=60, window="always")},
    )
    store.write(cfg.dumps(good))
    store.path.write_text(PARTLY_BAD)
    svc, _ = service(store)
    station = svc.load()
    assert station.cameras["left"] == good.cameras["left"]
    assert station.timezone == "Australia/Canberra" and station.station_name == "field-9"
    assert "runs on its last good settings" in svc.camera_problem("left")
    assert cfg.loads(store.read_last_good()) == good


def test_a_bad_remote_section_never_opens_the_endpoint_further(store):
    store.write(cfg.dumps(StationSettings()))  # last good: every network, port 8080
    store.path.write_text('[remote]\nbind = "localhost"\nport = 8443\n')
    svc, _ = service(store)
    remote = svc.load().remote
    assert (remote.enabled, remote.bind, remote.port) == (True, "127.0.0.1", 8443)
    assert 'bind = "127.0.0.1"' in svc.problem()


def test_a_network_camera_with_a_bad_id_is_left_out_and_named_on_one_line(store):
    store.path.write_text(
        '[network_cameras."cam\\n"]\nurl = "rtsp://192.0.2.5/a"\n'
        '[network_cameras.gate]\nurl = "rtsp://192.0.2.6/a"\n'
    )
    svc, _ = service(store)
    assert list(svc.load().network_cameras) == ["gate"]
    assert 'network_cameras."cam\\n"' in svc.problem() and "\n" not in svc.problem()


def test_the_next_save_keeps_the_file_as_written_and_writes_a_valid_one(store):
    store.path.write_text(PARTLY_BAD)
    svc, _ = service(store)
    svc.load()
    svc.update_camera(ADMIN, "right", {"interval_s": 45})
    kept = list(store.path.parent.glob("station.toml.bad-*"))
    assert len(kept) == 1 and kept[0].read_text() == PARTLY_BAD
    saved = cfg.loads(store.read())  # valid throughout
    assert saved.cameras["right"].interval_s == 45 and not saved.remote.enabled
    assert svc.problem() is None and svc.camera_problem("left") is None
    svc.update_camera(ADMIN, "right", {"interval_s": 50})
    assert len(list(store.path.parent.glob("station.toml.bad-*"))) == 1


@pytest.mark.parametrize("text", [PARTLY_BAD, "broken = [", "\\xff"])
def test_the_cli_reads_without_touching_anything(store, text):
    store.write(cfg.dumps(StationSettings(station_name="good")))
    store.path.write_bytes(text.encode("latin-1"))
    svc, events = service(store)
    svc.load(repair=False)
    assert store.path.read_bytes() == text.encode("latin-1")
    assert cfg.loads(store.read_last_good()).station_name == "good"
    assert events == [] and not list(store.path.parent.glob("station.toml.bad-*"))


SIM = CameraInfo("sim-1", "sim", "Sim", (4056, 3040))
WEBCAM = CameraInfo("cam", "opencv", "Webcam", (640, 480), formats=("jpg",))
DSLR = CameraInfo("dslr", "gphoto2", "Nikon", (6048, 4024), formats=("jpg",), sized_stills=False)


def test_a_section_the_camera_cannot_deliver_is_its_problem_and_it_captures_what_it_can(store):
    store.path.write_text('[cameras.sim-1]\nname = "Bench"\nresolution = "8112x6080"\n')
    svc, events = service(store)
    svc.load()
    assert svc.camera_problem("sim-1") is None  # not found yet: nothing known to check
    svc.describe_camera(SIM)
    assert svc.camera("sim-1").resolution == "4056x3040" and svc.camera("sim-1").name == "Bench"
    assert "cameras.sim-1.resolution: this camera takes at most 4056x3040" in svc.problem()
    assert "captures jpg at 4056x3040 px" in svc.camera_problem("sim-1")
    assert [type(e) for e in events] == [SettingsProblem]
    svc.describe_camera(SIM)  # found again on the next scan: said once
    assert len(events) == 1


def test_the_api_and_kiosk_check_is_the_same_check(store):
    svc, _ = service(store)
    svc.load()
    svc.describe_camera(WEBCAM)
    with pytest.raises(InvalidInput) as refused:
        svc.update_camera(ADMIN, "cam", {"resolution": "800x600", "formats": ["jpg", "png"]})
    assert refused.value.field == "cameras.cam.resolution"
    assert (
        refused.value.problems["cameras.cam.formats"] == "this camera delivers jpg only (not png)"
    )
    assert svc.update_camera(ADMIN, "cam", {"resolution": "640x480"}).resolution == "640x480"


def test_the_default_resolution_is_fitted_to_a_small_camera_without_a_problem(store):
    svc, _ = service(store)
    svc.load()
    svc.describe_camera(WEBCAM)
    svc.describe_camera(DSLR)
    assert svc.camera("cam").resolution == "640x360"  # 16:9 like the default, inside 640x480
    assert svc.camera("dslr").resolution == "1920x1080"  # stills come at the DSLR's own size
    assert svc.update_camera(ADMIN, "dslr", {"resolution": "8000x6000"}).resolution == "8000x6000"
    assert svc.problem() is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"interval_s": True}, "cameras.sim-1.interval_s"),
        ({"jpeg_quality": True}, "cameras.sim-1.jpeg_quality"),
        ({"jpeg_quality": "90"}, "cameras.sim-1.jpeg_quality"),
        ({"enabled": 1}, "cameras.sim-1.enabled"),
    ],
)
def test_updates_take_numbers_and_switches_of_their_own_type_only(store, changes, field):
    svc, _ = service(store)
    svc.load()
    with pytest.raises(InvalidInput) as refused:
        svc.update_camera(ADMIN, "sim-1", changes)
    assert refused.value.field == field
    assert store.read() is None


def test_a_partly_bad_station_change_is_refused_whole(store):
    svc, _ = service(store)
    svc.load()
    with pytest.raises(InvalidInput) as refused:
        svc.update_station(ADMIN, {"remote": {"port": 8443, "bind": "localhost"}})
    assert refused.value.field == "remote.bind" and store.read() is None


def test_a_save_after_an_unreadable_file_writes_the_safe_settings_in_force(store):
    store.path.write_text("broken = [")
    svc, _ = service(store)
    svc.load()
    svc.update_camera(ADMIN, "sim-1", {"interval_s": 60})
    assert len(list(store.path.parent.glob("station.toml.bad-*"))) == 1  # the one moved aside
    saved = cfg.loads(store.read())
    assert not saved.remote.enabled and saved.cameras["sim-1"].interval_s == 60
    assert svc.problem() is None


def test_a_camera_reported_with_a_bad_id_is_refused_and_never_fails_the_others(store):
    svc, _ = service(store)
    svc.load()
    with pytest.raises(InvalidInput) as refused:
        svc.describe_camera(CameraInfo("net-1\n", "opencv", "Stream", (640, 480)))
    assert refused.value.field == "camera_id" and '"net-1\\n": camera ids' in refused.value.reason
    svc.describe_camera(WEBCAM)
    assert svc.camera("cam").resolution == "640x360"
    assert svc.camera("net-1\n").name == '"net-1\\n"'  # its defaults name it on one line
