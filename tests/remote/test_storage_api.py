"""``/api/v1/storage``: volumes, forecast, exports (202 with the job, then the history), on a
station whose drives include a real loop-device stick; who may export; bad input by field."""

import pytest

from eyepi_gui.domain.access import Origin
from remote.app import create_app
from tests.export_world import DAY, ExportWorld
from tests.remote.conftest import PASSWORDS, Web
from tests.waiting import eventually

API = "/api/v1/storage"
pytestmark = pytest.mark.parametrize("usb_stick", ["exfat"], indirect=True)


@pytest.fixture
def world(tmp_path, usb_stick):
    made = ExportWorld(tmp_path / "home", usb_stick)
    users = made.services.users
    admin = users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    users.add_user(admin, "otto", PASSWORDS["otto"], "operator")
    users.add_user(admin, "vera", PASSWORDS["vera"], "viewer")
    yield made
    made.close()


@pytest.fixture
def web(world):
    app = create_app(world.services, world.services.config.current().remote, testing=True)
    return Web(app.test_client())


def test_an_operator_exports_a_day_answered_202_and_watched_to_safe_to_remove(world, web):
    world.day(4)
    web.login("otto")
    body = {"device": world.stick.device, "cameras": ["sim-1"], "first_day": DAY, "last_day": DAY}
    response = web.client.post(f"{API}/exports", json=body, headers=web.headers())
    assert response.status_code == 202, response.get_json()
    ref = response.get_json()
    assert response.headers["Location"] == ref["url"] == f"/api/v1/jobs/{ref['job_id']}"
    world.wait(world.services.jobs.job(ref["job_id"]))
    job = web.client.get(ref["url"]).get_json()
    assert job["state"] == "done" and job["result"].endswith("safe to remove")
    assert job["kind"] == "export" and job["by"].startswith("otto")
    (made,) = web.client.get(f"{API}/exports").get_json()
    assert (made["files"], made["outcome"], made["job_id"]) == (4, "done", ref["job_id"])
    assert made["device"] == world.stick.device and made["fstype"] == "exfat"


def test_volumes_list_the_stick_and_the_forecast_answers(world, web):
    web.login("vera")
    volumes = web.client.get(f"{API}/volumes").get_json()
    assert [v["device"] for v in volumes["removable"]] == [world.stick.device]
    assert volumes["removable"][0]["label"] == "EYEPI TEST"
    assert volumes["data_disk"]["removable"] is False
    forecast = web.client.get(f"{API}/forecast").get_json()
    assert forecast["free"] > 0 and {c["camera_id"] for c in forecast["cameras"]} == {
        "sim-1",
        "sim-2",
    }


def test_a_viewer_may_not_export(world, web):
    web.login("vera")
    body = {"device": world.stick.device, "not_exported": True}
    response = web.client.post(f"{API}/exports", json=body, headers=web.headers())
    assert response.status_code == 403
    assert world.services.jobs.jobs() == []


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"device": "/dev/sdz9", "not_exported": True}, 404, None),
        ({"device": "sdb1", "not_exported": True}, 400, "device"),
        ({"device": "STICK", "cameras": ["sim-7"], "not_exported": True}, 400, "cameras"),
        ({"device": "STICK", "first_day": "yesterday", "last_day": DAY}, 400, "first_day"),
        ({"device": "STICK", "first_day": DAY, "last_day": "2025-01-01"}, 400, "last_day"),
        ({"device": "STICK", "not_exported": "yes please"}, 400, "not_exported"),
        ({"device": "STICK", "not_exported": True, "path": "/etc"}, 400, "path"),
        ({"not_exported": True}, 400, "device"),
    ],
)
def test_bad_export_requests_are_refused_naming_the_field(world, web, body, status, field):
    web.login("ada")
    if body.get("device") == "STICK":
        body = body | {"device": world.stick.device}
    response = web.client.post(f"{API}/exports", json=body, headers=web.headers())
    assert response.status_code == status, response.get_json()
    if field:
        assert response.get_json()["field"] == field
    assert world.services.jobs.jobs() == []


def test_an_operator_ejects_a_mounted_stick_and_it_is_unmounted(world, web):
    world.drives.mount(world.stick.device)
    assert world.stick.mounts()
    web.login("otto")
    name = world.stick.name
    response = web.client.post(f"{API}/volumes/{name}/eject", headers=web.headers())
    assert response.status_code == 202, response.get_json()
    url = response.headers["Location"]
    assert url == response.get_json()["url"]
    job = eventually(lambda: (j := web.client.get(url).get_json())["state"] == "done" and j)
    assert job["title"] == "Eject EYEPI TEST"
    assert job["result"].startswith("EYEPI TEST unmounted") and job["result"].endswith(
        "safe to remove"
    )
    assert world.stick.mounts() == []


def test_a_viewer_may_not_eject(world, web):
    world.drives.mount(world.stick.device)
    web.login("vera")
    response = web.client.post(f"{API}/volumes/{world.stick.name}/eject", headers=web.headers())
    assert response.status_code == 403
    assert world.stick.mounts(), "still mounted"


def test_eject_is_busy_while_an_export_to_the_stick_goes_on(world, web):
    from eyepi_gui.domain.export import EXPORT_JOB
    from tests.job_work import until_cancelled
    from tests.principals import ADMIN

    jobs = world.services.jobs
    going = jobs.start(
        ADMIN, EXPORT_JOB, "Export to EYEPI TEST", until_cancelled(), target=world.stick.device
    )
    world.drives.mount(world.stick.device)
    web.login("otto")
    response = web.client.post(f"{API}/volumes/{world.stick.name}/eject", headers=web.headers())
    assert response.status_code == 409
    assert "Export to EYEPI TEST is still going" in response.get_json()["message"]
    assert world.stick.mounts(), "still mounted"
    jobs.cancel(ADMIN, going.job_id)


@pytest.mark.parametrize(
    ("device", "status", "field"),
    [("sdz9", 404, None), ("SDB1", 400, "device"), ("sdb1%20", 400, "device")],
)
def test_bad_eject_requests_are_refused(world, web, device, status, field):
    web.login("otto")
    response = web.client.post(f"{API}/volumes/{device}/eject", headers=web.headers())
    assert response.status_code == status, response.get_json()
    assert response.get_json().get("field") == field
