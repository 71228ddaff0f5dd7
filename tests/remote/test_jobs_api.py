"""``/api/v1/jobs``: the shared list, one job, cancel (202 with the job to watch), the 202 helper
other endpoints use, and who may do what."""

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.jobs import JobState
from remote.accepted import job_accepted
from remote.auth import principal
from tests.job_work import COUNT, TIDY, counting, until_cancelled
from tests.remote.conftest import Web
from tests.waiting import eventually

API = "/api/v1/jobs"
KIOSK_ADA = Principal("ada", Role.ADMIN, Origin.KIOSK)


def finished(services, job_id):
    return eventually(lambda: (v := services.jobs.job(job_id)).state.finished and v)


def test_the_list_and_one_job_show_progress_and_result(web, services):
    assert web.login("vera").client.get(API).get_json() == []
    view = services.jobs.start(KIOSK_ADA, COUNT, "Count three", counting(3, item_bytes=500))
    finished(services, view.job_id)
    listed = web.client.get(API).get_json()
    one = web.client.get(f"{API}/{view.job_id}").get_json()
    assert listed == [one]
    assert one["job_id"] == view.job_id
    assert (one["kind"], one["title"], one["state"]) == ("count", "Count three", "done")
    assert one["by"] == "ada (admin, kiosk)"
    assert one["result"] == "counted 3 items" and one["error"] == ""
    assert one["progress"] | {"rate_bps": 0} == {
        "items_done": 3,
        "items_total": 3,
        "bytes_done": 1500,
        "bytes_total": 1500,
        "rate_bps": 0,
        "eta_s": 0.0,
        "fraction": 1.0,
        "stage": "counting",
    }
    assert one["url"] == f"{API}/{view.job_id}"
    assert one["cancel_url"] == f"{API}/{view.job_id}/cancel"
    assert one["ended_at"] >= one["started_at"]


def test_an_unknown_job_is_404(web):
    response = web.login("vera").client.get(f"{API}/no-such-job")
    assert response.status_code == 404
    assert response.get_json()["error"] == "NotFound"


def test_cancel_answers_202_with_the_job_and_it_ends(web, services):
    view = services.jobs.start(KIOSK_ADA, COUNT, "Forever", until_cancelled())
    web.login("otto")
    response = web.client.post(f"{API}/{view.job_id}/cancel", headers=web.headers())
    assert response.status_code == 202
    assert response.get_json() == {"job_id": view.job_id, "url": f"{API}/{view.job_id}"}
    assert response.headers["Location"] == f"{API}/{view.job_id}"
    ended = finished(services, view.job_id)
    assert ended.state is JobState.CANCELLED
    assert ended.error == "cancelled by otto (operator, remote 127.0.0.1)"
    shown = web.client.get(f"{API}/{view.job_id}").get_json()
    assert (shown["state"], shown["error"]) == ("cancelled", ended.error)


def test_the_same_job_is_watched_from_two_browsers_and_the_kiosk(app, services):
    """One list in the station process: a reload, or another browser, sees the same job."""
    view = services.jobs.start(KIOSK_ADA, COUNT, "Shared", until_cancelled())
    vera, otto = Web(app.test_client()).login("vera"), Web(app.test_client()).login("otto")
    seen_by_vera = vera.client.get(f"{API}/{view.job_id}").get_json()
    seen_by_otto = otto.client.get(API).get_json()[0]
    assert seen_by_vera["job_id"] == seen_by_otto["job_id"] == view.job_id
    otto.client.post(seen_by_otto["cancel_url"], headers=otto.headers())
    finished(services, view.job_id)
    reloaded = vera.client.get(f"{API}/{view.job_id}").get_json()
    assert reloaded["state"] == "cancelled"
    assert services.jobs.job(view.job_id).state is JobState.CANCELLED


def test_the_202_helper_answers_with_the_job_and_its_url(app, services, web):
    """What an endpoint that starts work returns (remote.accepted.job_accepted)."""

    def start_count():
        return job_accepted(services.jobs.start(principal(), COUNT, "Posted", counting(2)))

    app.add_url_rule("/api/v1/test-only/count", "test_only_count", start_count, methods=["POST"])
    response = web.login("otto").client.post("/api/v1/test-only/count", headers=web.headers())
    assert response.status_code == 202
    body = response.get_json()
    assert set(body) == {"job_id", "url"}
    assert response.headers["Location"] == body["url"] == f"{API}/{body['job_id']}"
    finished(services, body["job_id"])
    watched = web.client.get(body["url"]).get_json()
    assert (watched["state"], watched["by"]) == ("done", "otto (operator, remote 127.0.0.1)")


VIEW, COUNTS, ADMIN = "view", "count", "admin"
ENDPOINTS = [
    ("GET", "", VIEW, 200),
    ("GET", "/{count}", VIEW, 200),
    ("POST", "/{count}/cancel", COUNTS, 202),
    ("POST", "/{tidy}/cancel", ADMIN, 202),
]
CALLERS = ("anonymous", "viewer", "operator", "admin", "token")
MAY = {
    "viewer": {VIEW},
    "operator": {VIEW, COUNTS},
    "admin": {VIEW, COUNTS, ADMIN},
    "token": {VIEW, COUNTS, ADMIN},  # an admin's token: cancelling is no station change
}


def test_the_matrix_covers_every_jobs_endpoint_and_method(app):
    served = {
        (method, rule.rule.removeprefix(API))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith(API)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    listed = {
        (method, path.replace("{count}", "<job_id>").replace("{tidy}", "<job_id>"))
        for method, path, *_ in ENDPOINTS
    }
    assert listed == served


@pytest.mark.parametrize("who", CALLERS)
@pytest.mark.parametrize(
    ("method", "path", "needs", "ok"), ENDPOINTS, ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS]
)
def test_role_matrix(web, services, who, method, path, needs, ok):
    count = services.jobs.start(KIOSK_ADA, COUNT, "Count", until_cancelled())
    tidy = services.jobs.start(KIOSK_ADA, TIDY, "Tidy", until_cancelled())
    headers = {}
    if who == "token":
        _, token = services.tokens.create(KIOSK_ADA, "script")
        headers = {"Authorization": f"Bearer {token}"}
    elif who != "anonymous":
        web.login({"viewer": "vera", "operator": "otto", "admin": "ada"}[who])
        headers = web.headers()
    url = API + path.format(count=count.job_id, tidy=tidy.job_id)
    response = web.client.open(url, method=method, headers=headers)
    target = tidy if "{tidy}" in path else count
    if who == "anonymous":
        assert response.status_code == 401, response.get_json()
    elif needs in MAY[who]:
        assert response.status_code == ok, response.get_json()
    else:
        assert response.status_code == 403, response.get_json()
        assert "log in as" in response.get_json()["message"]
        assert not services.jobs.job(target.job_id).state.finished
    if method == "POST" and response.status_code == 202:
        assert finished(services, target.job_id).state is JobState.CANCELLED
    assert services.jobs.job(count.job_id if target is tidy else tidy.job_id).state in (
        JobState.QUEUED,
        JobState.RUNNING,
    ), "only the job asked about is touched"
