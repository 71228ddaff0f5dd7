"""A station full of secrets, and a support bundle's files read back, for the bundle tests.

``secret_station`` has a network camera whose password is kept apart, one whose password
is inside its URL, an API token, a joined Wi-Fi network, a hotspot passphrase, and log lines
that quote a camera URL with its password and the password itself. ``SECRETS`` lists them,
and ``forms`` every way one may be written (percent-encoded, JSON-escaped, base64).
"""

import base64
import hashlib
import io
import json
import logging
import zipfile
from urllib.parse import quote, quote_plus

from eyepi_gui.domain.access import Principal
from eyepi_gui.station import Station
from tests.principals import ADMIN
from tests.services.conftest import LAB_WIFI

APART = "Gate p@ss/w?rd:1"
INLINE = "inl1ne/secret"
INLINE_URL = f"rtsp://ops:{quote(INLINE, safe='')}@127.0.0.1:9/door?channel=1"


def forms(secret: str) -> set[str]:
    """``secret`` as any file might hold it."""
    return {
        secret,
        quote(secret, safe=""),
        quote(secret),
        quote_plus(secret),
        json.dumps(secret)[1:-1],
        base64.b64encode(secret.encode()).decode(),
        base64.b64encode(f"admin:{secret}".encode()).decode(),
        base64.b64encode(f"ops:{secret}".encode()).decode(),
    }


def fill_with_secrets(station: Station, user: Principal) -> dict[str, str]:
    """Give ``station`` every kind of secret (an API token of ``user``, who has an
    account); returns them by what they are."""
    services = station.services
    services.network_cameras.add(ADMIN, "gate", "rtsp://admin@127.0.0.1:9/gate", APART)
    services.network_cameras.add(ADMIN, "door", INLINE_URL)
    _info, token = services.tokens.create(user, "ci")
    services.network.join_wifi(ADMIN, *LAB_WIFI)
    hotspot = services.network.hotspot_info(ADMIN).passphrase
    log = logging.getLogger("eyepi.test")
    log.warning("could not open rtsp://admin:%s@127.0.0.1:9/gate", quote(APART, safe=""))
    log.warning("stream login was %s, tried %s", APART, INLINE)
    for handler in logging.getLogger("eyepi").handlers:
        handler.flush()
    return {
        "camera password": APART,
        "password in a URL": INLINE,
        "API token": token,
        "API token hash": hashlib.sha256(token.encode()).hexdigest(),
        "Wi-Fi password": LAB_WIFI[1],
        "hotspot passphrase": hotspot,
    }


def unzipped(data: bytes) -> dict[str, bytes]:
    """Every file of the zip ``data`` (which must test clean)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def leaks(files: dict[str, bytes], secrets: dict[str, str]) -> list[str]:
    """Each (what, form, file) where a secret is found, in any of its forms."""
    found = []
    for what, secret in secrets.items():
        for form in forms(secret):
            for name, data in files.items():
                if form.encode() in data:
                    found.append(f"{what} as {form!r} in {name}")
    return found
