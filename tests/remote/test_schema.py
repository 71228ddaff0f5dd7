"""Schemathesis against the OpenAPI document on a live server: no 5xx, no response outside
the schema.

One station (two sim cameras, real clock) is served by ``RemoteServer`` on a free port for the
whole module; the document is loaded from it over HTTP with ada's API token, and every
operation goes through schemathesis's examples, coverage and fuzzing phases (valid and invalid
data) with a bounded, derandomized number of examples. Real camera ids, capture
ids, device setting names and a token id are mixed into the generated path parameters (fuzz
dictionaries), and a list of known-good requests runs on top, so the answers behind real
resources are checked as well as the error answers. The MJPEG stream never ends, so it is
read separately. The network endpoints run on a FakeNetwork (``live_server``) with the
wired profile's UUID in the fuzz dictionaries; a change left waiting for confirmation is
undone after each test. ``EYEPI_FUZZ_EXAMPLES`` raises the number of examples for a longer
local run.

The API token cannot change users, tokens or the station (403 by design); camera settings
changes are real (station.toml of the module's home).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
from collections.abc import Iterator
from datetime import datetime

import jsonschema_rs
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation.feedback import FeedbackSources
from schemathesis.pytest._test_builder import build_operation_test
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

import remote.api
from eyepi_gui.domain.access import Origin, Principal, Role
from remote.api.registry import API
from tests.job_work import COUNT, counting, until_cancelled
from tests.remote.live_server import CAMERAS, LiveStation, live_station

DOCUMENT = "/api/v1/openapi.json"
STREAM = "/api/v1/cameras/{camera_id}/stream"
NETWORK = "/api/v1/network/"
NO_STICK = {"device": "/dev/sdz9", "not_exported": True}
"""An export to a drive that is not plugged in."""


def not_a_server_error_but_networkmanager(ctx, response, case):
    """``not_a_server_error``, except the network endpoints' documented 503: NetworkManager
    refused or failed (a network not in range, a wrong password) is no server error."""
    if case.path.startswith(NETWORK) and response.status_code == 503:
        assert response.json()["error"] == "CommandFailed", response.text
        return None
    return not_a_server_error(ctx, response, case)


CHECKS = [
    not_a_server_error_but_networkmanager,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]
EXAMPLES = int(os.environ.get("EYEPI_FUZZ_EXAMPLES", "100"))
TIMEOUT_S = 10.0
SEED = 20260601
_RULE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture(scope="module")
def live(tmp_path_factory) -> Iterator[LiveStation]:
    with live_station(tmp_path_factory.mktemp("schema") / "home") as station:
        services = station.services
        for camera_id in CAMERAS:  # a kept image per camera: captures and latest.jpg exist
            services.cameras.test_shot(station.admin, camera_id)
        yield station


@pytest.fixture(scope="module")
def spare_token(live) -> str:
    """A token of ada's that the fuzz run may revoke (never the one it authenticates with)."""
    info, _ = live.services.tokens.create(live.admin, "spare")
    return info.token_id


@pytest.fixture
def cameras_restored(live) -> Iterator[None]:
    """Puts both cameras' capture settings back after a test that may change them."""
    before = {camera_id: live.services.config.camera(camera_id) for camera_id in CAMERAS}
    yield
    for camera_id, settings_before in before.items():
        changes = settings_before.model_dump(exclude={"focus_lock"})
        live.services.config.update_camera(live.admin, camera_id, changes)


@pytest.fixture
def network_restored(live) -> Iterator[None]:
    """Undoes a network change a test left waiting for confirmation (the next one would be
    Busy)."""
    yield
    change = live.services.network.pending()
    if change is not None:
        live.services.network.revert(live.admin, change.change_id)


@pytest.fixture(scope="module")
def job_ids(live) -> list[str]:
    """A finished job and one that runs until cancelled (the fuzz run may cancel it)."""
    jobs = live.services.jobs
    done = jobs.start(live.admin, COUNT, "counted", counting(3))
    going = jobs.start(live.admin, COUNT, "going on", until_cancelled())
    return [done.job_id, going.job_id]


@pytest.fixture(scope="module")
def api_schema(live, spare_token, job_ids):
    record_ids = _record_ids(live)
    setting_names = [s.name for s in live.services.cameras.device_settings(CAMERAS[0])]
    config = schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "request-timeout": TIMEOUT_S,
            "generation": {"deterministic": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
            "dictionaries": {
                "cameras": {"values": list(CAMERAS)},
                "records": {"values": record_ids},
                "device_settings": {"values": setting_names},
                "users": {"values": ["ada", "otto", "vera"]},
                "tokens": {"values": [spare_token]},
                "profiles": {"values": [live.network.wired_uuid()]},
                "jobs": {"values": job_ids},
            },
            "parameters": {
                "path.camera_id": {"dictionary": "cameras", "probability": 0.5},
                "path.record_id": {"dictionary": "records", "probability": 0.5},
                "path.name": {"dictionary": "device_settings", "probability": 0.5},
                "path.username": {"dictionary": "users", "probability": 0.5},
                "path.token_id": {"dictionary": "tokens", "probability": 0.3},
                "path.uuid": {"dictionary": "profiles", "probability": 0.5},
                "path.job_id": {"dictionary": "jobs", "probability": 0.5},
            },
        }
    )
    return schemathesis.openapi.from_url(
        live.url + DOCUMENT, config=config, headers=live.auth, timeout=TIMEOUT_S
    )


def _record_ids(live: LiveStation) -> list[int]:
    response = requests.get(f"{live.url}/api/v1/captures", headers=live.auth, timeout=TIMEOUT_S)
    response.raise_for_status()
    return [record["id"] for record in response.json()]


def _operations() -> list[tuple[str, str]]:
    """(method, path) of every JSON API operation but the stream, known without a server (the
    registry the document is generated from; ``test_every_documented_operation_is_fuzzed``
    holds the served document to the same list)."""
    for module in pkgutil.iter_modules(remote.api.__path__, "remote.api."):
        importlib.import_module(module.name)  # each declares its operations on API
    return sorted({(op.method, op.path) for op in API.operations if op.path != STREAM})


OPERATIONS = _operations()
FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)


@pytest.mark.usefixtures("cameras_restored", "network_restored")
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_answers_within_its_schema(live, api_schema, method, path):
    """Schemathesis's examples, coverage (boundary and invalid values) and fuzzing phases,
    valid and invalid data: every answer is in the document and none is a 5xx."""

    def answers_within_schema(case):
        case.call_and_validate(headers=live.auth, checks=CHECKS, timeout=TIMEOUT_S)

    # What ``schemathesis.pytest.from_fixture(...).parametrize()`` builds for each operation.
    # That loader cannot run under pytest 9.2 (schemathesis 4.32 reads ``Function._nodeid``,
    # which pytest 9.2 removed: AttributeError), so the same builder is called here directly.
    build_operation_test(
        config=api_schema.config,
        operation=api_schema[path][method],
        test_func=answers_within_schema,
        explicit_settings=FUZZ_SETTINGS,
        given_kwargs={},
        feedback=FeedbackSources(),
    )()


def test_every_documented_operation_is_fuzzed(api_schema):
    documented = {
        (method.upper(), path)
        for path, operations in api_schema.raw_schema["paths"].items()
        for method in operations
    }
    assert sorted(documented - {("GET", STREAM)}) == OPERATIONS


LOG_FILTER = {  # switches as a query string spells them
    "levels": ["INFO", "WARNING"],
    "cameras": ["sim-1", "sim-2"],
    "text": "sim-[12]",
    "regex": "true",
    "ignore_case": "false",
    "since": "2026-01-01T00:00",
    "limit": 20,
}


def today() -> str:
    """The day the module's test shots were taken on (the station's zone is the system's)."""
    return datetime.now().astimezone().date().isoformat()


def known_good(
    record_id: int, token_id: str, profile: str, change_id: str, job_id: str, log_cursor: str
):
    """(method, path, path parameters, query, body, expected status) on real resources;
    ``change_id`` is a network change waiting for confirmation, ``job_id`` a running job,
    ``log_cursor`` a newer_cursor of the station's log."""
    cam = {"camera_id": "sim-1"}
    net = "/api/v1/network"
    uuid = {"uuid": profile}
    lab = {"ssid": "field-lab", "password": "lab passphrase 1"}
    job = {"job_id": job_id}
    return [
        # jobs: the list, one, cancel (202 with the job to watch), one that does not exist
        ("GET", "/api/v1/jobs", {}, None, None, 200),
        ("GET", "/api/v1/jobs/{job_id}", job, None, None, 200),
        ("POST", "/api/v1/jobs/{job_id}/cancel", job, None, None, 202),
        ("GET", "/api/v1/jobs/{job_id}", job, None, None, 200),
        ("GET", "/api/v1/jobs/{job_id}", {"job_id": "no-such-job"}, None, None, 404),
        ("POST", "/api/v1/jobs/{job_id}/cancel", {"job_id": "no-such-job"}, None, None, 404),
        # storage: volumes, forecast, the exports made; an export to a drive not plugged
        # in, and one naming a camera the station lacks
        ("GET", "/api/v1/storage/volumes", {}, None, None, 200),
        ("GET", "/api/v1/storage/forecast", {}, None, None, 200),
        ("GET", "/api/v1/storage/exports", {}, {"limit": 5}, None, 200),
        ("POST", "/api/v1/storage/exports", {}, None, NO_STICK, 404),
        ("POST", "/api/v1/storage/exports", {}, None, NO_STICK | {"cameras": ["nope"]}, 400),
        ("POST", "/api/v1/storage/volumes/{device}/eject", {"device": "sdz9"}, None, None, 404),
        ("POST", "/api/v1/storage/volumes/{device}/eject", {"device": "SDZ9"}, None, None, 400),
        # a support bundle, streamed
        ("GET", "/api/v1/support/bundle", {}, None, None, 200),
        # the log: the newest page, filtered, followed (waiting a little); a page too big, a
        # bad regular expression, a cursor this station never gave
        ("GET", "/api/v1/logs", {}, {"limit": 5}, None, 200),
        ("GET", "/api/v1/logs", {}, LOG_FILTER, None, 200),
        ("GET", "/api/v1/logs/follow", {}, {"cursor": log_cursor, "wait_s": 0.3}, None, 200),
        ("GET", "/api/v1/logs/follow", {}, LOG_FILTER | {"cursor": log_cursor}, None, 200),
        ("GET", "/api/v1/logs", {}, {"limit": 501}, None, 400),
        ("GET", "/api/v1/logs", {}, {"text": "(unclosed", "regex": "true"}, None, 400),
        ("GET", "/api/v1/logs/follow", {}, {"cursor": "L1.not-ours"}, None, 400),
        # retention: settings and last run, the dry run, the log; a run while it is off,
        # and a change, which API tokens may not make
        ("GET", "/api/v1/storage/retention", {}, None, None, 200),
        ("GET", "/api/v1/storage/retention/preview", {}, None, None, 200),
        ("GET", "/api/v1/storage/retention/deleted", {}, {"limit": 5, "before": 9}, None, 200),
        ("POST", "/api/v1/storage/retention/run", {}, None, None, 400),
        ("PUT", "/api/v1/storage/retention", {}, None, {"enabled": True}, 403),
        ("GET", "/api/v1/health", {}, None, None, 200),
        ("GET", "/api/v1/status", {}, None, None, 200),
        ("GET", "/api/v1/session", {}, None, None, 200),
        ("GET", "/api/v1/cameras", {}, None, None, 200),
        ("GET", "/api/v1/cameras/{camera_id}", cam, None, None, 200),
        ("GET", "/api/v1/cameras/{camera_id}/settings", cam, None, None, 200),
        ("PUT", "/api/v1/cameras/{camera_id}/settings", cam, None, {"interval_s": 600}, 200),
        ("GET", "/api/v1/cameras/{camera_id}/device-settings", cam, None, None, 200),
        (
            "PUT",
            "/api/v1/cameras/{camera_id}/device-settings/{name}",
            {**cam, "name": "iso"},
            None,
            {"value": "400"},
            200,
        ),
        ("POST", "/api/v1/cameras/{camera_id}/test-shot", {"camera_id": "sim-2"}, None, None, 201),
        ("GET", "/api/v1/cameras/{camera_id}/latest.jpg", cam, None, None, 200),
        ("GET", "/api/v1/cameras/{camera_id}/focus", cam, None, None, 200),
        (
            "PUT",
            "/api/v1/cameras/{camera_id}/focus/roi",
            cam,
            None,
            {"left": 0.25, "top": 0.25, "width": 0.5, "height": 0.5},
            200,
        ),
        ("GET", "/api/v1/cameras/{camera_id}/focus", cam, {"since": 0}, None, 200),
        ("GET", "/api/v1/cameras/{camera_id}/focus/support", cam, None, None, 200),
        (
            "POST",
            "/api/v1/cameras/{camera_id}/focus/drive",
            cam,
            None,
            {"direction": "far", "step": "fine"},
            200,
        ),
        ("POST", "/api/v1/cameras/{camera_id}/focus/autofocus", cam, None, None, 200),
        ("POST", "/api/v1/cameras/{camera_id}/focus/lock", cam, None, None, 200),
        ("POST", "/api/v1/cameras/{camera_id}/focus/unlock", cam, None, None, 200),
        ("POST", "/api/v1/cameras/rescan", {}, None, None, 200),
        ("GET", "/api/v1/captures", {}, {"camera": "sim-1", "limit": 5}, None, 200),
        ("GET", "/api/v1/captures/{record_id}", {"record_id": record_id}, None, None, 200),
        ("GET", "/api/v1/captures/{record_id}/file", {"record_id": record_id}, None, None, 200),
        # the capture browser: days, a day, a thumbnail, the day as a streamed zip
        ("GET", "/api/v1/captures/days", {}, {"camera": "sim-1"}, None, 200),
        ("GET", "/api/v1/captures/day", {}, {"camera": "sim-1", "day": today()}, None, 200),
        ("GET", "/api/v1/captures/day.zip", {}, {"camera": "sim-1", "day": today()}, None, 200),
        ("GET", "/api/v1/captures/day", {}, {"camera": "sim-1", "day": "2026-02-30"}, None, 400),
        (
            "GET",
            "/api/v1/captures/{record_id}/thumbnail",
            {"record_id": record_id},
            {"size": 320},
            None,
            200,
        ),
        ("GET", "/api/v1/users", {}, None, None, 200),
        ("GET", "/api/v1/audit", {}, {"limit": 10}, None, 200),
        ("GET", "/api/v1/tokens", {}, None, None, 200),
        ("DELETE", "/api/v1/tokens/{token_id}", {"token_id": token_id}, None, None, 204),
        # refused by design for API tokens, and still answered within the schema
        ("POST", "/api/v1/tokens", {}, None, {"name": "another"}, 403),
        ("POST", "/api/v1/users", {}, None, {"username": "zed", "password": "x" * 20}, 403),
        ("PATCH", "/api/v1/users/{username}", {"username": "vera"}, None, {"disabled": True}, 403),
        ("DELETE", "/api/v1/users/{username}", {"username": "vera"}, None, None, 403),
        ("POST", "/api/v1/session/confirm", {}, None, {"password": "x"}, 403),
        ("PUT", "/api/v1/session/password", {}, None, {"current": "x", "new": "y"}, 403),
        ("DELETE", "/api/v1/session", {}, None, None, 403),
        # the stream of a camera that does not exist is a plain error answer
        ("GET", STREAM, {"camera_id": "no-such-camera"}, None, None, 404),
        # the network: reads, a change confirmed, a change made and others Busy meanwhile
        ("GET", f"{net}/status", {}, None, None, 200),
        ("GET", f"{net}/wifi", {}, None, None, 200),
        ("POST", f"{net}/wifi/rescan", {}, None, None, 200),
        ("GET", f"{net}/saved", {}, None, None, 200),
        ("GET", f"{net}/hotspot", {}, None, None, 200),
        ("GET", f"{net}/pending", {}, None, None, 200),
        ("POST", f"{net}/pending/{{change_id}}/confirm", {"change_id": change_id}, None, None, 204),
        ("POST", f"{net}/pending/{{change_id}}/revert", {"change_id": change_id}, None, None, 404),
        ("POST", f"{net}/wifi/join", {}, None, lab, 202),
        ("GET", f"{net}/pending", {}, None, None, 200),
        ("PATCH", f"{net}/saved/{{uuid}}", uuid, None, {"priority": 5}, 409),
        ("DELETE", f"{net}/saved/{{uuid}}", uuid, None, None, 409),
        ("POST", f"{net}/wifi/join", {}, None, {"ssid": "not-in-range"}, 409),
        # admins' network changes are refused for API tokens, within the schema
        ("PUT", f"{net}/saved/{{uuid}}/ipv4", uuid, None, {"method": "auto"}, 403),
        ("PUT", f"{net}/hostname", {}, None, {"hostname": "north-7"}, 403),
        ("PUT", f"{net}/hotspot", {}, None, {"fallback": True, "after_s": 600}, 403),
    ]


@pytest.mark.usefixtures("cameras_restored", "network_restored")
def test_known_good_requests_answer_within_the_schema(live, api_schema):
    record_id = _record_ids(live)[-1]
    token, _ = live.services.tokens.create(live.admin, "to revoke")
    profile = live.network.wired_uuid()
    remote = Principal("ada", Role.ADMIN, Origin.REMOTE, "127.0.0.1")
    change = live.services.network.set_priority(remote, profile, 3)
    failures = []
    job = live.services.jobs.start(live.admin, COUNT, "to cancel", until_cancelled())
    log_cursor = live.services.logs.page(live.admin, live.services.logs.query({})).newer_cursor
    good = known_good(record_id, token.token_id, profile, change.change_id, job.job_id, log_cursor)
    for method, path, path_parameters, query, body, status in good:
        operation = api_schema[path][method]
        kwargs = {"path_parameters": path_parameters, "query": query}
        if body is not None:
            kwargs |= {"body": body, "media_type": "application/json"}
        case = operation.Case(**kwargs)
        try:
            response = case.call_and_validate(headers=live.auth, checks=CHECKS, timeout=TIMEOUT_S)
        except Exception as err:  # collect every failure, not only the first
            failures.append(f"{method} {path} {path_parameters}: {err}")
            continue
        if response.status_code != status:
            failures.append(
                f"{method} {path} {path_parameters}: {response.status_code}, expected {status}: "
                f"{response.text[:300]}"
            )
    assert not failures, "\n\n".join(failures)


def test_document_is_valid_openapi_3_1(api_schema):
    assert api_schema.raw_schema["openapi"].startswith("3.1.")
    api_schema.validate()  # the OpenAPI 3.1 meta-schema; raises on the first problem
    for component in api_schema.raw_schema["components"]["schemas"].values():
        jsonschema_rs.meta.validate(component)  # each a valid JSON Schema 2020-12


def test_document_needs_auth(live):
    response = requests.get(live.url + DOCUMENT, timeout=TIMEOUT_S)
    assert response.status_code == 401
    assert response.json()["error"]


def test_every_api_rule_is_in_the_document(live, api_schema):
    documented = {
        (path, method.upper())
        for path, operations in api_schema.raw_schema["paths"].items()
        for method in operations
    }
    served = {
        (_RULE_PARAM.sub(r"{\1}", rule.rule), method)
        for rule in live.app.url_map.iter_rules()
        if rule.rule.startswith("/api/v1/") or rule.rule == "/api/v1"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert sorted(served - documented) == []
    assert sorted(documented - served) == []


def test_stream_sends_multipart_jpeg_parts(live, api_schema):
    documented = api_schema.raw_schema["paths"][STREAM]["get"]["responses"]["200"]["content"]
    url = f"{live.url}/api/v1/cameras/{CAMERAS[0]}/stream"
    with requests.get(url, headers=live.auth, stream=True, timeout=TIMEOUT_S) as response:
        assert response.status_code == 200
        content_type = response.headers["Content-Type"]
        assert content_type.startswith("multipart/x-mixed-replace")
        assert content_type in documented, (content_type, list(documented))
        boundary = re.search(r"boundary=([^;\s]+)", content_type).group(1).strip('"')
        raw = response.raw
        first = raw.readline()
        assert first.rstrip(b"\r\n") == f"--{boundary}".encode()
        headers = {}
        while (line := raw.readline().rstrip(b"\r\n")) != b"":
            name, _, value = line.decode("ascii").partition(":")
            headers[name.strip().lower()] = value.strip()
        assert headers["content-type"] == "image/jpeg"
        jpeg = raw.read(int(headers["content-length"]))
        assert jpeg[:2] == b"\xff\xd8"
        assert jpeg[-2:] == b"\xff\xd9"
        assert int(headers["x-frame-seq"]) >= 1
        float(headers["x-frame-taken"])
        float(headers["x-focus-score"])
        assert raw.read(2) == b"\r\n"
        assert raw.readline().rstrip(b"\r\n") == f"--{boundary}".encode()  # a second part
