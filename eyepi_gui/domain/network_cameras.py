"""Network cameras as people see them: the stream URL without secrets, whether a password is
kept, and what a test of a stream found. Pure text rules, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

_SECRET_VALUE = re.compile(r"=[^&;/#]*")
_HOST_END = re.compile(r"[/?#]")
_URL_IN_TEXT = re.compile(r"[A-Za-z][A-Za-z0-9+.-]{0,15}://[^\s\"'<>\\]+")
"""A URL inside any text (a log line, a TOML value): up to a space, a quote or a backslash
(a JSON line's escape stays whole, so the line is still JSON)."""
WITHHELD = "***"


@dataclass(frozen=True)
class NetworkCameraView:
    """A configured network camera: ``url`` with every secret taken out (``redact``);
    ``has_password`` when one is kept (separately or inside the URL). The password itself is
    write-only: never shown."""

    camera_id: str
    url: str
    has_password: bool


@dataclass(frozen=True)
class StreamTest:
    """What opening a stream once found: a frame of ``width`` x ``height`` px, or why not."""

    ok: bool
    width: int | None
    height: int | None
    message: str


def redact(url: str) -> str:
    """``url`` without secrets: user:password becomes "***@", each key=value in the path or
    query becomes key=***, the fragment goes. Unencoded "@", "/" or "?" in a password
    still cannot leak: everything up to the last "@" counts as the login."""
    scheme, login, host, tail = _parts(url)
    shown_tail = _SECRET_VALUE.sub("=***", tail.partition("#")[0])
    return f"{scheme}{'***@' if login else ''}{host}{shown_tail}"


def without_password(url: str) -> str:
    """``url`` as the support bundle shows it: the user name kept (it says which login the
    camera uses), the password after it and every key=value's value in the path or query
    as "***" (some cameras take their login there), the fragment gone."""
    scheme, login, host, tail = _parts(url)
    user, colon, _ = login.partition(":")
    shown_login = f"{user}{':' + WITHHELD if colon else ''}@" if login else ""
    return f"{scheme}{shown_login}{host}{_SECRET_VALUE.sub('=' + WITHHELD, tail.partition('#')[0])}"


def text_without_passwords(text: str) -> str:
    """``text`` with each URL in it shown by ``without_password``: the rule for any text
    the station hands out that may quote a stream URL (a log line, station.toml)."""
    return _URL_IN_TEXT.sub(lambda found: without_password(found.group(0)), text)


def stream_host(url: str) -> str:
    """The host[:port] of a stream URL, without credentials."""
    return _parts(url)[2]


def login_of(url: str) -> tuple[str, bool]:
    """The user name in ``url`` ("" for none) and whether the URL holds a password too."""
    login = _parts(url)[1]
    user, colon, _ = login.partition(":")
    return user, bool(colon)


def with_password(url: str, password: str | None) -> str:
    """``url`` with ``password`` (percent-encoded) after its user name, as stream clients
    take it; ``url`` unchanged without a password. The URL must name a user and hold no
    password of its own (``NetworkCameraSettings`` checks both)."""
    if not password:
        return url
    scheme, login, host, tail = _parts(url)
    return f"{scheme}{login}:{quote(password, safe='')}@{host}{tail}"


def _parts(url: str) -> tuple[str, str, str, str]:
    """(scheme with "://", login, host[:port], path with query and fragment)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    login, _, after = rest.rpartition("@")
    host = _HOST_END.split(after, maxsplit=1)[0]
    return scheme + sep, login, host, after[len(host) :]
