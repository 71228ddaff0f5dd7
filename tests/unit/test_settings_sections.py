"""station.toml read section by section: a bad part costs only itself, and the remote
endpoint and the kiosk's lock never end up more open than the file may have asked for."""

import tomllib

import pytest
import tomli_w

from eyepi_gui import settings as cfg
from eyepi_gui.domain.camera import CameraInfo
from eyepi_gui.settings import CameraSettings, RemoteSettings, SecuritySettings, StationSettings
from eyepi_gui.settings import remote as remote_section
from eyepi_gui.settings import security as security_section
from eyepi_gui.settings.limits import deliverable, fit_resolution, limit_problems
from eyepi_gui.settings.sections import NOT_WRITTEN

LAST_GOOD = StationSettings(
    station_name="last-good",
    capture_timeout_s=30,
    security=SecuritySettings(bcrypt_cost=14, auto_lock_s=0, viewer_when_locked=True),
    remote=RemoteSettings(port=8443, max_stream_clients=20, session_idle_s=600, reauth_s=3000),
    network_cameras={"gate": cfg.NetworkCameraSettings(url="rtsp://192.0.2.5/good")},
    cameras={"left": CameraSettings(name="Left", interval_s=60)},
)


def read(text, fallback=LAST_GOOD):
    return cfg.read_station(tomllib.loads(text), fallback)


def fields(loaded, kept=False):
    """The fields named by problems; those left out and kept from the last good copy only
    with ``kept``."""
    return {
        key
        for problem in loaded.problems
        for key, reason in problem.reasons.items()
        if kept or reason != NOT_WRITTEN
    }


def instead(loaded):
    """What runs instead of each problem part, besides the guarded sections' kept keys."""
    return [p.instead for p in loaded.problems if p.section not in ("remote", "security")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a bad key takes its closed value; the keys written well stay as written
        ('[remote]\nenabled = "no"\nbind = "0.0.0.0"', {"enabled": False}),
        ('[remote]\nbind = "localhost"', {"enabled": True, "bind": "127.0.0.1"}),
        ('[remote]\nbind = "0.0.0.0"\ntls = "yes"', {"bind": "0.0.0.0", "tls": True}),
        ('[remote]\nport = 99999\nbind = "192.0.2.1"', {"port": 8443, "bind": "192.0.2.1"}),
        ("[remote]\nmax_stream_clients = 0", {"max_stream_clients": 8}),
        ("[remote]\nsession_idle_s = 1", {"session_idle_s": 600}),
        ("[remote]\nreauth_s = true", {"reauth_s": 300}),
        ('[remote]\ntls = true\ncertificate = "/c.pem"', {"certificate": "", "private_key": ""}),
        # an unknown key may be a misspelt one: every key not written well closes
        ("[remote]\nenable = false", {"enabled": False, "bind": "127.0.0.1", "tls": True}),
        ('[remote]\nenabled = true\nbind = "0.0.0.0"\nfoo = 1', {"enabled": True, "tls": True}),
        ("[remote]\nenabled = true\nfoo = 1", {"enabled": True, "bind": "127.0.0.1"}),
        # a section that is no table, or a misspelt one, closes it all
        ("remote = 3", {"enabled": False, "bind": "127.0.0.1"}),
        ("[remot]\nenabled = false", {"enabled": False, "bind": "127.0.0.1"}),
        ("[Remote]\nenabled = false", {"enabled": False, "bind": "127.0.0.1"}),
    ],
)
def test_a_remote_section_not_written_clearly_falls_back_closed(text, expected):
    loaded = read(text)
    remote = loaded.settings.remote
    assert {key: getattr(remote, key) for key in expected} == expected
    (said,) = [p.instead for p in loaded.problems if p.section == "remote"]
    assert said.startswith("[remote] runs with")


def test_without_a_last_good_copy_the_defaults_are_the_other_side():
    remote = read("[remote]\nmax_body_kib = 1\nport = -1", StationSettings()).settings.remote
    assert (remote.max_body_kib, remote.port, remote.bind) == (64, 8080, "0.0.0.0")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[security]\nbcrypt_cost = 9", {"bcrypt_cost": 14}),
        ("[security]\nauto_lock_s = 5", {"auto_lock_s": 300}),  # last good 0 never counts
        ('[security]\nviewer_when_locked = "yes"', {"viewer_when_locked": False}),
        ("[security]\nauto_lok_s = 0", {"auto_lock_s": 300, "viewer_when_locked": False}),
        ("[security]\nauto_lock_s = 60\nbcrypt_cost = 99", {"auto_lock_s": 60}),
    ],
)
def test_a_security_section_not_written_clearly_falls_back_stronger(text, expected):
    security = read(text).settings.security
    assert {key: getattr(security, key) for key in expected} == expected


def test_the_rest_of_a_file_is_used_when_one_camera_is_bad():
    loaded = read(
        'station_name = "field-9"\n[cameras.left]\nname = "L"\nwindow = "05:00-24:00"\n'
        '[cameras.right]\nname = "R"\n[cameras.new]\nname = "N"\ninterval_s = 0\n'
        '[remote]\nenabled = false\nbind = "127.0.0.1"\n'
    )
    station = loaded.settings
    assert station.station_name == "field-9" and station.cameras["right"].name == "R"
    assert station.cameras["left"] == LAST_GOOD.cameras["left"]
    assert station.cameras["new"] == CameraSettings(name="new")
    assert (station.remote.enabled, station.remote.bind) == (False, "127.0.0.1")
    assert fields(loaded) == {"cameras.left.window", "cameras.new.interval_s"}
    assert instead(loaded) == [
        "camera left runs on its last good settings",
        "camera new runs on defaults",
    ]


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("capture_timeout_s = 0", "capture_timeout_s", 30),
        ('station_name = "two\\nlines"', "station_name", "last-good"),
        ('timezone = "Mars/Olympus"', "timezone", ""),
    ],
)
def test_a_bad_station_wide_value_takes_its_last_good_value(text, field, value):
    loaded = read(text + '\nfree_space_floor_mib = 900\n[cameras.right]\nname = "R"')
    assert getattr(loaded.settings, field) == value
    assert loaded.settings.free_space_floor_mib == 900 and "right" in loaded.settings.cameras
    assert fields(loaded) == {field}


def test_bad_network_cameras_use_their_last_good_url_or_are_left_out():
    loaded = read(
        '[network_cameras.gate]\nurl = "ftp://x"\n[network_cameras.yard]\nurl = "ftp://y"\n'
        '[network_cameras."Gate 2"]\nurl = "rtsp://192.0.2.7/a"\n'
    )
    assert loaded.settings.network_cameras == LAST_GOOD.network_cameras
    assert fields(loaded) == {
        "network_cameras.gate.url",
        "network_cameras.yard.url",
        'network_cameras."Gate 2"',
    }


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("cameras = 3", "cameras"),
        ("[cameras]\nleft = 3", "cameras.left"),
        ("preview = 3", "preview"),
        ("[preview]\nmax_fps = 99", "preview.max_fps"),
        ("colour = 'red'", "colour"),
    ],
)
def test_other_shapes_are_problems_named_by_their_path(text, field):
    loaded = read(text)
    assert field in fields(loaded)
    assert loaded.settings.cameras == LAST_GOOD.cameras or "cameras" not in text


def test_strict_loads_names_every_problem_at_once():
    with pytest.raises(cfg.InvalidInput) as refused:
        cfg.loads('timezone = "x"\n[remote]\nport = -1\n[cameras.a]\nname = ""\n')
    assert set(refused.value.problems) == {"timezone", "remote.port", "cameras.a.name"}


WEBCAM = CameraInfo("cam", "opencv", "Webcam", (1280, 720), formats=("jpg",))


@pytest.mark.parametrize(
    ("resolution", "formats", "problems", "runs"),
    [
        ("1280x720", ("jpg",), set(), ("1280x720", ("jpg",))),
        ("1920x1080", ("jpg",), set(), ("1280x720", ("jpg",))),  # the default: fitted
        ("2560x1920", ("jpg", "png"), {"resolution", "formats"}, ("960x720", ("jpg",))),
        ("640x480", ("png",), {"formats"}, ("640x480", ("jpg",))),
    ],
)
def test_a_section_is_checked_and_fitted_to_what_the_camera_delivers(
    resolution, formats, problems, runs
):
    section = CameraSettings(name="x", resolution=resolution, formats=formats)
    assert set(limit_problems(section, WEBCAM)) == problems
    fitted = deliverable(section, WEBCAM)
    assert (fitted.resolution, fitted.formats) == runs
    assert not limit_problems(fitted, WEBCAM)


def test_fitting_keeps_the_shape_and_never_goes_below_16_px():
    assert fit_resolution((8000, 6000), (4056, 3040)) == "4053x3040"
    assert fit_resolution((8192, 16), (4056, 3040)) == "4056x16"
    assert fit_resolution((640, 480), (4056, 3040)) == "640x480"


def test_an_unknown_key_is_named_with_the_keys_its_section_knows():
    with pytest.raises(cfg.InvalidInput) as refused:
        cfg.loads('[cameras.a]\nname = "A"\nintervall_s = 60\n')
    assert refused.value.field == "cameras.a.intervall_s"
    assert refused.value.reason.startswith("unknown setting (check its spelling); known here: ")
    assert "interval_s" in refused.value.reason


def test_an_unknown_table_unlike_remote_or_security_closes_nothing():
    loaded = read('[camera.left]\nname = "L"\n')
    assert loaded.settings.remote == LAST_GOOD.remote
    assert loaded.settings.security == LAST_GOOD.security
    assert fields(loaded) == {"camera"}
    assert read('[camera.left]\nname = "L"\n', StationSettings()).settings == StationSettings()


NOT_DEFAULT = {
    "remote": {
        "enabled": False,
        "bind": "192.0.2.1",
        "port": 8443,
        "tls": True,
        "certificate": "/etc/eyepi/cert.pem",
        "private_key": "/etc/eyepi/key.pem",
        "stream_fps": 5.0,
        "max_stream_clients": 2,
        "session_idle_s": 600,
        "reauth_s": 60,
        "max_body_kib": 32,
        "names": ("farm.example.org",),
    },
    "security": {"bcrypt_cost": 14, "auto_lock_s": 60, "viewer_when_locked": True},
}
"""A valid value other than the default for every key of the guarded sections."""
GUARDED = {"remote": RemoteSettings, "security": SecuritySettings}
PAIRED = {"certificate": "private_key", "private_key": "certificate"}


def guarded_keys():
    return [
        pytest.param(section, key, id=f"{section}.{key}")
        for section, values in NOT_DEFAULT.items()
        for key in values
    ]


def test_every_guarded_key_has_a_value_other_than_its_default():
    for section, model in GUARDED.items():
        assert set(NOT_DEFAULT[section]) == set(model.model_fields), section
        assert all(getattr(model(), k) != v for k, v in NOT_DEFAULT[section].items())


def last_good_with(section, key):
    """Last good settings with ``key`` (and the key it goes with) on its other value."""
    keys = {key, PAIRED.get(key, key)}
    values = {k: NOT_DEFAULT[section][k] for k in keys}
    return StationSettings(**{section: GUARDED[section](**values)}), keys


@pytest.mark.parametrize(("section", "key"), guarded_keys())
def test_a_guarded_key_the_file_leaves_out_keeps_its_last_good_value(section, key):
    last_good, keys = last_good_with(section, key)
    for text in ("", f"[{section}]\n", '[cameras.a]\nname = "A"\n', "[preview]\nmax_fps = 5\n"):
        loaded = read(text, last_good)
        assert getattr(loaded.settings, section) == getattr(last_good, section), text
        reasons = {k: why for p in loaded.problems for k, why in p.reasons.items()}
        assert reasons == {f"{section}.{k}": NOT_WRITTEN for k in keys}, text


@pytest.mark.parametrize(("section", "key"), guarded_keys())
def test_a_guarded_key_the_file_writes_is_used_as_written(section, key):
    last_good, keys = last_good_with(section, key)
    default = GUARDED[section]()
    text = tomli_w.dumps({section: {k: getattr(default, k) for k in keys}})
    loaded = read(text, last_good)
    assert getattr(loaded.settings, section) == default and not loaded.problems


@pytest.mark.parametrize(("section", "key"), guarded_keys())
def test_a_file_that_cannot_be_parsed_closes_each_guarded_key_over_its_last_good_value(
    section, key
):
    last_good, _ = last_good_with(section, key)
    model, closed = (
        GUARDED[section],
        {"remote": remote_section.CLOSED, "security": security_section.CLOSED},
    )
    running = getattr(cfg.fail_closed(last_good), section)
    for k in model.model_fields:
        expected = closed[section][k](getattr(getattr(last_good, section), k), getattr(model(), k))
        assert getattr(running, k) == expected, k
    assert cfg.fail_closed(last_good).cameras == last_good.cameras


def test_the_closed_combination_never_opens_the_endpoint_nor_the_kiosk():
    opened = StationSettings(
        remote=RemoteSettings(enabled=True, bind="0.0.0.0", tls=False, names=("a.example",)),
        security=SecuritySettings(auto_lock_s=0, viewer_when_locked=True, bcrypt_cost=10),
    )
    closed = cfg.fail_closed(opened)
    assert (closed.remote.enabled, closed.remote.bind, closed.remote.tls) == (
        False,
        "127.0.0.1",
        True,
    )
    assert closed.remote.names == () and closed.security.auto_lock_s == 300
    assert (closed.security.viewer_when_locked, closed.security.bcrypt_cost) == (False, 12)
    assert cfg.fail_closed(StationSettings()) == cfg.SAFE_DEFAULTS
