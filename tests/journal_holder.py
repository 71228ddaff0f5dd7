"""Holds a private mount namespace for a systemd-journald under test (run by
tests/journald_ns.py) and writes journal entries into it.

Started as ``unshare --mount --propagation private -- python journal_holder.py``: mounts a
tmpfs on /run (with /run/systemd/journal and /run/log/journal) and on /var/log/journal, prints
"ready", then reads one JSON object per line from stdin: each is an entry (field -> text) sent
to /run/systemd/journal/socket in journald's native protocol (values may hold newlines), and
"sent" is printed once it went. The namespace ends when stdin closes.
"""

import ctypes
import json
import os
import socket
import struct
import sys

SOCKET = "/run/systemd/journal/socket"
_libc = ctypes.CDLL(None, use_errno=True)


def _mount_tmpfs(target: str) -> None:
    if _libc.mount(b"tmpfs", target.encode(), b"tmpfs", 0, b"mode=0755") != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"mount tmpfs on {target}: {os.strerror(err)}")


def native(fields: dict) -> bytes:
    """An entry in journald's native protocol: FIELD=value lines, or for a value holding a
    newline: FIELD, newline, its length as 64-bit little endian, the value, newline."""
    out = b""
    for name, value in fields.items():
        data = value.encode() if isinstance(value, str) else bytes(value)
        if b"\n" in data:
            out += name.encode() + b"\n" + struct.pack("<Q", len(data)) + data + b"\n"
        else:
            out += name.encode() + b"=" + data + b"\n"
    return out


def main() -> None:
    _mount_tmpfs("/run")
    for folder in ("/run/systemd/journal", "/run/log/journal"):
        os.makedirs(folder)
    _mount_tmpfs("/var/log/journal")
    print("ready", flush=True)
    sender = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    for line in sys.stdin:
        entry = json.loads(line)
        sender.sendto(native(entry), SOCKET)
        print("sent", flush=True)


if __name__ == "__main__":
    main()
