"""The error tree of eyepi, mapped once per frontend.

    EyepiError                      base of everything the station raises on purpose
    ├── InvalidInput(field, reason) a value was rejected; ``field`` is its dotted path
    ├── NotFound(what)              a camera, file or record does not exist
    ├── Busy                        the resource is doing something else right now
    ├── Forbidden                   the principal may not do this
    ├── LoginFailed                 wrong username or password, or a disabled account
    ├── TooManyAttempts(retry_after_s) login refused before the password check; wait first
    ├── Unavailable                 a backend, device or service cannot be used now
    │   ├── CameraFault             a camera failed or timed out during a command
    │   └── CommandFailed           an outside program failed, timed out or is missing
    ├── StorageError                the disk refused a write (full, read-only, I/O error)
    └── AlreadyRunning              another station owns this home directory

Adapters translate library errors (``OSError``, ``sqlite3.Error``, camera library errors)
into this tree with ``raise ... from err``; frontends map it to messages or status codes.
"""

from __future__ import annotations


class EyepiError(Exception):
    """Base class of every error the station raises on purpose."""


class InvalidInput(EyepiError):
    """A value was rejected. ``field`` is the dotted path of the value, ``reason`` says why.

    ``problems`` maps every rejected field to its reason (the first one is ``field``).
    """

    def __init__(self, field: str, reason: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
        self.problems = problems or {field: reason}


class NotFound(EyepiError):
    """A camera, file or record does not exist."""


class Busy(EyepiError):
    """The resource is busy with another command."""


class Forbidden(EyepiError):
    """The principal may not perform this action."""


class LoginFailed(EyepiError):
    """Wrong username or password (the message never says which), or a disabled account."""


class TooManyAttempts(EyepiError):
    """Too many failed logins: refused before the password is checked. ``retry_after_s`` is
    how long to wait, in seconds."""

    def __init__(self, retry_after_s: float) -> None:
        wait = max(1, round(retry_after_s))
        unit = "second" if wait == 1 else "seconds"
        super().__init__(f"too many failed logins; try again in {wait} {unit}")
        self.retry_after_s = float(wait)


class Unavailable(EyepiError):
    """A backend, device or service cannot be used now."""


class CameraFault(Unavailable):
    """A camera failed or timed out while running a command."""


class CommandFailed(Unavailable):
    """An outside program (nmcli, lsblk, ...) could not be run, timed out, or exited with
    ``exit_code`` (None when it never ran or was killed). The message names the program and
    says why in one line; it never holds a secret, since no secret is ever put in an argv."""

    def __init__(self, program: str, reason: str, exit_code: int | None = None) -> None:
        super().__init__(f"{program}: {reason}")
        self.program = program
        self.reason = reason
        self.exit_code = exit_code


class StorageError(EyepiError):
    """The disk refused a write (full, read-only, I/O error)."""


class StickGone(StorageError):
    """A removable drive stopped answering mid-work (pulled out, or failing): EIO, ENXIO."""


class AlreadyRunning(EyepiError):
    """Another station process already owns this home directory."""
