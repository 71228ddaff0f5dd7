"""Remote focus over the JSON API: the same service, permission and refusals as the kiosk's
Focus tab. Operators drive the lens, run autofocus, set the region and lock focus; viewers
are refused (403), strangers asked to log in (401); bad bodies are named by field (400)."""

import json

import pytest

from eyepi_gui.adapters.cameras.sim import FOCUS_STEPS, best_focus
from eyepi_gui.domain.camera import FocusStep
from eyepi_gui.domain.roi import Roi
from tests.principals import ADMIN

FOCUS = "/api/v1/cameras/{camera}/focus"
REGION = {"left": 0.25, "top": 0.25, "width": 0.5, "height": 0.5}
CHANGES = [
    ("POST", "/drive", {"direction": "far", "step": "fine"}),
    ("POST", "/autofocus", None),
    ("POST", "/lock", None),
    ("POST", "/unlock", None),
    ("PUT", "/roi", REGION),
]
READS = [("GET", ""), ("GET", "/support")]
FINE = FOCUS_STEPS[FocusStep.FINE]


def url(path="", camera="sim-1"):
    return FOCUS.format(camera=camera) + path


def lens(services, camera_id="sim-1"):
    """Where the sim's lens is: read only to check what a request did."""
    return services.cameras.run(camera_id, lambda device: device.controls().focus)


def send(web, method, path, body, camera="sim-1"):
    return web.client.open(url(path, camera), method=method, json=body or {}, headers=web.headers())


def test_an_operator_drives_the_lens_in_the_kiosks_three_steps(web, services):
    web.login("otto")
    start = lens(services)
    for step, direction, moved in [("coarse", "near", -0.2), ("medium", "far", -0.15)]:
        response = send(web, "POST", "/drive", {"direction": direction, "step": step})
        assert response.status_code == 200, response.get_json()
        assert lens(services) == pytest.approx(start + moved)
    answer = send(web, "POST", "/drive", {"direction": "far", "step": "fine"}).get_json()
    assert lens(services) == pytest.approx(start - 0.14)
    assert answer["camera_id"] == "sim-1" and answer["lock"] is None


def test_autofocus_lands_within_one_fine_step_and_is_audited(web, services):
    web.login("otto")
    send(web, "POST", "/drive", {"direction": "far", "step": "coarse"})
    response = send(web, "POST", "/autofocus", None)
    assert response.status_code == 200
    assert abs(lens(services) - best_focus(0, "sim-1")) <= FINE
    entry = services.audit.recent(ADMIN, 1)[0]
    assert (entry.username, entry.action, entry.target) == ("otto", "autofocus", "sim-1")


def test_lock_and_unlock_focus_as_the_kiosk_does(web, services, station):
    web.login("otto")
    locked = send(web, "POST", "/lock", None)
    assert locked.status_code == 200, locked.get_json()
    lock = locked.get_json()["lock"]
    assert lock["reference"] > 0 and lock["drift_fraction"] == 0.7
    assert lock["roi"] == list(Roi().as_tuple())
    assert "focus_lock" in (station.home / "station.toml").read_text()
    assert web.client.get(url()).get_json()["lock"] == lock
    unlocked = send(web, "POST", "/unlock", None)
    assert unlocked.status_code == 200 and unlocked.get_json()["lock"] is None
    assert services.config.camera("sim-1").focus_lock is None


def test_the_region_is_set_and_shown(web, services):
    web.login("otto")
    answer = send(web, "PUT", "/roi", REGION).get_json()
    assert answer["roi"] == [0.25, 0.25, 0.5, 0.5]
    assert services.focus.roi("sim-1") == Roi(0.25, 0.25, 0.5, 0.5)


def test_support_says_what_the_camera_offers(web):
    answer = web.login("vera").client.get(url("/support")).get_json()
    assert answer == {"drive": True, "autofocus": True, "live_zoom": []}


def test_the_score_comes_with_its_recent_points_after_since(web, services):
    web.login("vera")
    with services.focus.watch("sim-1") as watch:
        first = watch.next(0, timeout=5)
        assert first is not None, watch.problem
        answer = web.client.get(url()).get_json()
    assert answer["seq"] >= first.seq and answer["score"] > 0
    points = answer["recent"]
    assert points and points[-1]["score"] > 0
    newest = points[-1]["at"]
    assert web.client.get(url(), query_string={"since": newest}).get_json()["recent"] == []
    assert web.client.get(url(), query_string={"since": newest - 1}).get_json()["recent"]


@pytest.mark.parametrize(("method", "path", "body"), CHANGES)
def test_a_viewer_is_refused_every_change(web, services, station, method, path, body):
    web.login("vera")
    before = (station.home / "station.toml").read_text(), lens(services)
    response = send(web, method, path, body)
    assert response.status_code == 403, response.get_json()
    assert "viewer may not focus cameras" in response.get_json()["message"]
    assert ((station.home / "station.toml").read_text(), lens(services)) == before
    assert services.focus.roi("sim-1") == Roi()


@pytest.mark.parametrize(("method", "path", "body"), CHANGES + [(m, p, None) for m, p in READS])
def test_a_stranger_is_asked_to_log_in(client, method, path, body):
    response = client.open(url(path), method=method, json=body or {})
    assert response.status_code == 401
    assert response.get_json()["error"] == "LoginFailed"


@pytest.mark.parametrize(("method", "path", "body"), CHANGES + [(m, p, None) for m, p in READS])
def test_an_unknown_camera_is_404(web, station, method, path, body):
    web.login("otto")
    before = (station.home / "station.toml").read_text()
    response = send(web, method, path, body, camera="no-such-camera")
    assert response.status_code == 404, response.get_json()
    assert "no-such-camera" in response.get_json()["message"]
    assert (station.home / "station.toml").read_text() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"direction": "sideways", "step": "fine"}, "direction"),
        ({"direction": "far", "step": 7}, "step"),
        ({"direction": "far", "step": "huge"}, "step"),
        ({"direction": 1, "step": "fine"}, "direction"),
        ({"direction": ["far"], "step": "fine"}, "direction"),
        ({"direction": "far"}, "step"),
        ({"step": "fine"}, "direction"),
        ({"direction": "far", "step": "fine", "speed": 2}, "speed"),
    ],
)
def test_a_bad_drive_is_named_by_its_field_and_moves_nothing(web, services, body, field):
    web.login("otto")
    before = lens(services)
    response = send(web, "POST", "/drive", body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field
    assert lens(services) == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**REGION, "left": 1.5}, "left"),
        ({**REGION, "top": -0.1}, "top"),
        ({**REGION, "width": 0}, "width"),
        ({**REGION, "height": 1.01}, "height"),
        ({**REGION, "left": "0.5"}, "left"),
        ({**REGION, "width": None}, "width"),
        ({**REGION, "left": 0.75, "width": 0.5}, "roi"),  # each fine, together outside
        ({"left": 0.1, "top": 0.1, "width": 0.5}, "height"),
    ],
)
def test_a_bad_region_is_named_by_its_field_and_changes_nothing(web, services, body, field):
    web.login("otto")
    response = send(web, "PUT", "/roi", body)
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == field
    assert services.focus.roi("sim-1") == Roi()


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
def test_a_region_of_nan_or_infinity_is_refused(web, services, number):
    web.login("otto")
    raw = json.dumps(REGION).replace("0.5", number, 1)  # width
    response = web.client.put(
        url("/roi"), data=raw, content_type="application/json", headers=web.headers()
    )
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["field"] == "width"
    assert services.focus.roi("sim-1") == Roi()


@pytest.mark.parametrize("since", ["yesterday", "nan", "true"])
def test_a_bad_since_is_named(web, since):
    response = web.login("vera").client.get(url(), query_string={"since": since})
    assert response.status_code == 400 and response.get_json()["field"] == "since"


def test_a_body_that_is_no_json_object_is_refused(web, services):
    web.login("otto")
    before = lens(services)
    for raw in ("[]", '"far"', "{", ""):
        response = web.client.post(
            url("/drive"), data=raw, content_type="application/json", headers=web.headers()
        )
        assert response.status_code == 400 and response.get_json()["field"] == "body"
    assert lens(services) == before
