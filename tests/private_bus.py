"""A private D-Bus "system" bus for tests: a ``dbus-daemon`` of our own on a socket in a
temporary folder, nothing of the host's bus touched.

``private_bus`` (fixture) yields a ``PrivateBus`` whose ``address`` goes where the code under
test wants the system bus (``DBUS_SYSTEM_BUS_ADDRESS``, or an adapter's ``address``). The
daemon is started by this module and ended by its PID in teardown; it dies with the test run
when that is killed (parent-death signal). Skips, saying why, without ``dbus-daemon``.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.nm_netns import DBUS_CONFIG, _die_with_parent, _stop


class PrivateBus:
    """One running dbus-daemon; ``address`` is its D-Bus address ("unix:path=...")."""

    def __init__(self, base: Path) -> None:
        self.socket = base / "bus"
        self.address = f"unix:path={self.socket}"
        self._config = base / "dbus.conf"
        self._config.write_text(DBUS_CONFIG.format(socket=self.socket))
        self._daemon: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        argv = ["dbus-daemon", "--nofork", "--print-address", f"--config-file={self._config}"]
        self._daemon = subprocess.Popen(
            argv,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        assert self._daemon.stdout is not None
        if not self._daemon.stdout.readline():  # printed once it listens
            raise RuntimeError(f"dbus-daemon did not start (exit {self._daemon.wait(5)})")

    def stop(self) -> None:
        _stop(self._daemon)


@contextlib.contextmanager
def running_private_bus() -> Iterator[PrivateBus]:
    """A private bus for the block. Its folder is directly under /tmp: a D-Bus socket path
    holds at most 107 bytes."""
    if shutil.which("dbus-daemon") is None:
        pytest.skip("a private D-Bus needs dbus-daemon (apt dbus)")
    base = Path(tempfile.mkdtemp(prefix="eyepi-bus-"))
    bus = PrivateBus(base)
    try:
        bus.start()
        yield bus
    finally:
        bus.stop()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def private_bus() -> Iterator[PrivateBus]:
    """A fresh private D-Bus bus per test."""
    with running_private_bus() as bus:
        yield bus
