"""What the Network tab reads, in one go off the GUI thread (the panel's TaskRunner work)."""

from __future__ import annotations

from dataclasses import dataclass

from eyepi_gui.domain.access import Principal
from eyepi_gui.domain.network import HotspotInfo, NetworkStatus, SavedNetwork, WifiNetwork
from eyepi_gui.errors import EyepiError
from eyepi_gui.services.station_services import StationServices
from eyepi_gui.settings.network import NetworkSettings


@dataclass(frozen=True)
class NetworkView:
    """What one refresh read for ``principal``: status, saved profiles, hotspot, settings."""

    principal: Principal
    status: NetworkStatus
    saved: list[SavedNetwork]
    hotspot: HotspotInfo | None
    settings: NetworkSettings


def fetch_view(services: StationServices, principal: Principal) -> NetworkView:
    """Runs on a TaskRunner thread; raises nothing for NetworkManager down (``status``)."""
    network = services.network
    status, saved, hotspot = network.status(), [], None
    if status.available:
        try:
            saved = network.saved()
            hotspot = network.hotspot_info(principal)
        except EyepiError:
            pass  # NetworkManager went away between the calls: the next refresh says so
    return NetworkView(principal, status, saved, hotspot, services.config.current().network)


def fetch_wifi(
    services: StationServices, principal: Principal, rescan: bool
) -> tuple[Principal, list[WifiNetwork]]:
    """Runs on a TaskRunner thread."""
    return principal, services.network.wifi_networks(principal, rescan)
