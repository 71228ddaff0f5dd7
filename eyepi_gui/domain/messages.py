"""Plain text for people from strings the station does not control (ids, library errors)."""

from __future__ import annotations

MAX_REASON = 200
"""Longest reason taken from an unexpected error, in characters."""


def printable(text: str) -> str:
    """``text`` with every control or invisible character written as an escape (``\\n``,
    ``\\x1b``), so it cannot break a log line or a status line."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def error_reason(err: BaseException) -> str:
    """One plain line saying what went wrong: an ``OSError``'s reason without its file name
    (paths stay out of messages), otherwise the error's type and printable text."""
    if isinstance(err, OSError):
        return err.strerror or type(err).__name__
    text = printable(str(err))[:MAX_REASON]
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
