"""The export form on a real loop-device stick (exFAT), through the Flask test client: an
operator starts the export from the page, is sent to the job's page, which shows it ended
"safe to remove"; the storage page lists the export made."""

import re

import pytest

from tests.export_world import DAY
from tests.remote.test_storage_api import web, world  # noqa: F401 - fixtures

pytestmark = pytest.mark.parametrize("usb_stick", ["exfat"], indirect=True)


def test_an_operator_exports_a_day_from_the_page_to_safe_to_remove(world, web):  # noqa: F811
    world.day(3)
    web.login("otto")
    form = web.client.get(f"/storage/export?device={world.stick.device}").get_data(as_text=True)
    assert f'<option value="{world.stick.device}" selected>EYEPI TEST' in form
    response = web.client.post(
        "/storage/export",
        data={
            "csrf_token": web.csrf,
            "device": world.stick.device,
            "cameras": ["sim-1"],
            "what": "days",
            "first_day": DAY,
            "last_day": DAY,
        },
    )
    assert response.status_code == 303, response.get_data(as_text=True)
    job_id = re.fullmatch(r"/jobs/(\w+)", response.headers["Location"]).group(1)
    world.wait(world.services.jobs.job(job_id))
    html = web.client.get(f"/jobs/{job_id}").get_data(as_text=True)
    result = re.search(r'id="job-result">([^<]*)<', html).group(1)
    assert result.endswith("safe to remove"), html
    assert 'id="job-items">3 of 3 items<' in html
    storage = web.client.get("/storage").get_data(as_text=True)
    history = storage[storage.index('id="history"') :]
    assert "EYEPI TEST" in history and "otto (operator, remote" in history
    assert re.search(r"<td>3 <span", history) and "<td>done</td>" in history
    _, files, _ = world.on_stick()
    assert len(files) == 3
    world.drives.unmount(world.stick.device)
