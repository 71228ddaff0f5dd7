"""Network changes that undo themselves unless confirmed (the "safe change" rule).

A change that can cut off whoever makes it runs under a NetworkManager checkpoint: NM
snapshots every device, the change is applied, and NM itself restores the snapshot after
``confirm_timeout_s`` unless the change is confirmed first, also when eyepi dies meanwhile.
Which changes: every change made from the remote endpoint (origin "remote") to addressing
and to Wi-Fi (join, forget, priority); we do not work out whether the client's address
goes through the device touched (routes, NAT and VPNs make that guesswork), so all of them
wait. Changes from the kiosk or the CLI apply at once: the tech at the screen cannot be cut
off. The hostname never waits: it cuts nobody off.

One change waits at a time: another change of these kinds (from anywhere) is ``Busy``
until it is confirmed, reverted or rolled back. A marker file (0600) records the change,
its checkpoint and the settings from before it. NM's checkpoints live in memory only: after
a reboot (or an NM restart) the checkpoint is gone but the marker is not, and the service
then restores the settings the marker holds itself (``recover``). A checkpoint found gone
at or after its deadline was rolled back by NM: the marker is just removed.

Confirming from the station's new address needs no login there (session cookies belong to
the old one): a change made under a checkpoint gets a confirmation key
(``secrets.token_urlsafe(24)``, 192 random bits), which only the answer to whoever made the
change carries (``PendingChange.confirm_key``) and the marker keeps (so it survives a
restart of eyepi until the deadline). The key is the authority: ``by_key`` compares it in
constant time, and guessing 192 bits within a minute is pointless, so it is not rate
limited. A wrong key and an unknown change get the same answer.
"""

from __future__ import annotations

import hmac
import json
import logging
import secrets
import threading
import uuid as uuids
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from typing import TypeVar

from eyepi_gui.domain.access import Origin, Permission, Principal, Role
from eyepi_gui.domain.events import NetworkChanged, NetworkChangePending, NetworkChangeRolledBack
from eyepi_gui.domain.network import AddressMethod, IPv4Config, PendingChange
from eyepi_gui.errors import Busy, EyepiError, Forbidden, NotFound
from eyepi_gui.ports import Clock, NetworkBackend, PrivateFile
from eyepi_gui.services.events import EventBus

_log = logging.getLogger("eyepi.network")
ENDED_KEPT = 8
"""How many undone changes are remembered, to tell a late confirmation what happened."""
KEPT = "kept"
"""How a confirmed change ended (remembered like the undone ones)."""
KEY_REFUSED = "this confirmation link is not valid (wrong change or key): confirm on the station"
DEADLINE_SLACK_S = 2.0
"""A checkpoint gone this close to its deadline was rolled back by NM's own timer."""


@dataclass
class Undo:
    """What puts the settings back as they were before a change: profiles' IPv4 and
    priority, the profile up on each device, profiles the change made (removed again) and
    profiles it deleted (named only: their secrets are gone, see the module)."""

    ipv4: dict[str, IPv4Config] = field(default_factory=dict)
    priority: dict[str, int] = field(default_factory=dict)
    active: dict[str, str | None] = field(default_factory=dict)
    remove: list[str] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Marker:
    """The marker file's content: the change waiting, how to undo it, who made it and the
    key that confirms it without a login ("" in a marker of an older eyepi: no key works)."""

    change: PendingChange
    checkpoint: str
    permission: Permission
    undo: Undo
    confirmed: bool = False
    key: str = field(default="", repr=False)
    maker: Principal | None = None

    def text(self) -> str:
        change = asdict(self.change)
        change.pop("confirm_key")
        data = {
            "change": change,
            "checkpoint": self.checkpoint,
            "permission": str(self.permission),
            "undo": asdict(self.undo),
            "confirmed": self.confirmed,
            "key": self.key,
            "maker": None if self.maker is None else asdict(self.maker),
        }
        return json.dumps(data, indent=1)

    @classmethod
    def parse(cls, text: str) -> Marker:
        """The marker ``text`` holds, every value of the type it must have: anything else
        (a file cut short, edited by hand, of another version) raises ValueError, so a
        wrong value can never reach NetworkManager or stop the station from starting."""
        data = _typed(json.loads(text), dict)
        change, undo = _typed(data["change"], dict), _typed(data["undo"], dict)
        return cls(
            PendingChange(
                _typed(change["change_id"], str),
                _typed(change["what"], str),
                _typed(change["by"], str),
                _number(change["started_at"]),
                _number(change["deadline"]),
            ),
            _typed(data["checkpoint"], str),
            Permission(data["permission"]),
            Undo(
                {_typed(k, str): _ipv4(v) for k, v in _typed(undo["ipv4"], dict).items()},
                {_typed(k, str): _whole(v) for k, v in _typed(undo["priority"], dict).items()},
                {_typed(k, str): _maybe_text(v) for k, v in _typed(undo["active"], dict).items()},
                [_typed(uuid, str) for uuid in _typed(undo["remove"], list)],
                [_typed(name, str) for name in _typed(undo["lost"], list)],
            ),
            _typed(data["confirmed"], bool),
            _maybe_text(data.get("key")) or "",
            _principal(data.get("maker")),
        )


def _principal(value: object) -> Principal | None:
    """The maker recorded with a key (None in a marker of an older eyepi)."""
    if value is None:
        return None
    maker = _typed(value, dict)
    role = _maybe_text(maker["role"])
    return Principal(
        _maybe_text(maker["username"]),
        None if role is None else Role(role),
        Origin(_typed(maker["origin"], str)),
        _typed(maker["address"], str),
    )


T = TypeVar("T")


def _typed(value: object, kind: type[T]) -> T:
    """``value`` when it is a ``kind`` (a bool is no int here), else ValueError."""
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise ValueError(f"{value!r:.40} is not {kind.__name__}")
    return value


def _whole(value: object) -> int:
    return _typed(value, int)


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r:.40} is not a number")
    return float(value)


def _maybe_text(value: object) -> str | None:
    return None if value is None else _typed(value, str)


def _ipv4(value: object) -> IPv4Config:
    config = _typed(value, dict)
    return IPv4Config(
        AddressMethod(config["method"]),
        _maybe_text(config["address"]),
        _maybe_text(config["gateway"]),
        tuple(_typed(server, str) for server in _typed(config["dns"], list)),
    )


class SafeChanges:
    """Runs changes (at once or under a checkpoint) and keeps the one waiting. Thread-safe."""

    def __init__(
        self, backend: NetworkBackend, marker: PrivateFile, clock: Clock, bus: EventBus
    ) -> None:
        self._backend, self._file, self._clock, self._bus = backend, marker, clock, bus
        self._lock = threading.RLock()
        self._marker: Marker | None = None
        self._ended_how: dict[str, str] = {}  # change id -> how it was undone, for "too late"
        self._unresolved = False  # a marker found at start that could not be dealt with yet

    def pending(self) -> PendingChange | None:
        with self._lock:
            return None if self._marker is None else self._marker.change

    def permission(self, change_id: str) -> Permission:
        """The permission the waiting change needed (to confirm or revert it)."""
        return self._current(change_id).permission

    def run(
        self,
        principal: Principal,
        permission: Permission,
        what: str,
        guarded: tuple[int, Undo] | None,
        apply: Callable[[Undo], None],
    ) -> PendingChange | None:
        """Apply a change: at once when ``guarded`` is None, else under a checkpoint of
        ``guarded``'s timeout (s) with its undo, returning the change now waiting. ``apply``
        may add to the undo (profiles it made). Raises Busy while another change waits."""
        with self._lock:
            self._check()
            if self._marker is not None or self._unresolved:
                raise Busy("another network change waits for confirmation: confirm or revert it")
            if guarded is None:
                apply(Undo())
                return None
            return self._under_checkpoint(principal, permission, what, *guarded, apply)

    def _under_checkpoint(
        self,
        principal: Principal,
        permission: Permission,
        what: str,
        timeout_s: int,
        undo: Undo,
        apply: Callable[[Undo], None],
    ) -> PendingChange:
        checkpoint = self._backend.checkpoint([], timeout_s)  # every device
        now = self._clock.now()
        change = PendingChange(uuids.uuid4().hex, what, principal.label, now, now + timeout_s)
        key = secrets.token_urlsafe(24)
        marker = Marker(change, checkpoint, permission, undo, key=key, maker=principal)
        try:
            self._file.write(marker.text())  # first: a crash during the change is undone too
            apply(undo)
            self._file.write(marker.text())  # with what ``apply`` made
        except BaseException:
            self._quietly(self._backend.rollback, checkpoint)
            self._quietly(self._file.remove)
            raise
        self._marker = marker
        self._bus.publish(
            NetworkChangePending(change.change_id, what, principal.label, change.deadline)
        )
        return replace(change, confirm_key=key)  # for the maker's answer only

    def by_key(self, change_id: str, key: str) -> tuple[Principal, Permission]:
        """Who made the waiting change ``change_id`` and the permission it needed, when
        ``key`` is its confirmation key. Forbidden for a wrong key and for a change that
        is not waiting alike (which part was wrong is not said); NotFound for a change that
        ended already (kept or undone: that tells nothing about the key)."""
        with self._lock:
            marker = self._marker
            sent = key.encode("utf-8", "replace")
            if (
                marker is not None
                and marker.maker is not None
                and marker.key
                and hmac.compare_digest(marker.key.encode(), sent)
                and marker.change.change_id == change_id
            ):
                return marker.maker, marker.permission
            if change_id in self._ended_how:
                self._current(change_id)  # raises the NotFound saying how it ended
            raise Forbidden(KEY_REFUSED)

    def confirm(self, principal: Principal, change_id: str) -> None:
        """Keep the waiting change. NotFound when it is not the one waiting (any more)."""
        with self._lock:
            marker = self._current(change_id)
            self._file.write(replace(marker, confirmed=True).text())
            try:
                self._backend.confirm(marker.checkpoint)
            except NotFound:
                self._ended(marker, "timed out")
                raise NotFound("the change was undone already (timed out)") from None
            except EyepiError:
                self._file.write(marker.text())  # still waiting: NM may roll it back yet
                raise
            self._clear()
            self._remember(change_id, KEPT)
        self._bus.publish(NetworkChanged(f"{marker.change.what}: confirmed", principal.label))

    def revert(self, change_id: str) -> None:
        """Undo the waiting change now."""
        with self._lock:
            marker = self._current(change_id)
            try:
                self._backend.rollback(marker.checkpoint)
            except NotFound:
                self._ended(marker, "timed out")
                raise NotFound("the change was undone already (timed out)") from None
            self._ended(marker, "reverted")

    def check(self) -> None:
        """Notice a checkpoint NM no longer holds (see the module). Never raises."""
        with self._lock:
            try:
                self._check()
            except EyepiError as err:
                _log.debug("network change not checked: %s", err)

    def seconds_left(self) -> float | None:
        with self._lock:
            if self._marker is None:
                return None
            return self._marker.change.left_s(self._clock.now())

    def recover(self) -> None:
        """At start: deal with a marker left by an earlier run (see the module). When NM
        cannot be asked now, ``check`` tries again later. Never raises."""
        with self._lock:
            try:
                text = self._file.read()
            except EyepiError as err:
                _log.warning("network change marker unreadable: %s", err)
                return
            if text is None:
                return
            try:
                marker = Marker.parse(text)
            except (ValueError, KeyError, TypeError) as err:
                _log.warning("network change marker not understood (%s): removed", err)
                self._quietly(self._file.remove)
                return
            self._marker, self._unresolved = marker, True
            self.check()

    def _check(self) -> None:
        marker = self._marker
        if marker is None:
            return
        held = marker.checkpoint in self._backend.checkpoints()
        if marker.confirmed:
            if held:
                self._backend.confirm(marker.checkpoint)
            self._clear()
        elif held:
            self._unresolved = False
        elif self._unresolved:
            self._restore(marker.undo)
            self._ended(marker, "restored at start")
        elif self._clock.now() >= marker.change.deadline - DEADLINE_SLACK_S:
            self._ended(marker, "timed out")
        else:  # NM lost it early (restarted): put things back ourselves
            self._restore(marker.undo)
            self._ended(marker, "restored: NetworkManager lost its checkpoint")

    def _restore(self, undo: Undo) -> None:
        for uuid in undo.remove:
            self._quietly(self._backend.forget, uuid)
        for uuid, config in undo.ipv4.items():
            self._quietly(self._backend.set_ipv4, uuid, config)
        for uuid, priority in undo.priority.items():
            self._quietly(self._backend.set_priority, uuid, priority)
        now = {d.name: d.connection_uuid for d in self._backend.devices()}
        for device, was_up in undo.active.items():
            if was_up is not None and now.get(device) != was_up:
                self._quietly(self._backend.activate, was_up)
        if undo.lost:
            _log.warning(
                "network profile(s) %s were deleted by an unconfirmed change and cannot be "
                "restored (their passwords are not kept): join again",
                ", ".join(undo.lost),
                extra={"event": "network_profiles_lost"},
            )

    def _ended(self, marker: Marker, how: str) -> None:
        self._clear()
        change = marker.change
        self._remember(change.change_id, how)
        self._bus.publish(NetworkChangeRolledBack(change.change_id, change.what, how))

    def _remember(self, change_id: str, how: str) -> None:
        self._ended_how = dict(list(self._ended_how.items())[-ENDED_KEPT + 1 :])
        self._ended_how[change_id] = how

    def _clear(self) -> None:
        self._file.remove()
        self._marker, self._unresolved = None, False

    def _current(self, change_id: str) -> Marker:
        with self._lock:
            marker = self._marker
            if marker is None or marker.change.change_id != change_id:
                how = self._ended_how.get(change_id)
                if how == KEPT:
                    raise NotFound("the change was confirmed already: it stays")
                if how is not None:
                    raise NotFound(f"the change was undone already ({how})")
                raise NotFound(f"network change {change_id!r} (none waits by that id)")
            return marker

    @staticmethod
    def _quietly(call: Callable[..., object], *args: object) -> None:
        try:
            call(*args)
        except EyepiError as err:
            _log.warning("undoing a network change: %s", err, extra={"event": "network_undo"})
