"""The files of a support bundle, each made as it is written into the zip.

Two nets keep secrets out. By rule: station.toml goes through ``settings.redacted`` and every
text (log lines, the doctor's report) through ``text_without_passwords``. By value: the
secrets the settings hold now (stream passwords, given apart or inside a URL) are replaced
wherever they appear, also percent-encoded, JSON-escaped or in base64 (a Basic login),
should a log line or a report quote one some other way. API tokens, their hashes, the
hotspot passphrase and Wi-Fi passwords are never read: no file here comes from state.db,
the passphrase file or NetworkManager.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import logging
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, quote_plus, unquote

from eyepi_gui import settings as cfg
from eyepi_gui.domain.network_cameras import WITHHELD, text_without_passwords
from eyepi_gui.domain.support_bundle import LOG_CAP, LOG_FOLDER, LogPick, LogPiece, readme
from eyepi_gui.errors import EyepiError, InvalidInput
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.day_zip import ZipSink
from eyepi_gui.services.overview import StationOverview
from eyepi_gui.settings.redacted import redacted_toml

_log = logging.getLogger("eyepi.support")

SECRET_MIN = 4
"""Shorter secrets are not replaced by value (the rule still holds): "ab" is in any log."""
Chunks = Callable[[], Iterable[bytes]]


@dataclass(frozen=True)
class BundleSources:
    """Where a bundle's files come from. ``doctor`` makes the ``eyepi doctor`` report (None
    where the station runs without one); ``toml_text`` reads station.toml (None: missing);
    ``logs`` picks the newest log bytes up to a cap, ``log_blocks`` reads a piece in
    blocks of whole lines (each is searched alone: no secret spans two lines)."""

    config: SettingsService
    overview: StationOverview
    doctor: Callable[[], str] | None
    toml_text: Callable[[], str | None]
    versions: Callable[[], list[tuple[str, str]]]
    logs: Callable[[int], LogPick]
    log_blocks: Callable[[LogPiece], Iterator[bytes]]


def bundle_files(sources: BundleSources, when: datetime) -> list[tuple[str, Chunks]]:
    """(name in the zip, its bytes made when written) for every file of a bundle."""
    settings = sources.config.current()
    scrub = Scrub(secrets_of(settings))
    picked = sources.logs(LOG_CAP)
    files: list[tuple[str, Chunks]] = [
        (
            "README.txt",
            _text("README.txt", lambda: readme(settings.station_name, when, picked), scrub),
        ),
        ("station.toml", _text("station.toml", lambda: _station_toml(sources.toml_text()), scrub)),
        ("doctor.txt", _text("doctor.txt", lambda: _doctor(sources.doctor), scrub)),
        ("health.json", _text("health.json", lambda: _health(sources.overview), scrub)),
        ("versions.txt", _text("versions.txt", lambda: _versions(sources.versions()), scrub)),
    ]
    for piece in picked.pieces:
        files.append((f"{LOG_FOLDER}/{piece.name}", _log_file(sources.log_blocks, piece, scrub)))
    return files


def zip_files(files: Iterable[tuple[str, Chunks]], when: datetime) -> Iterator[bytes]:
    """The zip of ``files`` in pieces, compressed, written as made (never whole in memory)."""
    sink = ZipSink()
    stamp = (when.year, when.month, when.day, when.hour, when.minute, when.second)
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        for name, chunks in files:
            info = zipfile.ZipInfo(name, stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w", force_zip64=True) as entry:
                for chunk in chunks():
                    entry.write(chunk)
                    yield sink.take()
        yield sink.take()
    yield sink.take()


class Scrub:
    """Replaces each known secret, in every form it may be written in, by "***"."""

    def __init__(self, secrets: Iterable[str]) -> None:
        forms = {form for secret in secrets for form in _forms(secret)}
        self._forms = sorted((f.encode() for f in forms if len(f) >= SECRET_MIN), key=len)[::-1]

    def __call__(self, data: bytes) -> bytes:
        for form in self._forms:
            data = data.replace(form, WITHHELD.encode())
        return data


def secrets_of(settings: cfg.StationSettings) -> list[str]:
    """The secrets ``settings`` hold: each camera's password, given apart or in its URL."""
    found = []
    for camera in settings.network_cameras.values():
        if camera.password:
            found.append(camera.password)
        login = camera.url.partition("://")[2].rpartition("@")[0]
        _user, colon, password = login.partition(":")
        if colon and password:
            found += [password, unquote(password)]
    return found


def _forms(secret: str) -> set[str]:
    """``secret`` as written raw, percent-encoded, JSON-escaped and in base64 (alone)."""
    encoded = base64.b64encode(secret.encode()).decode()
    return {secret, quote(secret, safe=""), quote_plus(secret), json.dumps(secret)[1:-1], encoded}


def _text(name: str, make: Callable[[], str], scrub: Scrub) -> Chunks:
    """The file ``name`` made by ``make``; one that fails says so, never ends the bundle (a
    bundle is made when things are broken). Only the error's kind is written: its words
    might quote a value."""

    def made() -> list[bytes]:
        try:
            text = make()
        except Exception as err:  # whatever went wrong, the other files still go
            _log.exception("%s could not be made for a support bundle", name)
            text = f"{name} could not be made ({type(err).__name__}): the station log says why\n"
        return [scrub(text_without_passwords(text).encode())]

    return made


def _log_file(read: Callable[[LogPiece], Iterator[bytes]], piece: LogPiece, scrub: Scrub) -> Chunks:
    def blocks() -> Iterator[bytes]:
        for block in read(piece):
            shown = text_without_passwords(block.decode("utf-8", "surrogateescape"))
            yield scrub(shown.encode("utf-8", "surrogateescape"))

    return blocks


def _station_toml(text: str | None) -> str:
    if text is None:
        return "# no station.toml: the station runs on defaults\n"
    try:
        return redacted_toml(cfg.parse_toml(text))
    except InvalidInput as err:
        return f"# station.toml could not be read, so none of it is here: {err.reason}\n"


def _doctor(doctor: Callable[[], str] | None) -> str:
    if doctor is None:
        return "this station runs without `eyepi doctor`: run it on the station itself\n"
    return doctor() + "\n"


def _health(overview: StationOverview) -> str:
    """The status bar's figures, and each camera's state and last 24 hours of captures."""
    cameras = {}
    for camera in overview.cameras():
        camera_id = camera.info.camera_id
        shown: dict[str, object] = {"state": camera.state.value, "detail": camera.detail}
        try:
            health = overview.capture_health(camera_id)
        except EyepiError as err:
            shown["problem"] = str(err)
        else:
            shown |= {"expected": health.expected, "taken": health.taken, "gaps": health.gaps}
            shown |= dataclasses.asdict(health)
        cameras[camera_id] = shown
    station = dataclasses.asdict(overview.health())
    return json.dumps({"station": station, "cameras": cameras}, indent=1, default=str) + "\n"


def _versions(pairs: list[tuple[str, str]]) -> str:
    return "".join(f"{name:<16}{version}\n" for name, version in pairs)
