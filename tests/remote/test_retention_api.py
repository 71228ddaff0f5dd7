"""/api/v1/storage/retention: everyone logged in reads; admins change the settings (a
browser with the password confirmed) and run it now (202 with the job); every bad value is
a 400 naming its field; API tokens may read and run but not change the settings."""

import time

import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from tests.principals import ADMIN
from tests.retention_world import prove, take

URL = "/api/v1/storage/retention"
ON = {"enabled": True, "keep_free_mib": 600, "min_age_days": 7}


def test_everyone_logged_in_reads_settings_last_run_preview_and_log(web):
    web.login("vera")
    status = web.client.get(URL).get_json()
    assert status["settings"] == {"enabled": False, "keep_free_mib": 2048, "min_age_days": 7}
    assert status["last_run"] is None and status["keep_free_bytes"] == 2048 * 2**20
    assert status["floor_bytes"] == 500 * 2**20 and status["free_bytes"] > 0
    preview = web.client.get(f"{URL}/preview").get_json()
    assert set(preview) >= {"free_now", "need", "count", "bytes", "shortfall", "images"}
    assert web.client.get(f"{URL}/deleted").get_json() == []


@pytest.mark.parametrize("who", ["vera", "otto"])
def test_viewers_and_operators_may_not_change_or_run_it(web, station, who):
    web.login(who)
    web.confirm(who)
    before = (station.home / "station.toml").read_text()
    changed = web.client.put(URL, json={"enabled": True}, headers=web.headers())
    assert changed.status_code == 403 and changed.get_json()["error"] == "Forbidden"
    ran = web.client.post(f"{URL}/run", headers=web.headers())
    assert ran.status_code == 403
    assert (station.home / "station.toml").read_text() == before


def test_an_admin_changes_the_settings_from_a_browser_session(web, station):
    web.login("ada")  # the password was just typed
    changed = web.client.put(URL, json=ON, headers=web.headers())
    assert changed.status_code == 200 and changed.get_json() == ON
    assert station.services.config.current().retention.enabled is True
    assert "[retention]" in (station.home / "station.toml").read_text()
    kept = web.client.put(URL, json={"min_age_days": 30}, headers=web.headers())
    assert kept.get_json() == ON | {"min_age_days": 30}, "the keys not given stay"


@pytest.mark.parametrize(
    ("body", "field", "says"),
    [
        ({"enabled": "yes"}, "retention.enabled", "true or false"),
        ({"keep_free_mib": 0}, "retention.keep_free_mib", "from 1 to 10000000"),
        ({"keep_free_mib": "600"}, "retention.keep_free_mib", "without quotes"),
        ({"enabled": True, "keep_free_mib": 500}, "retention.keep_free_mib", "above free_space"),
        ({"min_age_days": -1}, "retention.min_age_days", "from 0 to 3650"),
        ({"min_age_days": 2.5}, "retention.min_age_days", "whole number"),
        ({"keep_free": 1}, "retention.keep_free", "unknown"),
    ],
)
def test_every_bad_value_is_a_400_naming_its_field(web, station, body, field, says):
    web.login("ada")
    web.confirm("ada")
    before = (station.home / "station.toml").read_text()
    answer = web.client.put(URL, json=body, headers=web.headers())
    assert answer.status_code == 400, answer.get_json()
    assert answer.get_json()["field"] == field and says in answer.get_json()["message"]
    assert (station.home / "station.toml").read_text() == before


def test_a_run_is_a_job_answered_202_and_refused_while_off(web, station):
    web.login("ada")
    off = web.client.post(f"{URL}/run", headers=web.headers())
    assert off.status_code == 400 and off.get_json()["field"] == "retention.enabled"
    station.services.retention.update(ADMIN, ON)
    answer = web.client.post(f"{URL}/run", headers=web.headers())
    assert answer.status_code == 202
    job_url = answer.get_json()["url"]
    assert answer.headers["Location"] == job_url
    deadline = time.monotonic() + 20
    while (job := web.client.get(job_url).get_json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert job["kind"] == "retention" and job["state"] == "done", job
    assert web.client.get(URL).get_json()["last_run"]["by"].startswith("ada (admin")


def test_the_deletion_log_pages_and_refuses_a_bad_page(web, station):
    services = station.services
    now = station.clock.now()
    taken = [take(station, "sim-1", 30 - n, now) for n in range(3)]
    prove(station.home, taken)
    services.retention.update(ADMIN, {"enabled": True, "keep_free_mib": 10_000_000})
    services.retention.check()  # the disk is far below 10 TB free: every proven image goes
    web.login("vera")
    first = web.client.get(f"{URL}/deleted?limit=2").get_json()
    assert [e["capture_id"] for e in first] == [taken[2].record_id, taken[1].record_id]
    assert (
        first[0]["path"].startswith("images/sim-1/") and first[0]["proofs"][0]["kind"] == "export"
    )
    rest = web.client.get(f"{URL}/deleted?before={first[-1]['entry_id']}").get_json()
    assert [e["capture_id"] for e in rest] == [taken[0].record_id]
    for query, field in (("limit=0", "limit"), ("limit=201", "limit"), ("before=x", "before")):
        answer = web.client.get(f"{URL}/deleted?{query}")
        assert answer.status_code == 400 and answer.get_json()["field"] == field


def test_an_api_token_reads_and_runs_but_may_not_change_the_settings(client, station):
    services = station.services
    token = services.tokens.create(Principal("ada", Role.ADMIN, Origin.KIOSK), "script")[1]
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get(URL, headers=bearer).status_code == 200
    assert client.put(URL, json=ON, headers=bearer).status_code == 403
    services.retention.update(ADMIN, ON)
    assert client.post(f"{URL}/run", headers=bearer).status_code == 202
