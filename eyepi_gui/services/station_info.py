""" "This station": what a tech at the device tells a colleague (where to point a browser, the
certificate to expect, which version runs). Readable by anyone, locked kiosk included: it
holds nothing secret (no settings, no accounts)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from eyepi_gui import __version__
from eyepi_gui.domain.reach import InterfaceAddress, browser_urls, only_this_machine, reachable
from eyepi_gui.ports import Clock, NetworkAddresses
from eyepi_gui.services.access import reads
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.endpoint import EndpointView, RemoteEndpoint

ENDPOINT_OFF = "the remote endpoint is off (station.toml [remote] enabled = false)"
ENDPOINT_STARTING = "the remote endpoint is starting"
NO_NETWORK = "no network address: connect a cable or join a Wi-Fi network"


@dataclass(frozen=True)
class AboutStation:
    """The station now. ``addresses`` best first (loopback left out, link-local last);
    ``urls`` the endpoint's address on each, best first (empty when it cannot be reached,
    ``remote_note`` says why); times in epoch seconds, uptimes in seconds."""

    hostname: str
    addresses: tuple[InterfaceAddress, ...]
    urls: tuple[str, ...]
    remote_note: str | None
    fingerprint: str | None
    version: str
    station_uptime_s: float
    system_uptime_s: float
    zone: str
    now: float

    @property
    def primary_address(self) -> str | None:
        return self.addresses[0].address if self.addresses else None

    @property
    def primary_url(self) -> str | None:
        """The URL to give a phone first (the QR code's)."""
        return self.urls[0] if self.urls else None


def package_version() -> str:
    """The installed version of eyepi; the source's own when it runs uninstalled.
    (importlib.metadata, some 20 ms to import, is read only when the version is asked for.)"""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("eyepi")
    except PackageNotFoundError:
        return __version__


def zone_name(tz: tzinfo, now: float) -> str:
    """ "Europe/Berlin (CET, +0100)"; a zone read from /etc/localtime has no id, only its
    abbreviation and offset: "localtime (UTC, +0000)"."""
    key = getattr(tz, "key", None) or str(tz)
    return f"{key} ({datetime.fromtimestamp(now, tz):%Z, %z})"


class StationInfo:
    """Answers "what is this station and where do I reach it"; reads the OS on every call
    (addresses come and go with DHCP and cables)."""

    def __init__(
        self,
        source: NetworkAddresses,
        endpoint: RemoteEndpoint,
        config: SettingsService,
        clock: Clock,
    ) -> None:
        self._source, self._endpoint, self._config, self._clock = source, endpoint, config, clock
        self._opened_at = clock.monotonic()

    @reads
    def version(self) -> str:
        return package_version()

    @reads
    def about(self) -> AboutStation:
        source, now = self._source, self._clock.now()
        found = reachable(source.interface_addresses(), source.default_route_address())
        view = self._endpoint.current()
        urls = browser_urls(view.url, found) if view.running and view.url else ()
        return AboutStation(
            hostname=source.hostname(),
            addresses=found,
            urls=urls,
            remote_note=_remote_note(view, urls, self._config.current().remote.enabled),
            fingerprint=view.fingerprint if view.running else None,
            version=package_version(),
            station_uptime_s=self._clock.monotonic() - self._opened_at,
            system_uptime_s=max(0.0, now - source.booted_at()),
            zone=zone_name(self._config.tz(), now),
            now=now,
        )


def _remote_note(view: EndpointView, urls: tuple[str, ...], enabled: bool) -> str | None:
    """Why no browser can use the endpoint, or the catch when only this machine can."""
    if not view.running:
        return view.problem or (ENDPOINT_STARTING if enabled else ENDPOINT_OFF)
    if not urls:
        return NO_NETWORK
    if all(only_this_machine(url) for url in urls):
        return "the remote endpoint listens on this machine only ([remote] bind)"
    return None
