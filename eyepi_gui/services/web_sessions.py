"""Browser sessions of the remote endpoint, kept in the station (never in a cookie).

A session is found by a random id that only the browser holds (stored here as its SHA-256).
It ends at logout, after ``remote.session_idle_s`` without a request, after ``MAX_AGE_S``, and
when its account changes password, is disabled or removed: every request checks the account
as stored now, so a change made by the ``eyepi user`` CLI in another process counts too.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from eyepi_gui.domain.access import Origin, Principal
from eyepi_gui.domain.accounts import UserAccount
from eyepi_gui.errors import Forbidden
from eyepi_gui.ports import Clock, UserStore
from eyepi_gui.services.access import AccessControl, reads, unauthenticated
from eyepi_gui.services.config import SettingsService
from eyepi_gui.services.login import LoginGate

MAX_AGE_S = 12 * 3600.0
"""A session ends this long after its login, however active (seconds)."""
MAX_SESSIONS = 500
"""Sessions kept at most; the least recently used end first (bounded memory)."""


@dataclass(frozen=True)
class WebSession:
    """One logged-in browser. Times are monotonic seconds (a clock jump neither ends nor
    extends a session); ``confirmed`` is the last time its
    user typed the password (login or re-authentication); ``csrf`` guards every change."""

    username: str
    csrf: str
    stamp: str
    started: float
    seen: float
    confirmed: float


def _key(session_id: str) -> str:
    return hashlib.sha256(session_id.encode("utf-8", "surrogatepass")).hexdigest()


def _stamp(account: UserAccount) -> str:
    """Changes when the account's password changes or the account is made anew."""
    text = f"{account.password_hash}|{account.created_at!r}"
    return hashlib.sha256(text.encode()).hexdigest()


class WebSessions:
    def __init__(
        self,
        gate: LoginGate,
        users: UserStore,
        config: SettingsService,
        clock: Clock,
        access: AccessControl,
    ) -> None:
        self._gate, self._users, self._config, self._clock = gate, users, config, clock
        self.access = access
        self._sessions: OrderedDict[str, WebSession] = OrderedDict()
        self._lock = threading.Lock()

    @unauthenticated
    def log_in(self, username: str, password: str, address: str) -> tuple[str, WebSession]:
        """Check the password (``LoginGate`` limits apply) and start a new session; returns
        its id (for the cookie) and the session. Never reuses an id the browser sent."""
        principal = self._gate.login(Origin.REMOTE, username, password, address)
        return self._start(principal.username or "")

    @unauthenticated
    def resume(self, session_id: str, address: str) -> tuple[Principal, WebSession] | None:
        """The principal of a live session (and the session, its idle time restarted), or
        None when the id is unknown, expired or its account changed."""
        now = self._clock.monotonic()
        with self._lock:
            session = self._sessions.get(_key(session_id))
        if session is None:
            return None
        account = self._users.get(session.username)
        if not self._valid(session, account, now) or account is None:
            self._drop(_key(session_id))
            return None
        try:
            session = self._update(session_id, seen=now)
        except Forbidden:  # ended by another request meanwhile
            return None
        return Principal(account.username, account.role, Origin.REMOTE, address), session

    def _valid(
        self,
        session: WebSession,
        account: UserAccount | None,
        now: float,
        new_password: bool = False,
    ) -> bool:
        """Live and its account unchanged (``new_password``: but for the password, which the
        session's own user just changed)."""
        idle = self._config.current().remote.session_idle_s
        return (
            account is not None
            and not account.disabled
            and (new_password or _stamp(account) == session.stamp)
            and now - session.seen < idle
            and now - session.started < MAX_AGE_S
        )

    @unauthenticated
    def confirm(self, session_id: str, principal: Principal, password: str) -> WebSession:
        """Re-authentication: check the password again (under login limits) and note when."""
        with self._lock:
            session = self._sessions.get(_key(session_id))
        if session is None or session.username != principal.username:
            raise Forbidden("this session has ended; log in again")
        self._gate.confirm(principal, password)
        return self._update(session_id, confirmed=self._clock.monotonic())

    @reads
    def recently_confirmed(self, session: WebSession) -> bool:
        """Whether the password was typed within ``remote.reauth_s`` (user and system
        changes need that)."""
        window = self._config.current().remote.reauth_s
        return self._clock.monotonic() - session.confirmed < window

    @unauthenticated
    def renew(self, session_id: str) -> tuple[str, WebSession] | None:
        """After the user changed their own password: every session of theirs ends and this
        browser gets a new one (new id and CSRF token). None when the session is gone."""
        with self._lock:
            session = self._sessions.get(_key(session_id))
        account = self._users.get(session.username) if session else None
        if session is None or not self._valid(session, account, self._clock.monotonic(), True):
            return None
        self._end_user(session.username)
        return self._start(session.username)

    @unauthenticated
    def log_out(self, session_id: str) -> None:
        self._drop(_key(session_id))

    def _end_user(self, username: str) -> int:
        """End every session of ``username``; returns how many ended."""
        with self._lock:
            keys = [k for k, s in self._sessions.items() if s.username == username]
            for key in keys:
                del self._sessions[key]
        return len(keys)

    def _start(self, username: str) -> tuple[str, WebSession]:
        account = self._users.get(username)
        if account is None:
            raise Forbidden("this account no longer exists")
        now, session_id = self._clock.monotonic(), secrets.token_urlsafe(32)
        session = WebSession(username, secrets.token_urlsafe(32), _stamp(account), now, now, now)
        with self._lock:
            self._sessions[_key(session_id)] = session
            while len(self._sessions) > MAX_SESSIONS:
                self._sessions.popitem(last=False)
        return session_id, session

    def _update(
        self, session_id: str, *, seen: float | None = None, confirmed: float | None = None
    ) -> WebSession:
        key = _key(session_id)
        with self._lock:
            current = self._sessions.get(key)
            if current is None:
                raise Forbidden("this session has ended; log in again")
            session = replace(
                current, seen=seen or current.seen, confirmed=confirmed or current.confirmed
            )
            self._sessions[key] = session
            self._sessions.move_to_end(key)
        return session

    def _drop(self, key: str) -> None:
        with self._lock:
            self._sessions.pop(key, None)
