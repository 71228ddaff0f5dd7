"""The hotspot fallback: a station nobody can reach opens its own Wi-Fi access point, and
leaves it for a known network as soon as one is in range.

When no device is connected (loopback and the hotspot itself aside) for
``[network] hotspot_after_s`` with ``hotspot_fallback`` on and a Wi-Fi device present, the
hotspot starts: SSID ``hotspot_ssid``, else "eyepi-" and a slug of the station's name (at
most 32 bytes); a WPA2 passphrase made once with ``secrets`` and kept in the home (0600).
While it is up, the radio looks again every ``RESCAN_S``; a network with a saved profile in
range stops the hotspot and brings that profile up (the highest priority first). If that
fails, the hotspot comes back after the wait. Nothing starts while a change waits for
confirmation (its checkpoint would undo it).
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable

from eyepi_gui.domain.events import NetworkChanged
from eyepi_gui.domain.network import DeviceKind, HotspotInfo, NetworkDevice, WifiNetwork
from eyepi_gui.domain.network_rules import check_psk
from eyepi_gui.errors import EyepiError, InvalidInput, StorageError
from eyepi_gui.ports import Clock, NetworkBackend, PrivateFile
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.events import EventBus

_log = logging.getLogger("eyepi.network")
POLL_S = 10.0
"""How often the devices are looked at while waiting (s)."""
RESCAN_S = 30.0
"""How often the radio looks for known networks while the hotspot is up (s)."""
SSID_MAX = 32
PASSPHRASE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 - an alphabet
"""Letters and digits a person reads off a screen without mixing up (no l/1, o/0, i)."""
BY = "station (hotspot fallback)"


def hotspot_ssid(configured: str | None, station_name: str) -> str:
    """The configured SSID, else "eyepi-" and the station's name as a slug, cut to 32 bytes."""
    if configured:
        return configured
    slug = re.sub(r"[^a-z0-9]+", "-", station_name.lower()).strip("-") or "station"
    return ("eyepi-" + slug)[:SSID_MAX].rstrip("-")


def new_passphrase() -> str:
    """14 characters in three groups ("abcd-efgh-jkmn"): about 70 bits, easy to type."""
    chars = "".join(secrets.choice(PASSPHRASE_ALPHABET) for _ in range(12))
    return "-".join(chars[i : i + 4] for i in range(0, 12, 4))


class HotspotFallback:
    """See the module. ``step`` is called by the network service's monitor thread (and by
    tests) and returns how long to wait before the next one (s)."""

    def __init__(
        self,
        backend: NetworkBackend,
        config: SettingsService,
        secret: PrivateFile,
        clock: Clock,
        bus: EventBus,
        busy: Callable[[], bool],
    ) -> None:
        self._backend, self._config, self._secret = backend, config, secret
        self._clock, self._bus, self._busy = clock, bus, busy
        self._lost_at: float | None = None
        self._scanned_at = float("-inf")
        self._failing = False

    def info(self, devices: list[NetworkDevice], *, with_passphrase: bool) -> HotspotInfo:
        """The hotspot's SSID, passphrase (or "" when not to be shown) and whether it is up."""
        up = self._hotspot_device(devices)
        passphrase = self.passphrase() if with_passphrase else ""
        return HotspotInfo(self.ssid(), passphrase, up is not None, up.name if up else None)

    def ssid(self) -> str:
        settings = self._config.current()
        return hotspot_ssid(settings.network.hotspot_ssid, settings.station_name)

    def passphrase(self) -> str:
        """The station's hotspot passphrase, made and kept the first time it is needed; a
        file that cannot be read (a symbolic link, a folder) is replaced by a new one."""
        try:
            text = (self._secret.read() or "").strip()
        except StorageError as err:
            _log.warning("hotspot passphrase: %s: a new one is made", err)
            text = ""
        try:
            check_psk(text)
            return text
        except InvalidInput:
            made = new_passphrase()
            self._secret.write(made + "\n")
            return made

    def step(self) -> float:
        try:
            wait = self._step(self._clock.monotonic())
        except EyepiError as err:
            if not self._failing:
                _log.warning("hotspot fallback: %s", err, extra={"event": "hotspot_fallback"})
            self._failing = True
            return POLL_S
        self._failing = False
        return wait

    def _step(self, now: float) -> float:
        devices = self._backend.devices()
        hotspot = self._hotspot_device(devices)
        if hotspot is not None:
            self._lost_at = None
            return self._look_for_known(now)
        if any(d.up for d in devices if d.kind is not DeviceKind.LOOPBACK):
            self._lost_at = None
            return POLL_S
        if self._lost_at is None:
            self._lost_at = now
        settings = self._config.current().network
        wifi = any(d.kind is DeviceKind.WIFI for d in devices)
        if not settings.hotspot_fallback or not wifi or self._busy():
            return POLL_S
        left = self._lost_at + settings.hotspot_after_s - now
        if left > 0:
            return min(left, POLL_S)
        self._backend.start_hotspot(self.ssid(), self.passphrase())
        self._scanned_at = now
        self._bus.publish(NetworkChanged(f"hotspot {self.ssid()} started: no network", BY))
        return RESCAN_S

    def _look_for_known(self, now: float) -> float:
        if now - self._scanned_at < RESCAN_S:
            return self._scanned_at + RESCAN_S - now
        self._scanned_at = now
        uuid = self._best_known(self._backend.wifi_networks(rescan=True))
        if uuid is None:
            return RESCAN_S
        self._backend.stop_hotspot()
        try:
            self._backend.activate(uuid)
        except EyepiError:
            self._lost_at = now  # the hotspot comes back after the wait
            raise
        self._bus.publish(NetworkChanged("hotspot stopped: a known network is in range", BY))
        return POLL_S

    def _best_known(self, in_range: list[WifiNetwork]) -> str | None:
        """The saved profile to go back to: known SSIDs in range, highest priority first."""
        seen = {n.ssid: n.signal for n in in_range if n.known}
        if not seen:
            return None
        candidates = [p for p in self._backend.saved() if not p.hotspot and p.ssid in seen]
        candidates.sort(key=lambda p: (p.priority, seen[p.ssid or ""]), reverse=True)
        return candidates[0].uuid if candidates else None

    def _hotspot_device(self, devices: list[NetworkDevice]) -> NetworkDevice | None:
        wifi_up = [d for d in devices if d.kind is DeviceKind.WIFI and d.connection_uuid]
        if not wifi_up:
            return None
        hotspots = {p.uuid for p in self._backend.saved() if p.hotspot}
        return next((d for d in wifi_up if d.connection_uuid in hotspots), None)
