"""Whether a TCP port can be listened on: tried for real, by binding it and letting go."""

from __future__ import annotations

import errno
import socket


class SocketPortProbe:
    """Implements ``ports.PortProbe``. Binds as the remote endpoint binds (SO_REUSEADDR, so a
    port its own last connections hold in TIME_WAIT counts as free) and closes at once."""

    def why_taken(self, host: str, port: int) -> str | None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((host, port))
            except OSError as err:
                return _reason(err, host, port)
        return None


def _reason(err: OSError, host: str, port: int) -> str:
    if err.errno == errno.EADDRINUSE:
        return f"port {port} is in use by another program on this station"
    if err.errno == errno.EACCES:
        return f"port {port} needs more privileges than the station has (use 1024 or above)"
    if err.errno == errno.EADDRNOTAVAIL:
        return f"{host} is not an address of this station"
    return f"cannot listen on {host} port {port}: {err.strerror or err}"
