"""Password hashing with bcrypt, and timing its work factor on this machine."""

from __future__ import annotations

import re
import time
from collections.abc import Iterable

import bcrypt

from eyepi_gui.errors import InvalidInput

MAX_BYTES = 72
"""bcrypt reads at most 72 bytes of a password; bcrypt 5 refuses longer ones."""
_HASH = re.compile(r"\$2[abxy]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}")
_SAMPLE = b"calibration-sample"


def _usable(password: str) -> bytes | None:
    """``password`` as bcrypt takes it, or None when bcrypt cannot take it (over 72 bytes,
    a NUL byte, or text that is not valid UTF-8 such as a lone surrogate)."""
    try:
        data = password.encode("utf-8")
    except UnicodeError:
        return None
    if len(data) > MAX_BYTES or b"\0" in data:
        return None
    return data


class BcryptHasher:
    """``PasswordHasher`` with bcrypt (``$2b$`` hashes)."""

    def hash(self, password: str, cost: int) -> str:
        """A new salted hash of ``password`` with work factor ``cost`` (4-31; each step
        doubles the time). Raises ``InvalidInput`` for a password bcrypt cannot take."""
        data = _usable(password)
        if data is None:
            raise InvalidInput("password", f"at most {MAX_BYTES} bytes and no NUL characters")
        try:
            salt = bcrypt.gensalt(rounds=cost)
        except ValueError as err:
            raise InvalidInput("cost", f"bcrypt cost must be 4-31, not {cost}") from err
        return bcrypt.hashpw(data, salt).decode("ascii")

    def verify(self, password: str, hashed: str) -> bool:
        """True when ``password`` matches ``hashed``; False for anything else, never raising."""
        data = _usable(password)
        if data is None or _HASH.fullmatch(hashed) is None:
            return False
        try:
            return bcrypt.checkpw(data, hashed.encode("ascii"))
        except ValueError:
            return False

    def cost_of(self, hashed: str) -> int:
        """The work factor in ``hashed`` ("$2b$12$..." -> 12), 0 when it is not a bcrypt hash."""
        match = _HASH.fullmatch(hashed)
        return int(match.group(1)) if match else 0


def measure_cost(
    target_s: float = 0.5, costs: Iterable[int] = range(10, 16)
) -> list[tuple[int, float]]:
    """How long one password check takes here at each cost, in seconds, as (cost, seconds).
    Stops after the first cost slower than ``target_s``: the next would take twice as long."""
    timings: list[tuple[int, float]] = []
    for cost in costs:
        hashed = bcrypt.hashpw(_SAMPLE, bcrypt.gensalt(rounds=cost))
        start = time.perf_counter()
        bcrypt.checkpw(_SAMPLE, hashed)
        timings.append((cost, time.perf_counter() - start))
        if timings[-1][1] > target_s:
            break
    return timings
