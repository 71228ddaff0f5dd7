"""Where the remote endpoint may listen: checked against this machine before a change to
``[remote]`` is saved, so a port another program holds or an address the station does not
have is refused with the field named, rather than found when the endpoint restarts."""

from __future__ import annotations

from urllib.parse import urlsplit

from eyepi_gui.errors import InvalidInput
from eyepi_gui.ports import NetworkAddresses, PortProbe
from eyepi_gui.services.endpoint import RemoteEndpoint
from eyepi_gui.settings import RemoteSettings

WILDCARDS = frozenset({"0.0.0.0", "::"})  # noqa: S104 - every network, by choice
"""Binds that mean every address of the station."""


class ListenCheck:
    """Refuses a ``[remote]`` change the station could not listen on: a ``bind`` that is none
    of its addresses, a ``port`` in use by another program (the running endpoint's own port
    is fine: it is let go before the new one is taken) or one it may not use."""

    def __init__(
        self, probe: PortProbe, addresses: NetworkAddresses, endpoint: RemoteEndpoint
    ) -> None:
        self._probe, self._addresses, self._endpoint = probe, addresses, endpoint

    def check(self, before: RemoteSettings, after: RemoteSettings) -> None:
        """Raises InvalidInput ("remote.bind" or "remote.port") for a change it cannot take."""
        if after.bind != before.bind:
            self._check_bind(after.bind)
        where = (after.enabled, after.bind, after.port)
        if after.enabled and where != (before.enabled, before.bind, before.port):
            self._check_port(after.bind, after.port)

    def _check_bind(self, bind: str) -> None:
        own = set(self._addresses.ip_addresses())
        if bind not in WILDCARDS and bind not in own:
            shown = ", ".join(sorted(own | WILDCARDS))
            raise InvalidInput("remote.bind", f"{bind} is not an address of this station ({shown})")

    def _check_port(self, bind: str, port: int) -> None:
        if port == 0 or port == self._running_port():
            return
        why = self._probe.why_taken(bind, port)
        if why is not None:
            raise InvalidInput("remote.port", why)

    def _running_port(self) -> int | None:
        url = self._endpoint.current().url
        try:
            return None if url is None else urlsplit(url).port
        except ValueError:
            return None
