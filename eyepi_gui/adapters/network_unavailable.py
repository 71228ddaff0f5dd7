"""The network backend of a station that cannot reach NetworkManager: every call says why.

The station runs on without it (capture never depends on the network tab); the Network tab
shows ``reason``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NoReturn

from eyepi_gui.domain.network import IPv4Config, NetworkDevice, SavedNetwork, WifiNetwork
from eyepi_gui.errors import CommandFailed


class UnavailableNetwork:
    """Implements ports.NetworkBackend: every call raises CommandFailed with ``reason``."""

    def __init__(self, reason: str, program: str = "NetworkManager") -> None:
        self._program, self._reason = program, reason

    def _fail(self) -> NoReturn:
        raise CommandFailed(self._program, self._reason)

    def hostname(self) -> str:
        self._fail()

    def devices(self) -> list[NetworkDevice]:
        self._fail()

    def wifi_networks(self, rescan: bool = False) -> list[WifiNetwork]:
        self._fail()

    def saved(self) -> list[SavedNetwork]:
        self._fail()

    def join_wifi(
        self, ssid_hex: str, password: str | None, *, hidden: bool = False
    ) -> SavedNetwork:
        self._fail()

    def forget(self, uuid: str) -> None:
        self._fail()

    def set_priority(self, uuid: str, priority: int) -> None:
        self._fail()

    def set_ipv4(self, uuid: str, config: IPv4Config) -> None:
        self._fail()

    def activate(self, uuid: str) -> None:
        self._fail()

    def set_hostname(self, name: str) -> None:
        self._fail()

    def start_hotspot(self, ssid: str, passphrase: str) -> SavedNetwork:
        self._fail()

    def stop_hotspot(self) -> None:
        self._fail()

    def checkpoint(self, devices: Sequence[str], rollback_s: int) -> str:
        self._fail()

    def confirm(self, checkpoint: str) -> None:
        self._fail()

    def rollback(self, checkpoint: str) -> None:
        self._fail()

    def checkpoints(self) -> list[str]:
        self._fail()
