"""Every validator of names, ids, patterns and addresses matches the whole value: a trailing
line break, an embedded one, a carriage return, NUL, a tab or any other control or invisible
character is refused, with the field named on one printable line."""

import re
from pathlib import Path

from eyepi_gui import settings as cfg
from eyepi_gui.domain.access import Origin
from eyepi_gui.domain.network_rules import check_ssid
from eyepi_gui.errors import InvalidInput
from eyepi_gui.settings import StationSettings
from remote.models import CaptureFilter, DeviceSettingChange
from remote.openapi import parse
from tests.services.conftest import PASSWORDS

CONTROLS = ["\n", "\r", "\r\n", "\x00", "\t", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"]
INVISIBLE = ["\u2028", "\u2029", "\u200b", "\u202e", "\ufeff"]


def variants(good):
    """``good`` spoiled by each character at its end, inside it and at its start."""
    for char in CONTROLS + INVISIBLE:
        yield good + char
        yield good[:1] + char + good[1:]
        yield char + good


def station(**data):
    return lambda value: cfg.parse_station(data_with(data, value))


def data_with(data, value):
    """``data`` with every "<v>" (in keys and values, at any depth) replaced by ``value``."""
    if isinstance(data, dict):
        return {data_with(k, value): data_with(v, value) for k, v in data.items()}
    if isinstance(data, list):
        return [data_with(item, value) for item in data]
    return value if data == "<v>" else data


SETTINGS = [
    ("camera id", "cam", station(cameras={"<v>": {"name": "x"}})),
    ("network camera id", "gate", station(network_cameras={"<v>": {"url": "rtsp://h/a"}})),
    ("network camera url", "rtsp://192.0.2.5/live", station(network_cameras={"g": {"url": "<v>"}})),
    ("camera name", "Left", station(cameras={"c": {"name": "<v>"}})),
    ("window", "05:00-22:00", station(cameras={"c": {"name": "x", "window": "<v>"}})),
    ("always window", "always", station(cameras={"c": {"name": "x", "window": "<v>"}})),
    ("resolution", "640x480", station(cameras={"c": {"name": "x", "resolution": "<v>"}})),
    (
        "file name pattern",
        "{name}_{timestamp}",
        station(cameras={"c": {"name": "x", "filename": "<v>"}}),
    ),
    (
        "locked at",
        "2026-01-01T09:00:00",
        station(
            cameras={
                "c": {
                    "name": "x",
                    "focus_lock": {"reference": 1.0, "roi": [0, 0, 1, 1], "locked_at": "<v>"},
                }
            }
        ),
    ),
    ("station name", "field-7", station(station_name="<v>")),
    ("timezone", "UTC", station(timezone="<v>")),
    ("bind address", "127.0.0.1", station(remote={"bind": "<v>"})),
    ("bind address with a scope", "fe80::1%eth0", station(remote={"bind": "<v>"})),
    ("hotspot ssid", "Lab AP", station(network={"hotspot_ssid": "<v>"})),
    ("remote name", "farm.example.org", station(remote={"names": ["<v>"]})),
    ("remote name with a port", "[fd00::7]:8443", station(remote={"names": ["<v>"]})),
    (
        "certificate",
        "/etc/eyepi/cert.pem",
        station(remote={"certificate": "<v>", "private_key": "/k"}),
    ),
    (
        "private key",
        "/etc/eyepi/key.pem",
        station(remote={"certificate": "/c", "private_key": "<v>"}),
    ),
]
"""(what, a good value, how to submit a value, the field it is named as: "<v>" is the value)."""

FIELDS = {
    "camera id": "cameras.<v>",
    "network camera id": "network_cameras.<v>",
    "network camera url": "network_cameras.g.url",
    "camera name": "cameras.c.name",
    "window": "cameras.c.window",
    "always window": "cameras.c.window",
    "resolution": "cameras.c.resolution",
    "file name pattern": "cameras.c.filename",
    "locked at": "cameras.c.focus_lock.locked_at",
    "station name": "station_name",
    "timezone": "timezone",
    "bind address": "remote.bind",
    "bind address with a scope": "remote.bind",
    "hotspot ssid": "network.hotspot_ssid",
    "wifi ssid": "ssid",
    "hostname": "hostname",
    "remote name": "remote.names",
    "remote name with a port": "remote.names",
    "certificate": "remote.certificate",
    "private key": "remote.private_key",
    "camera id of a change": "camera_id",
    "capture filter camera": "camera",
    "device setting value": "value",
    "username": "username",
    "token name": "name",
}


def others(services, admin):
    """Validators behind the services and the API's models."""
    return [
        ("camera id of a change", "cam", lambda v: cfg.with_camera(StationSettings(), v, {})),
        ("capture filter camera", "sim-1", lambda v: parse(CaptureFilter, {"camera": v})),
        ("device setting value", "1/125", lambda v: parse(DeviceSettingChange, {"value": v})),
        (
            "username",
            "bob",
            lambda v: services.users.add_user(admin, v, PASSWORDS["ada"], "viewer"),
        ),
        ("token name", "backup script", lambda v: services.tokens.create(admin, v)),
        ("wifi ssid", "Lab AP", check_ssid),
        ("hostname", "field-7", lambda v: services.network.set_hostname(admin, v)),
    ]


def test_every_identifier_validator_refuses_control_and_invisible_characters(accounts_station):
    services = accounts_station.services
    admin = services.login.login(Origin.KIOSK, "ada", PASSWORDS["ada"])
    validators = [item[:3] for item in SETTINGS] + others(services, admin)
    assert set(FIELDS) == {what for what, _, _ in validators}
    wrong = []
    for what, good, submit in validators:
        submit(good)  # the good value passes: the refusals below are about the characters
        for value in variants(good):
            expected = FIELDS[what].replace("<v>", cfg.dotted(value))
            try:
                submit(value)
            except InvalidInput as err:
                if err.field != expected or not (err.field + err.reason).isprintable():
                    wrong.append(f"{what} {value!r}: named {err.field!r}: {err.reason!r}")
            else:
                wrong.append(f"{what} {value!r}: accepted")
    assert not wrong, "\n".join(wrong)


def test_no_pattern_in_the_package_matches_only_a_prefix():
    """``re.match`` with ``$`` lets "cam\\n" through; full matches only (``fullmatch``)."""
    root = Path(__file__).resolve().parents[2]
    sources = [*(root / "eyepi_gui").rglob("*.py"), *(root / "remote").rglob("*.py")]
    prefix_only = re.compile(r"\.match\(|re\.compile\(r?[\"'][^\"']*\$[\"']")
    found = [str(p.relative_to(root)) for p in sources if prefix_only.search(p.read_text())]
    assert len(sources) > 50 and found == []
