"""station.toml as the settings service finds it on disk: an empty, missing, unreadable or
special file never opens the station further nor replaces the last good copy, and a hand
edit made while the station runs is read before the next save, never lost."""

import logging
import os

import pytest

from eyepi_gui import doctor
from eyepi_gui import settings as cfg
from eyepi_gui.adapters.store import MAX_TEXT_BYTES, AtomicTextFile
from eyepi_gui.domain.events import SettingsChanged, SettingsProblem, SettingsRecovered
from eyepi_gui.settings import CameraSettings, RemoteSettings, StationSettings
from eyepi_gui.station import open_accounts
from tests.adapters.test_store import within
from tests.principals import ADMIN
from tests.services.test_config import service

CLOSED_REMOTE = StationSettings(
    remote=RemoteSettings(enabled=False, port=8443),
    cameras={"sim-1": CameraSettings(name="one", interval_s=60)},
)
OPEN_REMOTE = StationSettings(
    remote=RemoteSettings(enabled=True, bind="0.0.0.0", port=8443),
    cameras={"sim-1": CameraSettings(name="one", interval_s=60)},
)


@pytest.fixture
def store(tmp_path):
    return AtomicTextFile(tmp_path / "station.toml")


def aside(store):
    return sorted(store.path.parent.glob("station.toml.bad-*"))


@pytest.mark.parametrize("text", ["", "\n  \n", "# settings follow\n\n# (none yet)\n", None])
def test_an_empty_or_missing_file_beside_a_last_good_copy_runs_on_that_copy(store, text):
    store.write(cfg.dumps(CLOSED_REMOTE))
    good = store.read_last_good()
    if text is None:
        store.path.unlink()
    else:
        store.path.write_text(text)
    svc, events = service(store)
    assert svc.load() == CLOSED_REMOTE
    said = "missing" if text is None else "empty"
    assert svc.problem() == (
        f"station.toml: could not be used ({said}, while settings were saved before) "
        "(running on the last-known-good copy)"
    )
    assert [type(e) for e in events] == [SettingsRecovered]
    assert store.read_last_good() == good, "the last good copy is never replaced by it"
    assert [path.read_text() for path in aside(store)] == ([] if text is None else [text])


@pytest.mark.parametrize("last_good", [None, "", "# nothing\n"])
def test_an_empty_file_without_settings_saved_before_runs_on_defaults(store, last_good):
    if last_good is not None:
        store.last_good.write_text(last_good)
    store.path.write_text("")
    svc, events = service(store)
    assert svc.load() == StationSettings() and svc.problem() is None and events == []


def test_an_empty_file_beside_a_last_good_copy_that_cannot_be_read_runs_closed(store):
    store.last_good.write_text("[remote\n")
    store.path.write_text("")
    svc, _ = service(store)
    assert svc.load() == cfg.SAFE_DEFAULTS


def test_only_a_file_used_whole_becomes_the_last_good_copy(store):
    store.write(cfg.dumps(CLOSED_REMOTE))
    cut_short = '[cameras.sim-1]\nname = "one"\ninterval_s = 60\n'  # [remote] left out
    store.path.write_text(cut_short)
    svc, _ = service(store)
    assert svc.load() == CLOSED_REMOTE
    assert "remote.enabled: not in station.toml, so its last good value stays" in svc.problem()
    assert cfg.loads(store.read_last_good()) == CLOSED_REMOTE, "not taken as last good"
    whole = cut_short + "[remote]\nenabled = false\nport = 8443\n"
    store.path.write_text(whole)
    svc, _ = service(store)
    assert svc.load() == CLOSED_REMOTE and svc.problem() is None
    assert store.read_last_good() == whole


def nested(depth):
    return f'[cameras.sim-1]\nname = "one"\nnote = {"[" * depth}{"]" * depth}\n'


def fifo(path):
    os.mkfifo(path)


def dev_zero(path):
    path.symlink_to("/dev/zero")


def folder(path):
    path.mkdir()


UNUSABLE = {
    "syntax error": lambda path: path.write_text(
        "[remote]\nenabled = false\n[cameras.sim-1]\nname = unquoted\n"
    ),
    "cut inside a value": lambda path: path.write_text("[remote]\nenabled = fal"),
    "not UTF-8": lambda path: path.write_bytes(b'station_name = "\xff\xfe"\n'),
    "nested 500 deep": lambda path: path.write_text(nested(500)),
    "nested 3000 deep": lambda path: path.write_text(nested(3000)),
    "too large": lambda path: path.write_text("#" * (MAX_TEXT_BYTES + 1)),
    "a named pipe": fifo,
    "a link to /dev/zero": dev_zero,
    "a folder": folder,
}


@pytest.mark.parametrize("make", UNUSABLE.values(), ids=UNUSABLE)
def test_a_file_that_cannot_be_used_closes_remote_and_security_over_the_last_good_copy(store, make):
    store.write(cfg.dumps(OPEN_REMOTE))
    store.path.unlink()
    make(store.path)
    svc, events = service(store)
    settings = within(10, svc.load)["value"]
    assert settings == cfg.fail_closed(OPEN_REMOTE)
    assert (settings.remote.enabled, settings.remote.bind) == (False, "127.0.0.1")
    assert settings.cameras == OPEN_REMOTE.cameras
    assert "running on the last-known-good copy, [remote] and [security] closed" in svc.problem()
    assert [type(e) for e in events] == [SettingsRecovered]
    assert len(aside(store)) == 1 and not store.path.exists() and not store.path.is_symlink()
    assert cfg.loads(store.read_last_good()) == OPEN_REMOTE


@pytest.mark.parametrize("make", UNUSABLE.values(), ids=UNUSABLE)
def test_without_a_last_good_copy_such_a_file_runs_on_the_safe_defaults(store, make):
    make(store.path)
    svc, _ = service(store)
    assert within(10, svc.load)["value"] == cfg.SAFE_DEFAULTS


@pytest.mark.parametrize("make", UNUSABLE.values(), ids=UNUSABLE)
def test_the_cli_and_doctor_read_such_a_file_without_failing_or_touching_it(tmp_path, make):
    home = tmp_path / "home"
    home.mkdir()
    make(home / "station.toml")
    tools = within(10, lambda: open_accounts(home))["value"]  # what `eyepi user add` opens
    tools.close()
    said = within(10, lambda: doctor._settings(home / "station.toml"))["value"]
    assert said.startswith("station.toml is unusable")
    assert (home / "station.toml").is_symlink() or (home / "station.toml").exists()
    assert not list(home.glob("station.toml.bad-*"))


def test_any_failure_to_parse_is_not_valid_toml():
    for text in (nested(3000), "a = [", "a = 1\na = 2"):
        with pytest.raises(cfg.InvalidInput) as refused:
            cfg.parse_toml(text)
        assert refused.value.field == "station.toml"
        assert refused.value.reason.startswith("not valid TOML: ")


PARSER_FAILURES = [
    RecursionError("maximum recursion depth exceeded"),
    MemoryError(),
    ValueError("bad"),
    UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
]


@pytest.mark.parametrize("failure", PARSER_FAILURES, ids=lambda e: type(e).__name__)
def test_whatever_the_parser_raises_is_not_valid_toml(monkeypatch, failure):
    def parser_failing(text):
        raise failure

    monkeypatch.setattr(cfg.tomllib, "loads", parser_failing)
    with pytest.raises(cfg.InvalidInput) as refused:
        cfg.parse_toml("station_name = 'x'")
    assert (refused.value.field, refused.value.reason[:15]) == ("station.toml", "not valid TOML:")


# Hand edits while the station runs: read before the next save, never lost.

RUNNING = StationSettings(
    remote=RemoteSettings(enabled=False),
    cameras={
        "sim-1": CameraSettings(name="one", interval_s=60),
        "sim-2": CameraSettings(name="two", interval_s=60),
    },
)
HAND_ADDED = '\n[network_cameras.gate]\nurl = "rtsp://192.0.2.5/live"\n'


def running(store):
    store.write(cfg.dumps(RUNNING))
    svc, events = service(store)
    svc.load()
    return svc, events


SAVES = {
    "camera": lambda svc: svc.update_camera(ADMIN, "sim-1", {"interval_s": 30}),
    "station": lambda svc: svc.update_station(ADMIN, {"station_name": "field-9"}),
}


def saved_the_change(saved, save):
    if save == "camera":
        return saved.cameras["sim-1"].interval_s == 30
    return saved.station_name == "field-9"


@pytest.mark.parametrize("save", SAVES)
def test_a_hand_edit_made_while_running_is_saved_with_the_change(store, save, caplog):
    svc, events = running(store)
    head, sim_2 = store.read().split("[cameras.sim-2]")
    edited = head + "[cameras.sim-2]" + sim_2.replace("interval_s = 60.0", "interval_s = 5.0")
    store.path.write_text(edited + HAND_ADDED)
    with caplog.at_level(logging.INFO, logger="eyepi"):
        SAVES[save](svc)
    saved = cfg.loads(store.read())
    assert saved.network_cameras["gate"].url == "rtsp://192.0.2.5/live"
    assert saved.cameras["sim-2"].interval_s == 5 and saved_the_change(saved, save)
    assert svc.current() == saved and svc.problem() is None
    assert cfg.loads(store.read_last_good()) == saved and not aside(store)
    reread = [e for e in events if isinstance(e, SettingsChanged) and e.section == "station"]
    assert reread[0].changed == ("network_cameras", "cameras")
    assert [r for r in caplog.records if getattr(r, "event", "") == "settings_reread"]


@pytest.mark.parametrize("save", SAVES)
def test_the_stations_own_saves_are_not_read_again(store, save, caplog):
    svc, _ = running(store)
    with caplog.at_level(logging.INFO, logger="eyepi"):
        SAVES[save](svc)
        SAVES[save](svc)
    assert not [r for r in caplog.records if getattr(r, "event", "") == "settings_reread"]


@pytest.mark.parametrize("save", SAVES)
def test_a_hand_edit_that_cannot_be_used_is_kept_aside_and_the_save_closes_the_remote(store, save):
    store.write(cfg.dumps(RUNNING.model_copy(update={"remote": RemoteSettings()})))
    svc, events = service(store)
    svc.load()
    broken = store.read() + HAND_ADDED + "[cameras.sim-3\n"
    store.path.write_text(broken)
    SAVES[save](svc)
    assert [path.read_text() for path in aside(store)] == [broken]
    saved = cfg.loads(store.read())
    assert saved_the_change(saved, save) and saved.cameras["sim-2"] == RUNNING.cameras["sim-2"]
    assert saved.remote == cfg.fail_closed(StationSettings()).remote
    assert [type(e) for e in events if isinstance(e, SettingsRecovered)] == [SettingsRecovered]


@pytest.mark.parametrize("save", SAVES)
def test_a_partly_bad_hand_edit_is_kept_and_its_good_parts_saved(store, save):
    svc, events = running(store)
    edited = store.read() + HAND_ADDED + '\n[cameras.sim-3]\nname = "three"\ninterval_s = 0\n'
    store.path.write_text(edited)
    SAVES[save](svc)
    assert [path.read_text() for path in aside(store)] == [edited]
    saved = cfg.loads(store.read())
    assert "gate" in saved.network_cameras and saved.cameras["sim-3"].interval_s == 300
    assert any(isinstance(e, SettingsProblem) for e in events)


@pytest.mark.parametrize("save", SAVES)
def test_a_hand_edit_leaving_remote_out_keeps_it_as_in_force(store, save):
    svc, _ = running(store)
    store.path.write_text('[cameras.sim-1]\nname = "one"\n')
    SAVES[save](svc)
    assert cfg.loads(store.read()).remote.enabled is False


@pytest.mark.parametrize("save", SAVES)
def test_a_file_removed_while_running_is_written_again_as_in_force(store, save):
    svc, _ = running(store)
    store.path.unlink()
    SAVES[save](svc)
    saved = cfg.loads(store.read())
    assert saved.cameras["sim-2"] == RUNNING.cameras["sim-2"] and not saved.remote.enabled
