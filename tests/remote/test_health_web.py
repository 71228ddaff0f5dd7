"""Capture health on the web: the dashboard's "Last good capture … ago" and inline SVG chart,
and ``GET /api/v1/cameras/<id>/health`` with the same buckets as the service."""

import re
from html import unescape

from eyepi_gui.domain.health import summary_text
from tests.principals import ADMIN
from tests.services.test_scheduler import drive


def capture_an_hour(station, clock):
    services = station.services
    services.config.update_camera(ADMIN, "sim-1", {"interval_s": 60, "window": "always"})
    services.config.update_camera(ADMIN, "sim-2", {"enabled": False})
    start = clock.now()
    drive(station, clock, start + 3600)
    services.config.update_camera(ADMIN, "sim-1", {"enabled": False})
    clock.set(start + 3600 - 60 + 5 * 60)  # the last capture (12:59) was five minutes ago


def test_the_api_gives_the_services_buckets(station, clock, web):
    capture_an_hour(station, clock)
    body = web.login("vera").client.get("/api/v1/cameras/sim-1/health").get_json()
    health = station.services.overview.capture_health("sim-1")
    assert body["known"] is True and len(body["hours"]) == 24
    assert [(h["expected"], h["taken"], h["gap"]) for h in body["hours"]] == [
        (h.expected, h.taken, h.gap) for h in health.hours
    ]
    assert body["taken"] == body["expected"] == 60  # 12:00 to 12:59, then disabled
    assert body["last_capture_text"] == "5 min ago"
    assert body["summary"] == summary_text(health.hours)


def test_the_api_needs_a_login_and_a_known_camera(client, web):
    assert client.get("/api/v1/cameras/sim-1/health").status_code == 401
    response = web.login("vera").client.get("/api/v1/cameras/nope/health")
    assert response.status_code == 404


def test_the_dashboard_shows_ago_and_the_svg_chart(station, clock, web):
    capture_an_hour(station, clock)
    services = station.services
    services.config.update_camera(ADMIN, "sim-1", {"name": '<script>alert("x")</script>'})
    page = web.login("vera").client.get("/").get_data(as_text=True)
    assert "<script>alert" not in page
    card = page[page.index('data-camera="sim-1"') :]
    card = card[: card.index("</article>")]
    assert 'Last good capture <span class="ago">5 min ago</span>' in card
    svg = card[card.index('<svg class="health-chart"') : card.index("</svg>")]
    summary = summary_text(services.overview.capture_health("sim-1").hours)
    assert f"<title>{summary}</title>" in unescape(svg)
    assert len(re.findall(r'<rect class="taken"', svg)) == 1  # hour 12
    assert len(re.findall(r'<rect class="missed"', svg)) == 0
    assert len(re.findall(r'<rect class="off"', svg)) >= 22  # before the station started


def test_gaps_are_marked_and_off_hours_hatched(app):
    from flask import render_template_string

    from eyepi_gui.domain.health import HourHealth
    from eyepi_gui.services.capture_health import CameraHealth

    def hour(i, expected, taken, running_s=3600.0):
        return HourHealth(i * 3600.0, (i + 1) * 3600.0, expected, taken, running_s, running_s)

    hours = [hour(i, 0, 0, 0.0) for i in range(8)] + [hour(i, 60, 60) for i in range(8, 24)]
    hours[20] = hour(20, 60, 59)  # one slot missed among 60: still marked
    hours[21] = hour(21, 60, 60, running_s=3000.0)  # off for ten minutes: a strip only
    health = CameraHealth("sim-1", 24 * 3600.0, 23 * 3600.0, tuple(hours))
    with app.test_request_context("/"):
        svg = render_template_string(
            '{% from "health_chart.html" import health_chart %}{{ health_chart(h, 7) }}', h=health
        )
    assert svg.count('<rect class="missed"') == 1
    assert svg.count('<rect class="off"') == 8 + 1
    assert svg.count('<rect class="taken"') == 16
    assert 'fill="url(#off-hatch-7)"' in svg and 'id="off-hatch-7"' in svg
    assert "gaps in 1 hour" in svg
