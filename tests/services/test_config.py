"""The settings service: recovery from a bad station.toml, validated updates, events."""

import logging

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.adapters.accounts_db import AccountsDB
from eyepi_gui.adapters.db import StateDB
from eyepi_gui.adapters.store import AtomicTextFile
from eyepi_gui.domain.events import SettingsChanged, SettingsRecovered
from eyepi_gui.errors import InvalidInput
from eyepi_gui.services.access import AccessControl
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.settings import StationSettings
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


@pytest.mark.parametrize(
    "bad", ["station_name = [", "cameras = 3", "station_name = ''", "\xff\xfe"]
)
def test_corrupt_file_boots_from_last_known_good(store, bad, caplog):
    good = StationSettings(station_name="field-3")
    store.write(cfg.dumps(good))
    store.path.write_bytes(bad.encode("latin-1"))
    svc, events = service(store)
    with caplog.at_level(logging.ERROR, logger="eyepi"):
        assert svc.load() == good
    assert "last-known-good" in svc.problem()
    assert [type(e) for e in events] == [SettingsRecovered]
    assert len([r for r in caplog.records if getattr(r, "event", "") == "settings_recovered"]) == 1
    moved = list(store.path.parent.glob("station.toml.bad-*"))
    assert len(moved) == 1 and moved[0].read_bytes() == bad.encode("latin-1")
    assert not store.path.exists()


def test_corrupt_file_without_a_good_copy_uses_defaults(store):
    store.path.write_text("nonsense = = =")
    svc, _ = service(store)
    assert svc.load() == StationSettings()
    assert "defaults" in svc.problem()


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
