"""Ports for the machine: commands, NetworkManager, addresses, logs, private files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from eyepi_gui.domain.network import IPv4Config, NetworkDevice, SavedNetwork, WifiNetwork
from eyepi_gui.domain.reach import InterfaceAddress

if TYPE_CHECKING:
    from eyepi_gui.domain.log_entries import LogPage
    from eyepi_gui.domain.log_filter import LogFilter


class LogSource(Protocol):
    """A log read newest first: the station's JSON-lines files (``adapters.log_files``), or
    those merged by time with the journal (``services.log_merge``, the station's). Cursors
    are opaque texts the source gave. Raises ``InvalidInput("cursor")`` for a
    cursor it never gave or whose place the log moved past (rotated away),
    ``InvalidInput("text")`` when a regular expression runs past its time limit, and
    ``Unavailable`` when the log cannot be read."""

    def page(self, query: LogFilter) -> LogPage:
        """Up to ``query.limit`` matching entries older than ``query.cursor`` (the newest
        when None), newest first. Answers within a bounded time: a page cut short by it
        carries an ``older_cursor`` to go on from."""
        ...

    def follow(self, query: LogFilter) -> LogPage:
        """Matching entries written after ``query.cursor`` (a page's ``newer_cursor``), at
        most ``query.limit`` of the oldest of them, newest first, with the cursor after them."""
        ...

    def jump(self, at: float) -> str:
        """A cursor at the first entry written at or after ``at`` (epoch s); ``NotFound``
        when the log holds nothing yet."""
        ...


class NetworkAddresses(Protocol):
    """What this machine is called, where it can be reached and since when, read from the
    OS now."""

    def hostname(self) -> str:
        """The machine's name as it gives it (``socket.gethostname``)."""
        ...

    def host_names(self) -> tuple[str, ...]:
        """The machine's own names: its hostname and fully qualified name."""
        ...

    def search_domains(self) -> tuple[str, ...]:
        """The DNS search domains the network gave (DHCP): "lan", "fritz.box", ..."""
        ...

    def ip_addresses(self) -> tuple[str, ...]:
        """Every IP address of every interface, loopback included, as text."""
        ...

    def interface_addresses(self) -> tuple[InterfaceAddress, ...]:
        """Every IP address with the interface it is on, loopback included, in no order."""
        ...

    def default_route_address(self) -> str | None:
        """The address this machine sends from on its default route (the one a tech most
        likely shares a network with), or None without a route. Sends nothing."""
        ...

    def booted_at(self) -> float:
        """When the machine started (epoch seconds), for its uptime."""
        ...


class PortProbe(Protocol):
    """Whether this machine can listen on a TCP port now."""

    def why_taken(self, host: str, port: int) -> str | None:
        """Why ``port`` on ``host`` (an IP address) cannot be listened on, or None if it can."""
        ...


@dataclass(frozen=True)
class CommandResult:
    """What a finished program gave back: its exit code and output (decoded UTF-8 with
    U+FFFD for bad bytes, each at most the runner's output bound)."""

    program: str
    exit_code: int
    stdout: str
    stderr: str


class CommandRunner(Protocol):
    """Runs outside programs: the one way eyepi starts a process. Only programs on its
    allowlist (by name, mapped to an absolute path), an argv list, never a shell or sudo,
    a timeout on every call and bounded output."""

    def run(
        self, program: str, args: Sequence[str], *, timeout_s: float | None = None
    ) -> CommandResult:
        """Run allowlisted ``program`` with ``args``; returns whatever its exit code (the
        caller maps a non-zero one). Raises CommandFailed when it is not allowlisted ("not
        allowed") or not installed, cannot start, outlives ``timeout_s`` (the runner's default
        when None; killed with every process it started: "did not answer within N s"), or
        writes more than the bound to stdout or stderr ("too much output").

        Values from users are marked ``UserValue`` (re-exported here from
        ``domain.command_args``) and go after a plain "--" argument, as data: a UserValue
        before the first "--", or a "--" for a program that does not honour it, raises
        ValueError (a programming error). Logs show a UserValue as "<value>"."""
        ...


class NetworkBackend(Protocol):
    """NetworkManager as the station uses it. Every call may block (bounded by a timeout)
    and raises CommandFailed (NM missing, stopped, or refusing) or NotFound (no such
    profile or device). Secrets go in, never out."""

    def hostname(self) -> str: ...

    def devices(self) -> list[NetworkDevice]:
        """Every interface with its state, addresses, gateway, DNS and Wi-Fi signal."""
        ...

    def wifi_networks(self, rescan: bool = False) -> list[WifiNetwork]:
        """Wi-Fi networks in range (one per SSID, strongest first); ``rescan`` asks the
        radio to look again first. Empty when there is no Wi-Fi device."""
        ...

    def saved(self) -> list[SavedNetwork]:
        """Saved Wi-Fi and Ethernet profiles (hotspot included, marked)."""
        ...

    def join_wifi(
        self, ssid_hex: str, password: str | None, *, hidden: bool = False
    ) -> SavedNetwork:
        """Save a profile for the SSID (exact bytes as hex; WPA2/WPA3-personal with
        ``password``, open without) and connect to it."""
        ...

    def forget(self, uuid: str) -> None:
        """Delete a saved profile (it disconnects if active)."""
        ...

    def set_priority(self, uuid: str, priority: int) -> None:
        """Set a profile's autoconnect priority (higher wins)."""
        ...

    def set_ipv4(self, uuid: str, config: IPv4Config) -> None:
        """Save ``config`` in the profile (persistent) and apply it now if it is active."""
        ...

    def activate(self, uuid: str) -> None:
        """Bring a saved profile up."""
        ...

    def set_hostname(self, name: str) -> None:
        """Set the machine's static hostname through NetworkManager."""
        ...

    def start_hotspot(self, ssid: str, passphrase: str) -> SavedNetwork:
        """Create or update the station's access-point profile and bring it up."""
        ...

    def stop_hotspot(self) -> None:
        """Bring the access point down (its profile stays)."""
        ...

    def checkpoint(self, devices: Sequence[str], rollback_s: int) -> str:
        """Snapshot the devices' state in NM; NM itself restores it after ``rollback_s``
        unless confirmed first, also if eyepi dies. Returns the checkpoint's id."""
        ...

    def confirm(self, checkpoint: str) -> None:
        """Keep the changes made since ``checkpoint`` (destroy it without rolling back)."""
        ...

    def rollback(self, checkpoint: str) -> None:
        """Restore the state of ``checkpoint`` now."""
        ...

    def checkpoints(self) -> list[str]:
        """The ids of checkpoints NM holds now."""
        ...


class PrivateFile(Protocol):
    """A small text file in the station's home that only the station's user may read (0600),
    replaced atomically: a network change waiting for confirmation, the hotspot's
    passphrase. Raises StorageError when the disk refuses."""

    def read(self) -> str | None:
        """The file's text, or None when there is none."""
        ...

    def write(self, text: str) -> None: ...

    def remove(self) -> None:
        """Delete the file; nothing happens when there is none."""
        ...
