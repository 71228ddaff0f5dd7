"""The [retention] section of station.toml: off by default, every rejected value named by
its dotted path, keep_free_mib checked against the free-space floor, a round trip through
TOML, and a bad section that costs only itself (retention off unless its last good values
still fit)."""

import tomllib

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import StationSettings
from eyepi_gui.settings.retention import RetentionSettings

ON = {"enabled": True, "keep_free_mib": 1000, "min_age_days": 3}
LAST_GOOD = StationSettings(retention=RetentionSettings(**ON))


def test_off_by_default():
    retention = StationSettings().retention
    assert retention == RetentionSettings()
    assert retention.enabled is False
    assert retention.min_age_days == 7
    assert retention.keep_free_mib > StationSettings().free_space_floor_mib


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"enabled": True, "keep_free_mib": 501}, {"keep_free_mib": 501}),
        ({"min_age_days": 0}, {"min_age_days": 0}),
        ({"min_age_days": 3650}, {"min_age_days": 3650}),
        ({"keep_free_mib": 10_000_000}, {"keep_free_mib": 10_000_000}),
        ({"enabled": False, "keep_free_mib": 1}, {"keep_free_mib": 1}),  # off: not checked
    ],
)
def test_values_at_the_limits_are_taken(values, expected):
    retention = cfg.with_station(StationSettings(), {"retention": values}).retention
    assert {key: getattr(retention, key) for key in expected} == expected


@pytest.mark.parametrize(
    ("key", "value", "says"),
    [
        ("enabled", "yes", "true or false"),
        ("enabled", 1, "true or false"),
        ("keep_free_mib", 0, "from 1 to 10000000 (MiB)"),
        ("keep_free_mib", 2048.5, "a whole number"),
        ("keep_free_mib", "2048", "written without quotes"),
        ("keep_free_mib", True, "not true or false"),
        ("min_age_days", -1, "from 0 to 3650 (days)"),
        ("min_age_days", 3651, "from 0 to 3650"),
        ("min_age_days", 1.5, "a whole number"),
        ("min_age_days", None, "a whole number"),
        ("keep_free", 10, "unknown setting"),
    ],
)
def test_a_rejected_value_is_named_by_its_path(key, value, says):
    with pytest.raises(InvalidInput) as refused:
        cfg.with_station(StationSettings(), {"retention": {key: value}})
    assert refused.value.field == f"retention.{key}" and says in refused.value.reason


@pytest.mark.parametrize("keep_free", [500, 499, 1])
def test_keeping_no_more_than_the_floor_free_is_refused_naming_keep_free(keep_free):
    with pytest.raises(InvalidInput) as refused:
        cfg.with_station(
            StationSettings(), {"retention": {"enabled": True, "keep_free_mib": keep_free}}
        )
    assert refused.value.field == "retention.keep_free_mib"
    assert "must be above free_space_floor_mib (500 MiB)" in refused.value.reason


def test_raising_the_floor_to_what_retention_keeps_is_refused_naming_keep_free():
    on = cfg.with_station(StationSettings(), {"retention": ON})
    with pytest.raises(InvalidInput) as refused:
        cfg.with_station(on, {"free_space_floor_mib": 1000})
    assert refused.value.field == "retention.keep_free_mib"
    assert "(1000 MiB)" in refused.value.reason
    both = cfg.with_station(
        on, {"free_space_floor_mib": 1000, "retention": {"keep_free_mib": 1001}}
    )
    assert (both.free_space_floor_mib, both.retention.keep_free_mib) == (1000, 1001)


def test_the_section_round_trips_through_toml():
    station = cfg.with_station(StationSettings(), {"retention": ON})
    text = cfg.dumps(station)
    assert "[retention]" in text
    assert cfg.loads(text) == station


def read(text, fallback=LAST_GOOD):
    return cfg.read_station(tomllib.loads(text), fallback)


@pytest.mark.parametrize(
    "text",
    ["[retention]\nenabled = 1", "[retention]\nmin_age_days = -2", "retention = 3"],
)
def test_a_bad_section_runs_on_its_last_good_values_and_costs_only_itself(text):
    loaded = read(text + '\n[cameras.left]\nname = "Left"\n')
    assert loaded.settings.retention == LAST_GOOD.retention
    assert loaded.settings.cameras["left"].name == "Left"
    (problem,) = loaded.problems
    assert problem.section == "retention"


def test_a_file_keeping_too_little_free_runs_on_the_last_good_section():
    loaded = read("[retention]\nenabled = true\nkeep_free_mib = 400\n")
    assert loaded.settings.retention == LAST_GOOD.retention
    (problem,) = loaded.problems
    assert list(problem.reasons) == ["retention.keep_free_mib"]
    assert problem.instead == "[retention] runs on its last good values"


def test_when_the_last_good_section_does_not_fit_the_floor_either_retention_is_off():
    loaded = read(
        "free_space_floor_mib = 5000\n[retention]\nenabled = true\nkeep_free_mib = 4000\n"
    )
    assert loaded.settings.free_space_floor_mib == 5000
    assert loaded.settings.retention.enabled is False
    (problem,) = loaded.problems
    assert problem.instead == "retention is off"


def test_a_settings_object_made_in_code_is_checked_too():
    with pytest.raises(ValueError, match=r"retention\.keep_free_mib must be above"):
        StationSettings(free_space_floor_mib=3000, retention=RetentionSettings(**ON))
