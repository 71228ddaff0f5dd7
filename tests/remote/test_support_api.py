"""``GET /api/v1/support/bundle``: an operator downloads a streamed zip named after the
station and the time (safe characters only) holding no secret of the station; viewers are
refused; the storage page offers the download to whoever may have it."""

import re

from eyepi_gui.domain.access import Origin, Principal, Role
from tests.principals import ADMIN
from tests.services.bundle_world import fill_with_secrets, leaks, unzipped

URL = "/api/v1/support/bundle"
ADA = Principal("ada", Role.ADMIN, Origin.KIOSK)


def test_an_operator_downloads_a_streamed_zip_without_a_secret(station, web):
    secrets = fill_with_secrets(station, ADA)
    station.services.config.update_station(ADMIN, {"station_name": 'north "field" #2'})
    web.login("otto")
    response = web.client.get(URL, buffered=False)
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/zip"
    assert response.headers["Cache-Control"] == "no-store"
    disposition = response.headers["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="eyepi-support-north-field-2-\d{8}-\d{6}\.zip"', disposition
    )
    files = unzipped(b"".join(response.iter_encoded()))
    assert {"README.txt", "station.toml", "logs/eyepi.jsonl"} <= set(files)
    assert 'north "field" #2' in files["README.txt"].decode()
    assert leaks(files, secrets) == []


def test_a_viewer_is_refused(web):
    web.login("vera")
    response = web.client.get(URL)
    assert response.status_code == 403
    assert response.get_json()["error"] == "Forbidden"


def test_the_storage_page_offers_the_bundle_to_operators(web):
    web.login("otto")
    page = web.client.get("/storage").get_data(as_text=True)
    assert f'id="support-bundle" href="{URL}" download>Download support bundle</a>' in page
    assert 'id="support-refusal"' not in page


def test_the_storage_page_tells_a_viewer_who_may(web):
    web.login("vera")
    page = web.client.get("/storage").get_data(as_text=True)
    assert 'id="support-bundle"' not in page
    assert 'id="support-refusal"' in page
