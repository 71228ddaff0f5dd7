"""Settings validation: accepted values round-trip through station.toml; rejected name the field."""

import zoneinfo
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eyepi_gui import settings as cfg
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import CameraSettings, StationSettings

hhmm = st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
windows = st.one_of(
    st.just("always"), st.tuples(hhmm, hhmm).filter(lambda w: w[0] != w[1]).map("-".join)
)
labels = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn", "Zs", "Cf")),
    min_size=1,
    max_size=40,
)
cameras = st.builds(
    CameraSettings,
    name=labels,
    enabled=st.booleans(),
    interval_s=st.floats(0.5, 86400, allow_nan=False),
    window=windows,
    formats=st.sampled_from([("jpg",), ("png",), ("jpg", "png"), ("png", "jpg")]),
    resolution=st.builds("{}x{}".format, st.integers(16, 8192), st.integers(16, 8192)),
    jpeg_quality=st.integers(1, 100),
    keep=st.sampled_from(["all", "latest"]),
    filename=st.sampled_from(
        ["{name}_{timestamp}", "{station}-{camera}_{timestamp}", "x.{date}.{timestamp}"]
    ),
)
camera_ids = st.from_regex(r"\A[a-z0-9][a-z0-9_-]{0,20}\Z")
stations = st.builds(
    StationSettings,
    station_name=labels,
    timezone=st.sampled_from(["", "UTC", "Australia/Canberra", "America/Argentina/Buenos_Aires"]),
    free_space_floor_mib=st.integers(0, 10_000_000),
    capture_timeout_s=st.floats(1, 600, allow_nan=False),
    cameras=st.dictionaries(camera_ids, cameras, max_size=3),
)


@settings(max_examples=150)
@given(stations)
def test_accepted_settings_round_trip_through_toml_unchanged(station):
    text = cfg.dumps(station)
    assert cfg.loads(text) == station
    assert cfg.dumps(cfg.loads(text)) == text


BAD_CAMERA_VALUES = [
    ("name", ""),
    ("name", "x" * 41),
    ("name", " padded"),
    ("name", "line\nbreak"),
    ("name", "nul\x00"),
    ("enabled", "perhaps"),
    ("interval_s", 0),
    ("interval_s", 0.49),
    ("interval_s", 86401),
    ("interval_s", "fast"),
    ("interval_s", float("nan")),
    ("window", "25:00-03:00"),
    ("window", "05:00-05:00"),
    ("window", "9-17"),
    ("formats", []),
    ("formats", ["gif"]),
    ("formats", ["jpg", "jpg"]),
    ("resolution", "1920*1080"),
    ("resolution", "8x8"),
    ("resolution", "99999x100"),
    ("resolution", "-1x100"),
    ("jpeg_quality", 0),
    ("jpeg_quality", 101),
    ("keep", "some"),
    ("filename", "{name}"),
    ("filename", "{__import__}_{timestamp}"),
    ("filename", "../../etc/{timestamp}"),
    ("colour", "red"),
]


@pytest.mark.parametrize(("field", "value"), BAD_CAMERA_VALUES)
def test_rejected_camera_values_name_the_field(field, value):
    base = StationSettings()
    with pytest.raises(InvalidInput) as err:
        cfg.with_camera(base, "sim-1", {field: value})
    assert err.value.field == f"cameras.sim-1.{field}"
    assert err.value.reason


@given(st.floats(allow_nan=True) | st.integers() | st.text(max_size=10))
def test_any_interval_is_accepted_or_named(value):
    try:
        result = cfg.with_camera(StationSettings(), "cam", {"interval_s": value})
    except InvalidInput as err:
        assert err.field == "cameras.cam.interval_s"
    else:
        assert 0.5 <= result.cameras["cam"].interval_s <= 86400


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"station_name": ""}, "station_name"),
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"timezone": "../../etc/passwd"}, "timezone"),
        ({"free_space_floor_mib": -1}, "free_space_floor_mib"),
        ({"capture_timeout_s": 0}, "capture_timeout_s"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_rejected_station_values_name_the_field(changes, field):
    with pytest.raises(InvalidInput) as err:
        cfg.with_station(StationSettings(), changes)
    assert err.value.field == field


@pytest.mark.parametrize("camera_id", ["Sim 1", "../x", "", "-a", "a" * 65])
def test_bad_camera_ids_are_rejected(camera_id):
    with pytest.raises(InvalidInput, match="camera ids"):
        cfg.with_camera(StationSettings(), camera_id, {})
    with pytest.raises(InvalidInput, match="camera ids"):
        cfg.loads(f'[cameras."{camera_id}"]\nname = "x"\n')


def test_bad_toml_is_named():
    with pytest.raises(InvalidInput) as err:
        cfg.loads("station_name = [unclosed")
    assert err.value.field == "station.toml"


def test_several_problems_are_all_reported():
    with pytest.raises(InvalidInput) as err:
        cfg.with_camera(StationSettings(), "cam", {"interval_s": 0, "jpeg_quality": 500})
    assert set(err.value.problems) == {"cameras.cam.interval_s", "cameras.cam.jpeg_quality"}


def test_unknown_camera_gets_defaults_named_after_its_id():
    assert StationSettings().camera("sim-2") == CameraSettings(name="sim-2")


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://cam.local/stream", "rtsp://"),
        ("rtsp://", "at least 8"),
        ("http:///path", "followed by a host"),
        ("rtsp://cam.local/live stream", "spaces"),
        ("rtsp://cam.local/\u202elive", "control characters"),
    ],
)
def test_bad_network_camera_urls_are_refused_naming_the_field(url, says):
    with pytest.raises(InvalidInput) as refused:
        cfg.loads(f'[network_cameras.gate]\nurl = "{url}"\n')
    assert refused.value.field == "network_cameras.gate.url" and says in refused.value.reason


def test_network_cameras_round_trip_and_ids_are_checked():
    text = '[network_cameras.gate]\nurl = "rtsp://user:secret@192.0.2.5:554/live"\n'
    station = cfg.loads(text)
    assert cfg.loads(cfg.dumps(station)) == station
    with pytest.raises(InvalidInput) as refused:
        cfg.loads('[network_cameras.Gate]\nurl = "rtsp://192.0.2.5/live"\n')
    assert refused.value.field == "network_cameras.Gate"


def test_a_section_change_keeps_the_keys_it_does_not_name():
    start = cfg.with_station(StationSettings(), {"remote": {"port": 8443, "tls": True}})
    changed = cfg.with_station(start, {"remote": {"stream_fps": 5}})
    assert (changed.remote.port, changed.remote.tls, changed.remote.stream_fps) == (8443, True, 5)
    with pytest.raises(InvalidInput) as refused:
        cfg.with_station(start, {"remote": {"port": 70000}})
    assert refused.value.field == "remote.port"


@pytest.mark.parametrize(
    "zone", ["localtime", "posixrules", "Factory", "posix/UTC", "right/UTC", "utc", "Etc/../UTC"]
)
def test_a_timezone_must_be_a_zone_of_the_tz_database_that_keeps_local_time(zone):
    with pytest.raises(InvalidInput) as refused:
        cfg.with_station(StationSettings(), {"timezone": zone})
    assert refused.value.field == "timezone"
    with pytest.raises(InvalidInput) as refused:
        cfg.loads(f'timezone = "{zone}"\n')
    assert refused.value.field == "timezone"


def tz_database_names():
    """Zone and link names of the tz database's own source (tzdata.zi), where installed."""
    for folder in zoneinfo.TZPATH:
        source = Path(folder) / "tzdata.zi"
        if source.exists():
            lines = [line.split() for line in source.read_text().splitlines()]
            return {p[1] for p in lines if p[:1] == ["Z"]} | {p[2] for p in lines if p[:1] == ["L"]}
    return None


def test_every_zone_of_the_tz_database_is_taken_but_factory():
    taken = set()
    for zone in zoneinfo.available_timezones():
        try:
            cfg.with_station(StationSettings(), {"timezone": zone})
        except InvalidInput:
            continue
        taken.add(zone)
    assert {"UTC", "Etc/GMT+5", "America/Argentina/Buenos_Aires", "America/Port-au-Prince"} <= taken
    assert not {"localtime", "posixrules", "Factory"} & taken
    names = tz_database_names()
    if names is not None:
        assert taken == (names & zoneinfo.available_timezones()) - {"Factory"}
