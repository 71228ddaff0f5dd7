"""The station's network (``/api/v1/network``): status, Wi-Fi, saved profiles, addressing,
hostname, the hotspot, and the change waiting for confirmation.

Everyone logged in reads; operators join, forget, order and rescan Wi-Fi; admins change
addressing, the hostname and the hotspot settings (the service decides). The admins' changes
are station changes: a browser whose user typed the password recently (``needs_password``),
never an API token. A change from here that can cut off whoever makes it answers 202 with
the change waiting: NetworkManager undoes it unless it is confirmed in time (the service
decides which and for how long). Passwords go in only: no answer, log line or audit entry
holds one.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from eyepi_gui.domain.network import PendingChange
from remote.api.registry import API, PREFIX
from remote.auth import needs_password, principal, services
from remote.confirm_link import UNKNOWN_ADDRESS, confirm_link
from remote.network_models import (
    HostnameIn,
    HotspotIn,
    HotspotOut,
    Ipv4In,
    NetworkStatusOut,
    PendingChangeOut,
    PendingOut,
    PriorityIn,
    SavedNetworkOut,
    WifiJoinIn,
    WifiNetworkOut,
    new_address,
)

blueprint = Blueprint("network", __name__, url_prefix=f"{PREFIX}/network")
WAITS = "; answers 202 with the change waiting for confirmation"


@API.route(
    blueprint,
    "/status",
    summary="Devices, the addresses that reach the station, hostname, hotspot (without its "
    "passphrase) and the change waiting; never fails for NetworkManager being down",
    response=NetworkStatusOut,
)
def status() -> NetworkStatusOut:
    network = services().network
    settings = services().config.current().network
    return NetworkStatusOut.of(network.status(), settings, network.now())


@API.route(
    blueprint,
    "/wifi",
    summary="Wi-Fi networks in range, strongest first",
    response=list[WifiNetworkOut],
)
def wifi() -> list[WifiNetworkOut]:
    return [WifiNetworkOut.of(n) for n in services().network.wifi_networks(principal())]


@API.route(
    blueprint,
    "/wifi/rescan",
    "POST",
    summary="Make the radio look for networks again, then list them (operator)",
    response=list[WifiNetworkOut],
)
def rescan() -> list[WifiNetworkOut]:
    found = services().network.wifi_networks(principal(), rescan=True)
    return [WifiNetworkOut.of(n) for n in found]


@API.route(
    blueprint,
    "/wifi/join",
    "POST",
    summary="Save and connect a Wi-Fi network (operator; the password is never shown again)"
    + WAITS,
    body=WifiJoinIn,
    response=PendingChangeOut,
    status=202,
)
def join(body: WifiJoinIn) -> Response:
    change = services().network.join_wifi(
        principal(), body.ssid or "", body.password, body.hidden, ssid_hex=body.ssid_hex
    )
    return _waiting(change)


@API.route(
    blueprint,
    "/saved",
    summary="Saved profiles (Wi-Fi, Ethernet, the hotspot)",
    response=list[SavedNetworkOut],
)
def saved() -> list[SavedNetworkOut]:
    return [SavedNetworkOut.of(profile) for profile in services().network.saved()]


@API.route(
    blueprint,
    "/saved/<uuid>",
    "DELETE",
    summary="Forget a saved profile (operator)" + WAITS,
    response=PendingChangeOut,
    status=202,
)
def forget(uuid: str) -> Response:
    return _waiting(services().network.forget(principal(), uuid))


@API.route(
    blueprint,
    "/saved/<uuid>",
    "PATCH",
    summary="Set a saved profile's autoconnect priority (operator)" + WAITS,
    body=PriorityIn,
    response=PendingChangeOut,
    status=202,
)
def set_priority(uuid: str, body: PriorityIn) -> Response:
    return _waiting(services().network.set_priority(principal(), uuid, body.priority))


@API.route(
    blueprint,
    "/saved/<uuid>/ipv4",
    "PUT",
    summary="DHCP or a static address for a saved profile (admin)" + WAITS,
    body=Ipv4In,
    response=PendingChangeOut,
    status=202,
)
@needs_password
def set_ipv4(uuid: str, body: Ipv4In) -> Response:
    change = services().network.set_addressing(
        principal(), uuid, body.method, body.address, body.prefix, body.gateway, body.dns
    )
    return _waiting(change, new_address(body.method, body.address), moves=True)


@API.route(
    blueprint,
    "/hostname",
    "PUT",
    summary="Set the machine's hostname (admin); it cuts nobody off, so it applies at once",
    body=HostnameIn,
    response=HostnameIn,
)
@needs_password
def set_hostname(body: HostnameIn) -> HostnameIn:
    return HostnameIn(hostname=services().network.set_hostname(principal(), body.hostname))


@API.route(
    blueprint,
    "/hotspot",
    summary="The hotspot: SSID, whether it is up, the fallback settings, and its passphrase "
    "for operators and admins",
    response=HotspotOut,
)
def hotspot() -> HotspotOut:
    station = services()
    info = station.network.hotspot_info(principal())
    return HotspotOut.of(info, station.config.current().network)


@API.route(
    blueprint,
    "/hotspot",
    "PUT",
    summary="Turn the hotspot fallback on or off and set its wait (admin)",
    body=HotspotIn,
    response=HotspotOut,
)
@needs_password
def set_hotspot(body: Any) -> HotspotOut:
    station, who = services(), principal()
    settings = station.network.set_hotspot(who, body.fallback, body.after_s)
    return HotspotOut.of(station.network.hotspot_info(who), settings)


@API.route(
    blueprint,
    "/pending",
    summary="The change waiting for confirmation, if any",
    response=PendingOut,
)
def pending() -> PendingOut:
    network = services().network
    change = network.pending()
    return PendingOut(
        pending=None if change is None else PendingChangeOut.of(change, network.now())
    )


@API.route(
    blueprint,
    "/pending/<change_id>/confirm",
    "POST",
    summary="Keep the waiting change (who may make it); 404 once it was undone",
    status=204,
)
def confirm(change_id: str) -> None:
    services().network.confirm(principal(), change_id)


@API.route(
    blueprint,
    "/pending/<change_id>/revert",
    "POST",
    summary="Undo the waiting change now (who may make it)",
    status=204,
)
def revert(change_id: str) -> None:
    services().network.revert(principal(), change_id)


def _waiting(
    change: PendingChange | None, new_address: str | None = None, *, moves: bool = False
) -> Response:
    """202 with the change waiting and where to confirm it, with the one-tap
    ``confirm_link`` (remote.confirm_link) for its maker; 204 when the service applied the
    change at once (it does not for changes from this endpoint). ``moves``: an addressing
    change (the station's address after it is ``new_address``, unknown for DHCP)."""
    if change is None:
        return Response(status=204)
    link = confirm_link(change, new_address, moves)
    unknown = UNKNOWN_ADDRESS if moves and new_address is None else ""
    out = PendingChangeOut.of(change, services().network.now(), new_address, link, unknown)
    response = jsonify(out.model_dump(mode="json"))
    response.status_code = 202
    response.headers["Location"] = f"{PREFIX}/network/pending"
    return response
