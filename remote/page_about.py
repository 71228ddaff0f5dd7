"""The "This station" page: hostname, addresses, the endpoint's URLs with a QR code to open on
a phone, the TLS fingerprint, version, uptimes, zone and clock. For any logged-in user."""

from __future__ import annotations

from flask import Blueprint, render_template
from markupsafe import Markup

from eyepi_gui.domain.qr import qr_svg
from eyepi_gui.domain.reach import duration_text
from remote.auth import services

blueprint = Blueprint("about", __name__, url_prefix="/station")
blueprint.add_app_template_filter(duration_text, "duration")


@blueprint.get("/about")
def show() -> str:
    about = services().station_info.about()
    # Markup: the SVG is the code's geometry only (see qr_svg), no text from anyone
    qr = Markup(qr_svg(about.primary_url)) if about.primary_url else None  # noqa: S704
    return render_template("about.html", about=about, qr=qr)
