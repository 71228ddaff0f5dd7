"""The storage pages through the Flask test client, on a station whose drives are a
``FakeVolumes``: what each role sees and may do, the export form's bad input shown at the
field it names with everything typed kept and nothing started, Eject, a job's page (progress,
Cancel, the end), CSRF, and drive labels and camera names that look like HTML escaped."""

import dataclasses
import re

import pytest

from eyepi_gui.adapters.cameras.sim import SimBackend
from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.domain.export import EXPORT_JOB
from eyepi_gui.errors import StorageError
from eyepi_gui.station import Station
from remote.page_jobs import left_text
from remote.page_storage import days_left
from tests.fake_volumes import FakeVolumes, stick
from tests.fakes import FakeHasher
from tests.job_work import COUNT, counting, until_cancelled
from tests.remote.conftest import PASSWORDS
from tests.remote.test_pages import assert_no_inline_code
from tests.waiting import eventually

KIOSK_ADA = Principal("ada", Role.ADMIN, Origin.KIOSK)
LABEL = '<img src=x onerror="alert(1)">'
LABEL_ESCAPED = "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;"
NAME = "<script>alert(1)</script>"
NAME_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
DAY = "2026-06-01"


@pytest.fixture
def drives(tmp_path):
    fake = FakeVolumes(tmp_path / "mnt")
    fake.plug(stick("sda1", label="FIELD 7"))
    return fake


@pytest.fixture
def station(tmp_path, clock, network, drives):
    """The remote conftest's station (ada, otto, vera; sim-1, sim-2) with ``drives``."""
    made = Station(
        tmp_path / "home",
        clock=clock,
        fallback=SimBackend(count=2, capture_delay_s=0),
        log_to_console=False,
        hasher=FakeHasher(),
        network=network,
        drives=drives,
    )
    services = made.open()
    admin = services.users.create_first_admin(Origin.KIOSK, "ada", PASSWORDS["ada"])
    for camera_id in ("sim-1", "sim-2"):
        services.config.update_camera(admin, camera_id, {"resolution": "64x48"})
    services.users.add_user(admin, "otto", PASSWORDS["otto"], "operator")
    services.users.add_user(admin, "vera", PASSWORDS["vera"], "viewer")
    services.inventory.start()
    yield made
    made.stop()


def page(web, url):
    response = web.client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def post(web, url, **fields):
    return web.client.post(url, data={"csrf_token": web.csrf, **fields})


def export_form(web, **fields):
    typed = {"device": "/dev/sda1", "what": "days", "first_day": DAY, "last_day": DAY}
    return post(web, "/storage/export", **(typed | fields))


def field_value(html, name):
    found = re.search(rf'<input id="f-{name}" name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else None


@pytest.mark.parametrize("username", ["ada", "otto", "vera"])
def test_the_nav_links_storage_and_its_pages_render_without_inline_code(web, username):
    web.login(username)
    assert '<a href="/storage">Storage</a>' in page(web, "/")
    for url in ("/storage", "/storage/export"):
        assert_no_inline_code(page(web, url))
    assert 'href="/storage/retention"' in page(web, "/storage")


def test_the_data_disk_says_days_until_full_once_captures_are_measured(web, services, clock):
    web.login("vera")
    before = page(web, "/storage")
    assert '<span class="big" id="days-left">unknown</span>' in before
    assert "No captures measured yet" in before
    for camera_id in ("sim-1", "sim-2"):
        services.cameras.capture(camera_id, clock.now()).result(30)
    after = page(web, "/storage")
    days = re.search(r'id="days-left">about ([\d,]+) days?<', after)
    assert days, after
    forecast = services.volumes.forecast()
    assert int(days.group(1).replace(",", "")) == round(forecast.days_until_full)
    assert after.count("not measured yet") == 0
    assert "always stays free" in after


def test_a_camera_that_keeps_only_its_latest_image_or_is_off_never_fills_the_disk(web, services):
    services.config.update_camera(KIOSK_ADA, "sim-1", {"keep": "latest"})
    services.config.update_camera(KIOSK_ADA, "sim-2", {"enabled": False})
    html = page(web.login("vera"), "/storage")
    table = html[html.index('id="per-camera"') :]
    assert "never: keeps only its latest image" in table
    assert "never: no captures scheduled" in table
    assert "Nothing fills the disk: no camera has a schedule that captures and keeps" in html
    assert 'id="days-left">never<' in html


class UnmeasuredDisk:
    """Volumes whose data disk cannot be measured (statvfs failing)."""

    def __init__(self, volumes):
        self._volumes = volumes

    def volumes(self):
        return self._volumes.volumes()

    def forecast(self):
        raise StorageError("cannot measure the data disk: Input/output error")


def test_a_data_disk_that_cannot_be_measured_is_said_and_the_drives_still_shown(app, web, services):
    app.extensions["eyepi"] = dataclasses.replace(
        services, volumes=UnmeasuredDisk(services.volumes)
    )
    html = page(web.login("otto"), "/storage")
    assert "The data disk cannot be measured: cannot measure the data disk: Input/output" in html
    assert 'id="drive-sda1"' in html


def test_an_operator_sees_export_and_eject_for_each_drive(web):
    html = page(web.login("otto"), "/storage")
    row = html[html.index('id="drive-sda1"') :]
    assert "FIELD 7" in row and "exfat" in row
    assert 'href="/storage/export?device=/dev/sda1"' in row
    assert 'action="/storage/volumes/sda1/eject"' in row


def test_a_viewer_sees_the_drives_but_no_export_or_eject_and_why(web, services):
    web.login("vera")
    html = page(web, "/storage")
    assert "FIELD 7" in html
    assert "/storage/export?device" not in html and "/eject" not in html
    assert "A viewer may not export images" in html
    form = page(web, "/storage/export")
    assert 'id="export-form"' not in form and 'id="export-refusal"' in form
    assert export_form(web).status_code == 403
    assert post(web, "/storage/volumes/sda1/eject").status_code == 403
    assert services.jobs.jobs() == []


def test_labels_and_camera_names_that_look_like_html_are_escaped(web, services, drives):
    drives.plug(stick("sdb1", label=LABEL))
    services.config.update_camera(KIOSK_ADA, "sim-1", {"name": NAME})
    web.login("otto")
    for url in ("/storage", "/storage/export"):
        html = page(web, url)
        assert LABEL not in html and NAME not in html
        assert LABEL_ESCAPED in html and NAME_ESCAPED in html
        assert_no_inline_code(html)


def test_the_export_form_picks_the_drive_asked_for_and_the_newest_day(web, services, clock):
    services.cameras.capture("sim-1", clock.now()).result(30)
    newest = services.browser.days("sim-1")[0].day.isoformat()
    html = page(web.login("otto"), "/storage/export?device=/dev/sda1")
    assert '<option value="/dev/sda1" selected>FIELD 7 (/dev/sda1, exfat' in html
    assert field_value(html, "first_day") == field_value(html, "last_day") == newest


@pytest.mark.parametrize(
    ("fields", "status", "field"),
    [
        ({"device": ""}, 400, "device"),
        ({"device": "sda1"}, 400, "device"),
        ({"device": "/dev/sda1; rm -rf /"}, 400, "device"),
        ({"cameras": ["sim-2", "sim-7"]}, 400, "cameras"),
        ({"first_day": "yesterday"}, 400, "first_day"),
        ({"first_day": "2026-02-30"}, 400, "first_day"),
        ({"first_day": ""}, 400, "first_day"),
        ({"last_day": "2026-05-01"}, 400, "last_day"),
        ({"last_day": "20205-01-01"}, 400, "last_day"),
        ({"what": "everything"}, 400, "what"),
    ],
)
def test_bad_export_input_is_shown_at_its_field_with_everything_typed_kept(
    web, services, fields, status, field
):
    web.login("otto")
    response = export_form(web, **({"cameras": ["sim-2"]} | fields))
    html = response.get_data(as_text=True)
    assert response.status_code == status, html
    assert f'id="{field}-problem"' in html
    assert "Nothing was started" in html
    typed = {"first_day": DAY, "last_day": DAY} | fields
    for name in ("first_day", "last_day"):
        assert field_value(html, name) == typed[name]
    assert 'name="cameras" value="sim-2" checked' in html
    assert services.jobs.jobs() == []


def test_a_drive_not_plugged_in_is_said_at_the_top_and_the_form_kept(web, services):
    web.login("otto")
    response = export_form(web, device="/dev/sdz9", what="not_exported")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'id="page-error">Not started: no drive /dev/sdz9' in html
    assert 'name="what" value="not_exported" checked' in html
    assert services.jobs.jobs() == []


def test_an_export_already_going_to_the_drive_is_busy(web, services):
    going = services.jobs.start(
        KIOSK_ADA, EXPORT_JOB, "Export to FIELD 7", until_cancelled(), target="/dev/sda1"
    )
    web.login("otto")
    response = export_form(web)
    assert response.status_code == 409
    assert "Export to FIELD 7 is still going" in response.get_data(as_text=True)
    assert [job.job_id for job in services.jobs.jobs()] == [going.job_id]
    html = page(web, "/storage")
    assert f'href="/jobs/{going.job_id}">Export to FIELD 7</a>' in html
    services.jobs.cancel(KIOSK_ADA, going.job_id)


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/storage/export", {"device": "/dev/sda1", "what": "not_exported"}),
        ("/storage/volumes/sda1/eject", {}),
    ],
)
def test_posts_without_the_csrf_token_are_refused(web, services, drives, url, data):
    drives.mount("/dev/sda1")
    web.login("otto")
    response = web.client.post(url, data=data)
    assert response.status_code == 403
    assert "CSRF" in response.get_data(as_text=True)
    assert services.jobs.jobs() == []
    assert drives.volumes()[-1].mountpoint is not None


def ejected(web, services, device):
    """Eject ``device`` from the storage page: the answer sends the browser to the eject
    job's page; the job's result once it ended."""
    response = post(web, f"/storage/volumes/{device}/eject")
    assert response.status_code == 303, response.get_data(as_text=True)
    job_id = response.headers["Location"].rsplit("/", 1)[-1]
    assert "Eject FIELD 7" in page(web, f"/jobs/{job_id}")
    view = eventually(lambda: (v := services.jobs.job(job_id)).state.finished and v)
    assert view.title == "Eject FIELD 7"
    return view.result


def test_eject_unmounts_and_says_it_is_safe_to_remove(web, services, drives):
    drives.mount("/dev/sda1")
    result = ejected(web.login("otto"), services, "sda1")
    assert result.startswith("FIELD 7 unmounted (not powered off") and result.endswith(
        "safe to remove"
    )
    assert next(v for v in drives.volumes() if v.name == "sda1").mountpoint is None


def test_eject_powers_the_drive_off_where_udisks2_can(web, services, drives):
    drives.udisks = True
    drives.mount("/dev/sda1")
    result = ejected(web.login("ada"), services, "sda1")
    assert result == "FIELD 7 unmounted and powered off, safe to remove"
    assert drives.powered_off == ["/dev/sda1"]
    html = page(web, "/storage")
    assert 'id="drive-sda1"' not in html and 'id="no-drives"' in html


@pytest.mark.parametrize(("device", "status"), [("sdz9", 404), ("SDA1", 400)])
def test_eject_of_a_drive_not_there_is_said_at_the_top(web, device, status):
    web.login("otto")
    response = post(web, f"/storage/volumes/{device}/eject")
    assert response.status_code == status
    assert 'id="page-error">Not ejected: ' in response.get_data(as_text=True)


def test_a_finished_jobs_page_shows_its_figures_and_result_and_no_cancel(web, services):
    view = services.jobs.start(KIOSK_ADA, COUNT, "Count <b>three</b>", counting(3, 2**20))
    eventually(lambda: services.jobs.job(view.job_id).state.finished)
    html = page(web.login("vera"), f"/jobs/{view.job_id}")
    assert "Count &lt;b&gt;three&lt;/b&gt;" in html and "<b>three" not in html
    assert 'id="job-state" role="status">Done<' in html
    assert 'id="job-items">3 of 3 items<' in html
    assert 'id="job-bytes">3 MiB of 3 MiB<' in html
    assert '<progress id="job-bar" aria-label="Progress" max="1000" value="1000">' in html
    assert 'id="job-result">counted 3 items<' in html
    assert 'data-url="/api/v1/jobs/' + view.job_id + '"' in html
    assert 'id="cancel-form"' not in html  # a viewer may not cancel an operator's kind
    assert 'src="/static/jobs.js"' in html
    assert_no_inline_code(html)


def test_an_operator_cancels_a_running_job_from_its_page(web, services):
    view = services.jobs.start(KIOSK_ADA, COUNT, "Forever", until_cancelled())
    web.login("otto")
    html = page(web, f"/jobs/{view.job_id}")
    assert '<form method="post" action="/jobs/' + view.job_id + '/cancel" id="cancel-form">' in html
    response = post(web, f"/jobs/{view.job_id}/cancel")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/jobs/{view.job_id}"
    ended = eventually(lambda: (v := services.jobs.job(view.job_id)).state.finished and v)
    assert ended.error.startswith("cancelled by otto")
    html = page(web, f"/jobs/{view.job_id}")
    assert 'id="job-state" role="status">Cancelled<' in html
    assert "cancelled by otto (operator, remote" in html
    assert 'id="cancel-form" hidden' in html


def test_a_viewer_may_not_cancel_and_csrf_is_needed(web, services):
    view = services.jobs.start(KIOSK_ADA, COUNT, "Forever", until_cancelled())
    web.login("vera")
    assert post(web, f"/jobs/{view.job_id}/cancel").status_code == 403
    web.client.post("/logout", data={"csrf_token": web.csrf})
    web.login("otto")
    assert web.client.post(f"/jobs/{view.job_id}/cancel").status_code == 403
    assert not services.jobs.job(view.job_id).state.finished
    services.jobs.cancel(KIOSK_ADA, view.job_id)


def test_an_unknown_job_is_a_404_page(web):
    response = web.login("vera").client.get("/jobs/no-such-job")
    assert response.status_code == 404
    assert "no job" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("eta_s", "text"),
    [
        (None, ""),
        (0.4, "0 s"),
        (59.4, "59 s"),
        (60, "1 min"),
        (3569, "59 min"),
        (7500, "2 h 5 min"),
    ],
)
def test_time_left_reads_as_people_say_it(eta_s, text):
    assert left_text(eta_s) == text


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (None, "unknown"),
        (0.0, "none: at the floor now"),
        (0.5, "less than a day"),
        (1.2, "about 1 day"),
        (12.6, "about 13 days"),
        (6112.3, "about 6,112 days"),
    ],
)
def test_days_until_full_reads_as_people_say_it(days, text):
    assert days_left(days) == text
