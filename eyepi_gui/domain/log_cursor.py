"""Where a page of the log ends: a point between two lines of one log file, as an opaque text
that frontends hand back. The file is named by what survives a rename (the rotation of
``eyepi.jsonl`` to ``eyepi.jsonl.1``): its device and inode and a hash of its first line (an
inode used again by a newer file has another first line). Pure: no files."""

from __future__ import annotations

import base64
import binascii
import hashlib
import struct
from dataclasses import dataclass

from eyepi_gui.errors import InvalidInput

_PREFIX = "L1."
_LAYOUT = struct.Struct(">QQQQ")
NO_HEAD = 0
"""The head of a file without a complete first line yet (empty, or being written)."""
_MALFORMED = "not a cursor this station gave: start again from the newest entries"


@dataclass(frozen=True)
class FileIdentity:
    """One log file whatever its name: device, inode, hash of its first complete line."""

    device: int
    inode: int
    head: int


@dataclass(frozen=True)
class LogCursor:
    """A point in a log file: ``offset`` is the byte offset of a line start (or the end)."""

    file: FileIdentity
    offset: int

    def text(self) -> str:
        """The cursor as frontends carry it."""
        packed = _LAYOUT.pack(self.file.device, self.file.inode, self.file.head, self.offset)
        return _PREFIX + base64.urlsafe_b64encode(packed).decode("ascii").rstrip("=")


def head_hash(first_line: bytes) -> int:
    """The head of a file whose first complete line (without its newline) is ``first_line``."""
    return int.from_bytes(hashlib.blake2b(first_line, digest_size=8).digest(), "big") or 1


def parse_cursor(text: object) -> LogCursor:
    """The cursor ``text`` stands for; ``InvalidInput("cursor")`` for anything else."""
    if not isinstance(text, str) or not text.startswith(_PREFIX) or len(text) > 64:
        raise InvalidInput("cursor", _MALFORMED)
    body = text[len(_PREFIX) :]
    try:
        packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError) as err:
        raise InvalidInput("cursor", _MALFORMED) from err
    if len(packed) != _LAYOUT.size:
        raise InvalidInput("cursor", _MALFORMED)
    device, inode, head, offset = _LAYOUT.unpack(packed)
    if LogCursor(FileIdentity(device, inode, head), offset).text() != text:
        raise InvalidInput("cursor", _MALFORMED)
    return LogCursor(FileIdentity(device, inode, head), offset)
