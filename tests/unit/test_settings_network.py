"""The [network] section of station.toml: its defaults, every rejected value named by its
dotted path, a round trip through TOML, and a bad section that costs only itself."""

import tomllib

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import NetworkSettings, StationSettings

LAST_GOOD = StationSettings(
    network=NetworkSettings(hotspot_fallback=False, hotspot_after_s=900, confirm_timeout_s=120)
)


def test_the_defaults():
    network = StationSettings().network
    assert network == NetworkSettings()
    assert (network.hotspot_fallback, network.hotspot_after_s) == (True, 300)
    assert (network.confirm_timeout_s, network.hotspot_ssid) == (60, None)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"hotspot_after_s": 60}, {"hotspot_after_s": 60}),
        ({"hotspot_after_s": 3600}, {"hotspot_after_s": 3600}),
        ({"confirm_timeout_s": 15}, {"confirm_timeout_s": 15}),
        ({"confirm_timeout_s": 600}, {"confirm_timeout_s": 600}),
        ({"hotspot_fallback": False}, {"hotspot_fallback": False}),
        ({"hotspot_ssid": "eyepi-field-9"}, {"hotspot_ssid": "eyepi-field-9"}),
        ({"hotspot_ssid": "🌱" * 8}, {"hotspot_ssid": "🌱" * 8}),  # 32 bytes
        ({"hotspot_ssid": "--help"}, {"hotspot_ssid": "--help"}),
    ],
)
def test_values_at_the_limits_are_taken(values, expected):
    network = cfg.with_station(StationSettings(), {"network": values}).network
    assert {key: getattr(network, key) for key in expected} == expected


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("hotspot_fallback", "yes", "true or false"),
        ("hotspot_fallback", 1, "true or false"),
        ("hotspot_after_s", 59, "from 60 to 3600 (seconds)"),
        ("hotspot_after_s", 3601, "from 60 to 3600"),
        ("hotspot_after_s", 300.5, "a whole number"),
        ("hotspot_after_s", "300", "written without quotes"),
        ("confirm_timeout_s", 14, "from 15 to 600 (seconds)"),
        ("confirm_timeout_s", 601, "from 15 to 600"),
        ("confirm_timeout_s", True, "not true or false"),
        ("hotspot_ssid", "", "must not be empty"),
        ("hotspot_ssid", "x" * 33, "at most 32 bytes"),
        ("hotspot_ssid", "é" * 17, "at most 32 bytes"),
        ("hotspot_ssid", "eyepi\0", "NUL"),
        ("hotspot_ssid", 5, "must be text"),
        ("hotspot_sid", "typo", "unknown setting"),
    ],
)
def test_a_rejected_value_is_named_by_its_path(key, value, says):
    with pytest.raises(InvalidInput) as refused:
        cfg.with_station(StationSettings(), {"network": {key: value}})
    assert refused.value.field == f"network.{key}" and says in refused.value.reason


def test_the_section_round_trips_through_toml():
    station = cfg.with_station(
        StationSettings(),
        {"network": {"hotspot_ssid": "Feld 9 🌱", "hotspot_after_s": 120, "confirm_timeout_s": 30}},
    )
    text = cfg.dumps(station)
    assert "[network]" in text
    assert cfg.loads(text) == station
    assert cfg.loads(cfg.dumps(StationSettings())).network.hotspot_ssid is None


def test_a_strict_load_names_the_bad_key():
    with pytest.raises(InvalidInput) as refused:
        cfg.loads("[network]\nhotspot_after_s = 10\n")
    assert refused.value.field == "network.hotspot_after_s"


def read(text, fallback=LAST_GOOD):
    return cfg.read_station(tomllib.loads(text), fallback)


@pytest.mark.parametrize(
    "text",
    [
        "[network]\nconfirm_timeout_s = 5\nhotspot_after_s = 60",
        '[network]\nhotspot_ssid = ""',
        "[network]\nhotspot_fallback = 1",
        "[network]\nhotspot_aftr_s = 60",
        "network = 3",
    ],
)
def test_a_bad_section_runs_on_its_last_good_values_and_costs_only_itself(text):
    loaded = read(text + '\n[cameras.left]\nname = "Left"\n')
    assert loaded.settings.network == LAST_GOOD.network
    assert loaded.settings.cameras["left"].name == "Left"
    (problem,) = loaded.problems
    assert problem.section == "network" and all(k.startswith("network") for k in problem.reasons)
    assert problem.instead == "[network] runs on its last good values, else defaults"


def test_without_a_last_good_copy_a_bad_section_runs_on_defaults():
    loaded = read("[network]\nhotspot_after_s = 1", StationSettings())
    assert loaded.settings.network == NetworkSettings()


def test_a_section_change_keeps_the_keys_it_does_not_name():
    start = cfg.with_station(StationSettings(), {"network": {"hotspot_after_s": 900}})
    changed = cfg.with_station(start, {"network": {"confirm_timeout_s": 30}})
    assert (changed.network.hotspot_after_s, changed.network.confirm_timeout_s) == (900, 30)
