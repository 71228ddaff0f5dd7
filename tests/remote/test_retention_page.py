"""The retention page through the Flask test client: everyone sees the settings, the last
run, the dry run and the deletion log; an admin saves (password typed recently, CSRF as every
form), each refused value named under its field with everything typed kept; untrusted text
(a stick's label) is escaped."""

import re

import pytest

from tests.principals import ADMIN
from tests.retention_world import prove, take

PAGE = "/storage/retention"


@pytest.fixture
def ada(web):
    web.login("ada")
    return web


def form(web, **values):
    data = {"csrf_token": web.csrf, "keep_free_mib": "2048", "min_age_days": "7"} | values
    return {key: value for key, value in data.items() if value is not None}


def test_a_viewer_sees_everything_and_may_change_nothing(web, station):
    web.login("vera")
    page = web.client.get(PAGE)
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "<strong>Off</strong>: the station deletes no image by itself." in text
    assert "Last run: never." in text and "Nothing deleted." in text
    assert "<fieldset disabled>" in text and "may not change station settings" in text
    assert ">Save<" not in text and ">Run now<" not in text
    before = (station.home / "station.toml").read_bytes()
    refused = web.client.post(PAGE, data=form(web, enabled="on", keep_free_mib="600"))
    assert refused.status_code == 403
    assert web.client.post(f"{PAGE}/run", data=form(web)).status_code == 403
    assert (station.home / "station.toml").read_bytes() == before


def test_an_admin_saves_the_settings(ada, station):
    done = ada.client.post(PAGE, data=form(ada, enabled="on", keep_free_mib="600"))
    assert done.status_code == 303 and done.headers["Location"].endswith("notice=saved")
    retention = station.services.config.current().retention
    assert (retention.enabled, retention.keep_free_mib, retention.min_age_days) == (True, 600, 7)
    page = ada.client.get(done.headers["Location"]).get_data(as_text=True)
    assert "Saved: in effect now." in page and "<strong>On</strong>: keeps 600 MiB free" in page
    off = ada.client.post(PAGE, data=form(ada, keep_free_mib="600"))  # unchecked: off
    assert off.status_code == 303 and not station.services.config.current().retention.enabled


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"keep_free_mib": "lots"}, "keep_free_mib", "must be a whole number"),
        ({"keep_free_mib": "0"}, "keep_free_mib", "from 1 to 10000000"),
        ({"enabled": "on", "keep_free_mib": "500"}, "keep_free_mib", "above free_space_floor_mib"),
        ({"min_age_days": "-1"}, "min_age_days", "from 0 to 3650"),
        ({"min_age_days": "1.5"}, "min_age_days", "a whole number"),
    ],
)
def test_a_refused_value_is_named_under_its_field_and_what_was_typed_stays(
    ada, station, values, field, says
):
    before = (station.home / "station.toml").read_bytes()
    answer = ada.client.post(PAGE, data=form(ada, **values))
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    problem = re.search(rf'<p class="error field-error" id="{field}-problem">([^<]*)</p>', page)
    assert problem and says in problem.group(1), page
    assert f'value="{values[field]}"' in page, "what was typed is shown again"
    assert (station.home / "station.toml").read_bytes() == before


def test_a_change_long_after_the_login_asks_for_the_password_first(ada, station):
    station.clock.set(station.clock.now() + 301)  # remote.reauth_s after the login
    answer = ada.client.post(PAGE, data=form(ada, enabled="on", keep_free_mib="777"))
    assert answer.status_code == 401
    page = answer.get_data(as_text=True)
    assert "Confirm your password" in page and 'value="777"' in page
    assert not station.services.config.current().retention.enabled


def test_the_preview_and_the_log_show_what_goes_and_went_with_labels_escaped(ada, station):
    services, now = station.services, station.clock.now()
    taken = [take(station, "sim-1", 30 - n, now) for n in range(3)]
    prove(station.home, taken[:2], label="<script>alert(1)</script>")
    services.retention.update(ADMIN, {"keep_free_mib": 10_000_000})  # more than the disk

    page = ada.client.get(f"{PAGE}?preview=1").get_data(as_text=True)
    assert "Preview (nothing is deleted)" in page and "Would delete 2 images" in page
    assert 'id="shortfall"' in page and "not exported and verified" in page
    assert "images/sim-1/" in page
    assert "<script>alert(1)</script>" not in page
    assert "export 1 (&lt;script&gt;alert(1)&lt;/script&gt;)" in page

    services.retention.update(ADMIN, {"enabled": True})
    assert services.retention.check().deleted == 2
    page = ada.client.get(PAGE).get_data(as_text=True)
    log = page[page.index('id="deleted"') :]
    assert log.count("<tr><td>") == 2 and "&lt;script&gt;" in log and "<script>" not in log
    assert "Last run " in page and "deleted 2 images (" in page


def test_an_admin_runs_it_now_as_a_job(ada, station):
    station.services.retention.update(ADMIN, {"enabled": True, "keep_free_mib": 600})
    answer = ada.client.post(f"{PAGE}/run", data=form(ada))
    assert answer.status_code == 303 and answer.headers["Location"].endswith("notice=running")
    (job,) = [j for j in station.services.jobs.jobs() if j.kind.name == "retention"]
    assert job.by.startswith("ada (admin")


def test_a_run_while_off_is_refused_with_the_reason(ada):
    answer = ada.client.post(f"{PAGE}/run", data=form(ada))
    assert answer.status_code == 400
    assert "retention is off" in answer.get_data(as_text=True)


def test_the_log_pages_to_older_deletions(ada, station, monkeypatch):
    from remote import page_retention

    monkeypatch.setattr(page_retention, "PAGE_ROWS", 2)
    services, now = station.services, station.clock.now()
    taken = [take(station, "sim-1", 30 - n, now) for n in range(3)]
    prove(station.home, taken)
    services.retention.update(ADMIN, {"enabled": True, "keep_free_mib": 10_000_000})
    services.retention.check()
    page = ada.client.get(PAGE).get_data(as_text=True)
    older = re.search(r'href="(/storage/retention\?before=\d+)">Older deletions', page)
    assert older, page
    rest = ada.client.get(older.group(1)).get_data(as_text=True)
    rest = rest[rest.index('id="deleted"') :]
    assert rest.count("<tr><td>") == 1 and "Older deletions" not in rest
