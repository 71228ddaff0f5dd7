"""The station's network: status, Wi-Fi, addressing, hostname and the hotspot fallback,
over NetworkManager (``ports.NetworkBackend``).

Operators join, forget and order Wi-Fi networks (``WIFI_JOIN``); admins change addressing
and the hotspot settings (``NETWORK_SETTINGS``) and the hostname (``HOSTNAME``); everyone
logged in sees the status. Input is checked (``domain.network_rules``) before NetworkManager
is asked anything, so a rejected value changes nothing. Passwords go to NetworkManager
only: never into the audit trail, a log record or an event.

Changes from the remote endpoint wait for confirmation (``services.network_changes``); the
hotspot fallback runs on a monitor thread (``services.hotspot_fallback``), which also
notices changes NetworkManager rolled back by itself.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from eyepi_gui.domain.access import Origin, Permission, Principal, allowed
from eyepi_gui.domain.events import NetworkChanged
from eyepi_gui.domain.network import (
    DeviceKind,
    HotspotInfo,
    NetworkStatus,
    PendingChange,
    SavedNetwork,
    WifiNetwork,
    reachable,
)
from eyepi_gui.domain.network_rules import (
    check_hostname,
    check_ipv4,
    check_priority,
    check_psk,
    check_ssid,
)
from eyepi_gui.errors import EyepiError, InvalidInput, NotFound
from eyepi_gui.ports import Clock, NetworkBackend, PrivateFile
from eyepi_gui.services.access import AccessControl, internal, reads, requires, unauthenticated
from eyepi_gui.services.audit import AuditLog
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus
from eyepi_gui.services.hotspot_fallback import HotspotFallback
from eyepi_gui.services.network_changes import SafeChanges, Undo
from eyepi_gui.settings.network import NetworkSettings

_log = logging.getLogger("eyepi.network")
_UUID = re.compile(r"[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
MAX_WAIT_S = 30.0
"""Longest the monitor thread sleeps between looks (s)."""
STOP_JOIN_S = 5.0


@dataclass(frozen=True)
class _Step:
    """One change as the audit trail and the events name it: ``what`` for people."""

    permission: Permission
    action: str
    target: str
    what: str


class NetworkService:
    """See the module. ``start`` recovers a change left waiting by an earlier run and starts
    the monitor thread; ``stop`` ends it."""

    def __init__(
        self,
        backend: NetworkBackend,
        config: SettingsService,
        access: AccessControl,
        audit: AuditLog,
        bus: EventBus,
        clock: Clock,
        marker: PrivateFile,
        hotspot_secret: PrivateFile,
    ) -> None:
        self._backend, self._config, self.access = backend, config, access
        self._audit, self._bus, self._clock = audit, bus, clock
        self._changes = SafeChanges(backend, marker, clock, bus)
        self._fallback = HotspotFallback(
            backend, config, hotspot_secret, clock, bus, lambda: self._changes.pending() is not None
        )
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @reads
    def status(self) -> NetworkStatus:
        """Devices, reachable addresses, hotspot (without its passphrase) and the change
        waiting. Never raises: without NetworkManager, ``available`` is False and
        ``problem`` says why."""
        self._changes.check()
        pending = self._changes.pending()
        try:
            hostname, devices = self._backend.hostname(), self._backend.devices()
            hotspot = self._fallback.info(devices, with_passphrase=False)
        except EyepiError as err:
            return NetworkStatus("", (), (), None, pending, available=False, problem=str(err))
        return NetworkStatus(hostname, tuple(devices), reachable(devices), hotspot, pending)

    @reads
    def saved(self) -> list[SavedNetwork]:
        """Saved profiles (Wi-Fi, Ethernet, the hotspot): what forget, priority and
        addressing take by ``uuid``. Raises CommandFailed without NetworkManager."""
        return self._backend.saved()

    @reads
    def pending(self) -> PendingChange | None:
        """The change waiting for confirmation, if any."""
        self._changes.check()
        return self._changes.pending()

    @reads
    def now(self) -> float:
        """The service's clock (epoch s), which a waiting change's deadline is counted on:
        frontends show the seconds left from it."""
        return self._clock.now()

    @requires(Permission.VIEW)
    def wifi_networks(self, principal: Principal, rescan: bool = False) -> list[WifiNetwork]:
        """Wi-Fi networks in range, strongest first; ``rescan`` (``WIFI_JOIN``) makes the
        radio look again first."""
        if rescan:
            self.access.authorize(principal, Permission.WIFI_JOIN)
        return self._backend.wifi_networks(rescan)

    @requires(Permission.WIFI_JOIN)
    def join_wifi(
        self,
        principal: Principal,
        ssid: str,
        password: str | None,
        hidden: bool = False,
        *,
        ssid_hex: str | None = None,
    ) -> PendingChange | None:
        """Save and connect a Wi-Fi network: WPA2/WPA3-personal with ``password``, open
        with None or "". ``ssid_hex`` (the exact bytes from a scan) wins over ``ssid``.
        Returns the change waiting for confirmation (remote), else None. Raises
        InvalidInput ("ssid", "password")."""
        data = _ssid_bytes(ssid, ssid_hex)
        psk = password or None
        if psk is not None:
            check_psk(psk)
        name = data.decode("utf-8", "replace")

        def apply(undo: Undo) -> None:
            before = {p.uuid for p in self._backend.saved()}
            made = self._backend.join_wifi(data.hex(), psk, hidden=hidden)
            undo.remove += [made.uuid] if made.uuid not in before else []

        step = _Step(Permission.WIFI_JOIN, "wifi_join", name, f"joined Wi-Fi {name!r}")
        return self._change(principal, step, Undo(active=self._active()), apply)

    @requires(Permission.WIFI_JOIN)
    def forget(self, principal: Principal, uuid: str) -> PendingChange | None:
        """Delete a saved profile. NotFound for an unknown ``uuid``."""
        profile = self._profile(uuid)
        step = _Step(
            Permission.WIFI_JOIN, "network_forget", profile.name, f"forgot {profile.name!r}"
        )
        undo = Undo(active=self._active(), lost=[profile.name])
        return self._change(principal, step, undo, lambda _: self._backend.forget(profile.uuid))

    @requires(Permission.WIFI_JOIN)
    def set_priority(self, principal: Principal, uuid: str, priority: int) -> PendingChange | None:
        """Set a profile's autoconnect priority (-999..999, higher wins)."""
        check_priority(priority)
        profile = self._profile(uuid)
        uuid = profile.uuid
        what = f"priority of {profile.name!r} set to {priority}"
        step = _Step(Permission.WIFI_JOIN, "network_priority", profile.name, what)
        undo = Undo(priority={uuid: profile.priority})
        return self._change(
            principal, step, undo, lambda _: self._backend.set_priority(uuid, priority)
        )

    @requires(Permission.NETWORK_SETTINGS)
    def set_addressing(
        self,
        principal: Principal,
        uuid: str,
        method: str,
        address: str | None = None,
        prefix: int | None = None,
        gateway: str | None = None,
        dns: str | list[str] | None = None,
    ) -> PendingChange | None:
        """DHCP ("auto") or static ("manual": address, prefix, gateway, DNS) for a profile,
        saved and applied now. Raises InvalidInput ("ipv4.method", "ipv4.address",
        "ipv4.prefix", "ipv4.gateway", "ipv4.dns")."""
        config = check_ipv4(method, address, prefix, gateway, dns)
        profile = self._profile(uuid)
        uuid = profile.uuid
        what = f"{profile.name!r} set to {config.address or 'DHCP'}"
        step = _Step(Permission.NETWORK_SETTINGS, "network_addressing", profile.name, what)
        undo = Undo(ipv4={uuid: profile.ipv4}, active=self._active())
        return self._change(principal, step, undo, lambda _: self._backend.set_ipv4(uuid, config))

    @requires(Permission.HOSTNAME)
    def set_hostname(self, principal: Principal, name: str) -> str:
        """Set the machine's hostname (one RFC 1123 label, lowercased); returns it."""
        check_hostname(name)
        hostname = name.lower()  # NetworkManager keeps names as given: one spelling here
        try:
            self._backend.set_hostname(hostname)
        except EyepiError:
            self._audit.record(principal, "hostname", hostname, ok=False)
            raise
        self._audit.record(principal, "hostname", hostname)
        self._bus.publish(NetworkChanged(f"hostname set to {hostname}", principal.label))
        return hostname

    @requires(Permission.NETWORK_SETTINGS)
    def set_hotspot(self, principal: Principal, fallback: bool, after_s: int) -> NetworkSettings:
        """Turn the hotspot fallback on or off and set its wait (station.toml [network]).
        Raises InvalidInput ("network.hotspot_after_s")."""
        changes = {"network": {"hotspot_fallback": fallback, "hotspot_after_s": after_s}}
        settings = self._config.update_station(principal, changes).network
        self._clock.wake()  # the monitor looks again with the new values
        return settings

    @requires(Permission.VIEW)
    def hotspot_info(self, principal: Principal) -> HotspotInfo:
        """The hotspot's SSID, whether it is up, and its passphrase for operators and admins
        ("" for viewers). Raises CommandFailed without NetworkManager."""
        shown = allowed(self.access.role_of(principal), Permission.WIFI_JOIN)
        return self._fallback.info(self._backend.devices(), with_passphrase=shown)

    @requires(Permission.WIFI_JOIN)
    def confirm(self, principal: Principal, change_id: str) -> None:
        """Keep the waiting change (from the kiosk or the remote endpoint); needs the
        permission the change needed. NotFound when it is not waiting (any more)."""
        self.access.authorize(principal, self._changes.permission(change_id))
        self._changes.confirm(principal, change_id)
        self._audit.record(principal, "network_confirm", change_id)

    @requires(Permission.WIFI_JOIN)
    def revert(self, principal: Principal, change_id: str) -> None:
        """Undo the waiting change now; needs the permission the change needed."""
        self.access.authorize(principal, self._changes.permission(change_id))
        self._changes.revert(change_id)
        self._audit.record(principal, "network_revert", change_id)

    @unauthenticated
    def confirm_with_key(self, change_id: str, key: str, where: str) -> None:
        """Keep the waiting change with its confirmation key (the link its maker got; see
        services.network_changes): the key is the authority, no login. Audited as the
        change's maker, "confirmed from ``where``" (the client's address). Forbidden for a
        wrong key or change id alike; NotFound once the change was kept or undone."""
        maker = self._by_key(change_id, key)
        self._changes.confirm(maker, change_id)
        self._audit.record(maker, "network_confirm", change_id, f"confirmed from {where}")

    @unauthenticated
    def revert_with_key(self, change_id: str, key: str, where: str) -> None:
        """Undo the waiting change now with its confirmation key; see ``confirm_with_key``."""
        maker = self._by_key(change_id, key)
        self._changes.revert(change_id)
        self._audit.record(maker, "network_revert", change_id, f"undone from {where}")

    def _by_key(self, change_id: str, key: str) -> Principal:
        """The maker of the change the key confirms, who still holds the permission."""
        maker, permission = self._changes.by_key(change_id, key)
        self.access.authorize(maker, permission)  # a maker disabled since cannot keep it
        return maker

    @internal
    def recover(self) -> None:
        """Deal with a change an earlier run left waiting: undo it when NetworkManager no
        longer holds its checkpoint (a reboot), else keep it waiting. Never raises."""
        self._changes.recover()

    @internal
    def start(self) -> None:
        """``recover``, then start the monitor thread."""
        self.recover()
        self._stopping.clear()
        self._thread = threading.Thread(target=self._run, name="network-monitor", daemon=True)
        self._thread.start()

    @internal
    def stop(self) -> None:
        """End the monitor thread (within a few seconds); a waiting change stays waiting."""
        self._stopping.set()
        self._clock.wake()
        if self._thread is not None:
            self._thread.join(STOP_JOIN_S)
            self._thread = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            wait = self._guarded_look()
            if not self._stopping.is_set():
                self._clock.wait(min(max(wait, 0.1), MAX_WAIT_S))

    def _guarded_look(self) -> float:
        """One look of the monitor; returns how long to wait (s). A look that fails is
        logged, not fatal."""
        try:
            self._changes.check()
            wait = self._fallback.step()
        except Exception:
            _log.exception("network monitor failed", extra={"event": "network_monitor_failed"})
            return MAX_WAIT_S
        left = self._changes.seconds_left()
        return wait if left is None else min(wait, left + 1.0)

    def _change(
        self, principal: Principal, step: _Step, undo: Undo, apply: Callable[[Undo], None]
    ) -> PendingChange | None:
        """Apply a change, waiting for confirmation when it comes from the remote endpoint
        (see services.network_changes); audited either way."""
        timeout_s = self._config.current().network.confirm_timeout_s
        guarded = (timeout_s, undo) if principal.origin is Origin.REMOTE else None
        try:
            change = self._changes.run(principal, step.permission, step.what, guarded, apply)
        except EyepiError as err:
            self._audit.record(principal, step.action, step.target, str(err), ok=False)
            raise
        self._audit.record(principal, step.action, step.target, "waits" if change else "")
        if change is None:
            self._bus.publish(NetworkChanged(step.what, principal.label))
        return change

    def _profile(self, uuid: str) -> SavedNetwork:
        """The saved profile of ``uuid``, in either case (a UUID's hex digits are one
        number however written); use its own ``uuid`` from here on."""
        if not _UUID.fullmatch(uuid):
            raise InvalidInput("uuid", "a profile's UUID (8-4-4-4-12 hex digits)")
        found = next((p for p in self._backend.saved() if p.uuid.lower() == uuid.lower()), None)
        if found is None:
            raise NotFound(f"network profile {uuid}")
        return found

    def _active(self) -> dict[str, str | None]:
        return {
            d.name: d.connection_uuid
            for d in self._backend.devices()
            if d.kind is not DeviceKind.LOOPBACK
        }


def _ssid_bytes(ssid: str, ssid_hex: str | None) -> bytes:
    if ssid_hex is None:
        return check_ssid(ssid)
    try:
        data = bytes.fromhex(ssid_hex)
    except ValueError:
        raise InvalidInput("ssid", "the SSID's bytes as hex digits") from None
    if not 1 <= len(data) <= 32:
        raise InvalidInput("ssid", "an SSID is 1 to 32 bytes")
    return data
