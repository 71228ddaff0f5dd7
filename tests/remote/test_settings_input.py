"""The JSON API parses numbers and switches as strictly as station.toml and the forms, and
checks a camera's settings against what the camera delivers with the same check; a
camera's settings problem is shown by the API and on its pages."""

import pytest

from eyepi_gui.domain.camera import CameraInfo

SETTINGS = "/api/v1/cameras/sim-1/settings"


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"interval_s": True}, "cameras.sim-1.interval_s", "not true or false"),
        ({"jpeg_quality": True}, "cameras.sim-1.jpeg_quality", "not true or false"),
        ({"jpeg_quality": False}, "cameras.sim-1.jpeg_quality", "not true or false"),
        ({"interval_s": "300"}, "cameras.sim-1.interval_s", "written without quotes"),
        ({"enabled": 1}, "cameras.sim-1.enabled", "must be true or false"),
        ({"resolution": "5000x4000"}, "cameras.sim-1.resolution", "at most 4056x3040 px"),
    ],
)
def test_camera_settings_take_values_of_their_own_type_the_camera_can_deliver(
    client, web, services, station, body, field, says
):
    web.login("ada")
    before = (station.home / "station.toml").read_text()
    response = client.put(SETTINGS, json=body, headers=web.headers())
    assert response.status_code == 400, response.get_data(as_text=True)
    answer = response.get_json()  # the body's own field, or its path in the settings
    assert field.endswith(answer["field"]) and says in answer["message"]
    assert (station.home / "station.toml").read_text() == before


def test_query_numbers_come_as_text_and_are_read_as_numbers(client, web):
    web.login("ada")
    assert client.get("/api/v1/captures?limit=5").status_code == 200
    refused = client.get("/api/v1/captures?limit=true")
    assert refused.status_code == 400 and refused.get_json()["field"] == "limit"
    refused = client.get("/api/v1/captures?camera=sim-1%0A")
    assert refused.status_code == 400 and refused.get_json()["field"] == "camera"


def test_a_region_refuses_switches_for_numbers(client, web):
    web.login("ada")
    region = {"left": True, "top": 0, "width": 0.5, "height": 0.5}
    response = client.put("/api/v1/cameras/sim-1/focus/roi", json=region, headers=web.headers())
    assert response.status_code == 400 and response.get_json()["field"] == "left"


def test_a_camera_settings_problem_is_shown_by_the_api_and_its_pages(client, web, services):
    web.login("ada")
    assert client.get("/api/v1/cameras/sim-1").get_json()["settings_problem"] is None
    services.config.describe_camera(CameraInfo("sim-1", "sim", "Sim", (32, 24)))
    said = client.get("/api/v1/cameras/sim-1").get_json()["settings_problem"]
    assert "cameras.sim-1.resolution: this camera takes at most 32x24 px" in said
    assert "captures jpg at 32x24 px" in said
    for page in ("/", "/cameras/sim-1/settings"):
        assert "this camera takes at most 32x24 px" in client.get(page).get_data(as_text=True)
    assert client.get("/api/v1/cameras/sim-2").get_json()["settings_problem"] is None
