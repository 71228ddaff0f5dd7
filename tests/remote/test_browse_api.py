"""The capture browser's API and pages through the Flask client: days, a day's images with
focus score and drift, thumbnails (made once, then from the cache), the day as a streamed
zip, bad input refused naming the field, names escaped on the pages."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import cv2
import numpy as np
import pytest

from eyepi_gui.domain.access import Origin, Principal, Role
from tests.browse_day import fill_day

ADA = Principal("ada", Role.ADMIN, Origin.KIOSK)


@pytest.fixture
def day(station):
    start = datetime(2026, 5, 30, 6, 0, tzinfo=station.services.config.tz()).timestamp()
    return fill_day(station, "sim-1", start, 5, scores=[50.0, 10.0, None, 45.0, 44.0])


def lock_focus(station, reference: float) -> None:
    """Lock sim-1's focus at ``reference``: images scoring under half of it drifted."""
    lock = {"reference": reference, "roi": [0.25, 0.25, 0.5, 0.5], "drift_fraction": 0.5}
    station.services.config.update_camera(ADA, "sim-1", {"focus_lock": lock})


def test_a_camera_lists_its_days_newest_first(web, client, station, day):
    web.login("vera")
    start = datetime(2026, 5, 28, 23, 30, tzinfo=station.services.config.tz()).timestamp()
    fill_day(station, "sim-1", start, 3, step_s=20 * 60)  # 23:30, 23:50, then 00:10 next day
    days = client.get("/api/v1/captures/days?camera=sim-1").get_json()
    assert days == [
        {"day": "2026-05-30", "count": 5},
        {"day": "2026-05-29", "count": 1},
        {"day": "2026-05-28", "count": 2},
    ]
    assert client.get("/api/v1/captures/days?camera=sim-2").get_json() == []


def test_a_day_lists_its_images_oldest_first_with_score_and_drift(web, client, station, day):
    lock_focus(station, 40.0)  # drift below 20
    web.login("vera")
    images = client.get("/api/v1/captures/day?camera=sim-1&day=2026-05-30").get_json()
    assert [i["id"] for i in images] == day.ids
    assert [i["focus_score"] for i in images] == [50.0, 10.0, None, 45.0, 44.0]
    assert [i["drifted"] for i in images] == [False, True, False, False, False]
    assert all("/" not in i["file_name"] for i in images)
    assert client.get("/api/v1/captures/day?camera=sim-1&day=2026-05-29").get_json() == []


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("camera=sim-1&day=2026-02-30", "day"),
        ("camera=sim-1&day=30-05-2026", "day"),
        ("camera=sim-1&day=", "day"),
        ("camera=sim-1", "day"),
        ("camera=..%2Fetc&day=2026-05-30", "camera"),
        ("day=2026-05-30", "camera"),
        ("camera=sim-1&day=2026-05-30&extra=1", "extra"),
    ],
)
def test_bad_input_is_refused_naming_the_field(web, client, query, field):
    web.login("vera")
    for path in ("day", "day.zip"):
        response = client.get(f"/api/v1/captures/{path}?{query}")
        assert response.status_code == 400, (path, query)
        assert field in response.get_json()["message"], response.get_json()


def test_a_thumbnail_is_a_small_jpeg_made_once(web, client, station, day):
    web.login("vera")
    first = client.get(f"/api/v1/captures/{day.ids[0]}/thumbnail?size=160")
    assert first.status_code == 200 and first.mimetype == "image/jpeg"
    pixels = cv2.imdecode(np.frombuffer(first.data, np.uint8), cv2.IMREAD_COLOR)
    assert max(pixels.shape[:2]) <= 160
    cached = list((station.home / "cache" / "thumbnails").iterdir())
    assert len(cached) == 1 and cached[0].name.startswith(f"{day.ids[0]}-")
    cached[0].write_bytes(b"marked")  # served from the cache from now on
    assert client.get(f"/api/v1/captures/{day.ids[0]}/thumbnail").data == b"marked"


def test_a_replaced_file_gets_a_new_thumbnail(web, client, station, day):
    web.login("vera")
    client.get(f"/api/v1/captures/{day.ids[1]}/thumbnail")
    from tests.browse_day import jpeg

    day.paths[1].write_bytes(jpeg(99, 320, 240))
    again = client.get(f"/api/v1/captures/{day.ids[1]}/thumbnail")
    pixels = cv2.imdecode(np.frombuffer(again.data, np.uint8), cv2.IMREAD_COLOR)
    assert pixels.shape[:2] == (120, 160)  # the new 320x240 file, scaled
    assert len(list((station.home / "cache" / "thumbnails").iterdir())) == 2


@pytest.mark.parametrize(("size", "status"), [("7", 400), ("abc", 400), ("320", 200)])
def test_thumbnail_sizes(web, client, day, size, status):
    web.login("vera")
    assert client.get(f"/api/v1/captures/{day.ids[0]}/thumbnail?size={size}").status_code == status


def test_thumbnails_of_what_is_no_image(web, client, day):
    web.login("vera")
    assert client.get("/api/v1/captures/999999/thumbnail").status_code == 404
    day.paths[2].write_bytes(b"not a jpeg at all")
    response = client.get(f"/api/v1/captures/{day.ids[2]}/thumbnail")
    assert response.status_code == 503, response.get_json()
    day.paths[3].unlink()
    assert client.get(f"/api/v1/captures/{day.ids[3]}/thumbnail").status_code == 404


def test_the_day_downloads_as_a_zip_of_every_image(web, client, day):
    web.login("vera")
    response = client.get("/api/v1/captures/day.zip?camera=sim-1&day=2026-05-30")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="sim-1-2026-05-30.zip"'
    )
    assert response.is_streamed
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    assert archive.namelist() == [p.name for p in day.paths]
    for path in day.paths:
        assert archive.read(path.name) == path.read_bytes()
        assert archive.getinfo(path.name).compress_type == zipfile.ZIP_STORED


def test_a_file_gone_since_the_listing_is_left_out_of_the_zip(web, client, day):
    web.login("vera")
    day.paths[0].unlink()
    data = client.get("/api/v1/captures/day.zip?camera=sim-1&day=2026-05-30").data
    assert zipfile.ZipFile(io.BytesIO(data)).namelist() == [p.name for p in day.paths[1:]]


def test_the_pages_show_days_thumbnails_and_the_full_view(web, client, station, day):
    lock_focus(station, 40.0)
    web.login("vera")
    page = client.get("/captures?camera=sim-1&day=2026-05-30").get_data(as_text=True)
    for record_id in day.ids:
        assert f'src="/api/v1/captures/{record_id}/thumbnail" loading="lazy"' in page
    assert page.count("thumb drifted") == 1
    assert "day.zip?camera=sim-1&amp;day=2026-05-30" in page
    full = client.get(f"/captures/{day.ids[1]}").get_data(as_text=True)
    assert f'href="/captures/{day.ids[0]}"' in full and f'href="/captures/{day.ids[2]}"' in full
    assert "2 of 5" in full and "focus drifted" in full
    assert client.get("/captures/999999").status_code == 404
    assert client.get("/captures?camera=sim-1&day=nope").status_code == 400


def test_camera_names_are_escaped_on_the_pages(web, client, station, day):
    station.services.config.update_camera(ADA, "sim-1", {"name": "<b>x</b><script>y</script>"})
    web.login("vera")
    for url in ("/captures?camera=sim-1&day=2026-05-30", f"/captures/{day.ids[0]}"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>y" not in page and "&lt;script&gt;y" in page, url


def test_an_image_past_the_most_a_day_lists_is_shown_on_its_own(web, client, day, monkeypatch):
    from eyepi_gui.domain import browse

    monkeypatch.setattr(browse, "DAY_MAX", 2)
    monkeypatch.setattr("eyepi_gui.services.browse.DAY_MAX", 2)
    web.login("vera")
    page = client.get(f"/captures/{day.ids[4]}")
    assert page.status_code == 200
    assert "1 of 1" in page.get_data(as_text=True)
    listed = client.get("/api/v1/captures/day?camera=sim-1&day=2026-05-30").get_json()
    assert [i["id"] for i in listed] == day.ids[:2]


def test_an_unknown_or_malformed_camera_on_the_page(web, client, day):
    web.login("vera")
    page = client.get("/captures?camera=no-such-camera").get_data(as_text=True)
    assert "No kept images of this camera yet." in page
    assert client.get("/captures?camera=..%2Fetc").status_code == 404


def test_a_camera_no_longer_connected_is_still_offered(web, client, station, day):
    station.services.config.update_camera(ADA, "old-cam", {"name": "Unplugged"})
    web.login("vera")
    page = client.get("/captures").get_data(as_text=True)
    assert '<option value="old-cam">Unplugged (old-cam)</option>' in page
    assert '<option value="sim-1" selected>' in page
