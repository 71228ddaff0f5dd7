"""A real NetworkManager 1.42 for tests, in its own network namespace (root only).

``running_network_manager(tmp)`` (and the ``network_manager`` fixture) builds, per use:
- a network namespace ``eyepi-nm-<pid>-<n>`` holding a veth pair: ``veth-a`` (NM manages it)
  and its peer ``veth-b`` (up, left unmanaged: the far end of the cable);
- a private mount and UTS namespace (tests/nm_holder.py): tmpfs on /run and
  /var/lib/NetworkManager, an overlay on /etc, /sys read-only;
- a private D-Bus system bus (socket in the temporary folder) and NetworkManager on it, with
  keyfiles in ``keyfile_dir``. nmcli and D-Bus clients reach it through ``bus_address``
  (``DBUS_SYSTEM_BUS_ADDRESS``); nothing of the host's network or NetworkManager is touched.

Every process is started by this module and ended by its PID; the namespace is deleted and the
mounts go with the mount namespace, also when the test fails. A killed test run takes NM and
its bus with it (parent-death signal); its namespace and folder go at the next run. Skips with
the reason when not root or a program is missing.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.nm_bus import nm_ready

PROGRAMS = ("ip", "unshare", "nsenter", "dbus-daemon", "NetworkManager", "nmcli")
PREFIX = "eyepi-nm-"
HOLDER = Path(__file__).with_name("nm_holder.py")
READY_TIMEOUT_S = 10.0
PR_SET_PDEATHSIG = 1
_uses = itertools.count(1)

DBUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_type="method_return"/>
    <allow send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="signal"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
  </policy>
</busconfig>
"""

NM_CONFIG = """[main]
plugins=keyfile
auth-polkit=false
dhcp=internal
dns=none
rc-manager=unmanaged
hostname-mode=none
no-auto-default=*

[keyfile]
path={keyfiles}
unmanaged-devices=interface-name:veth-b

[connectivity]
enabled=false

[logging]
level=INFO
"""


def missing_programs() -> list[str]:
    return [name for name in PROGRAMS if _which(name) is None]


def _which(name: str) -> str | None:
    return shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")


def _run(argv: list[str], timeout: float = 10.0) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv, capture_output=True, text=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
    )


def _check(argv: list[str]) -> None:
    done = _run(argv)
    if done.returncode:
        raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr.strip()}")


def _die_with_parent() -> None:
    """In the child before exec: SIGKILL it when the thread that started it ends, so a test run
    that is killed leaves no NetworkManager or bus behind (start and stop from one thread)."""
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _stop(proc: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)  # this PID only
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def _gone(name: str) -> bool:
    """Whether ``name`` ("eyepi-nm-<pid>-...") belongs to a test process that has ended."""
    pid = name.removeprefix(PREFIX).split("-", 1)[0]
    return pid.isdigit() and not Path(f"/proc/{pid}").exists()


def sweep_stale() -> None:
    """Delete namespaces and folders of this module whose test process no longer runs (left
    by a killed run; its processes died with it, see ``_die_with_parent``)."""
    done = _run(["ip", "netns", "list"])
    for name in (line.split(" ", 1)[0] for line in done.stdout.splitlines()):
        if name.startswith(PREFIX) and _gone(name):
            _run(["ip", "netns", "delete", name])
    for folder in Path(tempfile.gettempdir()).glob(f"{PREFIX}*"):
        if _gone(folder.name):
            shutil.rmtree(folder, ignore_errors=True)


class NetnsNetworkManager:
    """One NetworkManager in its own namespaces; see the module docstring.

    ``device`` is the interface NM manages ("veth-a"); ``bus_address`` goes into
    DBUS_SYSTEM_BUS_ADDRESS; ``keyfile_dir`` holds the saved profiles; ``etc_upper`` what NM
    wrote to /etc (the hostname file); ``ready_s`` how long the last start took."""

    device = "veth-a"
    peer = "veth-b"

    def __init__(self, base: Path) -> None:
        self.netns = f"{PREFIX}{os.getpid()}-{next(_uses)}"
        self.base = base
        self.keyfile_dir = base / "keyfiles"
        self.etc_upper = base / "etc-upper"
        self.socket = base / "bus"
        self.bus_address = f"unix:path={self.socket}"
        self.log_path = base / "NetworkManager.log"
        self.ready_s = 0.0
        self._holder: subprocess.Popen[bytes] | None = None
        self._dbus: subprocess.Popen[bytes] | None = None
        self.nm: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        """This process's environment with the private bus as the system bus, C locale."""
        return {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": self.bus_address, "LC_ALL": "C"}

    def open(self) -> None:
        started = time.monotonic()
        for folder in ("keyfiles", "etc-upper", "etc-work", "conf.d"):
            (self.base / folder).mkdir(mode=0o700)
        (self.base / "dbus.conf").write_text(DBUS_CONFIG.format(socket=self.socket))
        (self.base / "NetworkManager.conf").write_text(NM_CONFIG.format(keyfiles=self.keyfile_dir))
        self._make_netns()
        self._start_holder()
        self._start_dbus()
        self._start_nm(started)

    def _make_netns(self) -> None:
        ip = ["ip", "-n", self.netns]
        _check(["ip", "netns", "add", self.netns])
        _check([*ip, "link", "add", self.device, "type", "veth", "peer", "name", self.peer])
        _check([*ip, "link", "set", "lo", "up"])
        _check([*ip, "link", "set", self.peer, "up"])

    def _start_holder(self) -> None:
        argv = ["ip", "netns", "exec", self.netns, "unshare", "--mount", "--uts"]
        argv += ["--propagation", "private", "--", sys.executable, "-I", str(HOLDER)]
        self._holder = subprocess.Popen(
            [*argv, str(self.base)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        assert self._holder.stdout is not None
        line = self._holder.stdout.readline()
        if line.strip() != b"ready":
            raise RuntimeError(f"namespace holder did not start (exit {self._holder.wait(5)})")

    def _inside(self) -> list[str]:
        assert self._holder is not None
        return ["nsenter", "-t", str(self._holder.pid), "-m", "-u", "-n", "--"]

    def _start_dbus(self) -> None:
        argv = [*self._inside(), "dbus-daemon", "--nofork", "--print-address"]
        argv.append(f"--config-file={self.base / 'dbus.conf'}")
        with (self.base / "dbus.log").open("ab") as log:
            self._dbus = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=log,
                preexec_fn=_die_with_parent,
            )
        assert self._dbus.stdout is not None
        if not self._dbus.stdout.readline():  # printed once it listens
            raise RuntimeError(f"dbus-daemon did not start (exit {self._dbus.wait(5)})")

    def _start_nm(self, started: float) -> None:
        argv = [*self._inside(), "NetworkManager", "--debug"]  # in front, logs to stderr
        argv += [f"--config={self.base / 'NetworkManager.conf'}"]
        argv += [
            f"--config-dir={self.base / 'conf.d'}",
            f"--system-config-dir={self.base / 'conf.d'}",
        ]
        argv += [f"--state-file={self.base / 'NetworkManager.state'}"]
        with self.log_path.open("ab") as log:
            self.nm = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                env=self.env,
                preexec_fn=_die_with_parent,
            )
        deadline = started + READY_TIMEOUT_S
        while not nm_ready(self.bus_address, self.device):
            if self.nm.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"NetworkManager not ready:\n{self.log_tail()}")
            time.sleep(0.02)
        self.ready_s = time.monotonic() - started

    def stop(self, sig: int = signal.SIGTERM) -> None:
        """Stop NetworkManager (state, keyfiles and the namespaces stay)."""
        _stop(self.nm, sig)

    def start(self) -> None:
        """Start NetworkManager again on the same state and keyfiles; returns once ready."""
        assert self.nm is None or self.nm.poll() is not None, "NetworkManager is running"
        self._start_nm(time.monotonic())

    def restart(self) -> None:
        self.stop()
        self.start()

    def pause(self) -> None:
        """Freeze NetworkManager (SIGSTOP): D-Bus calls to it hang until ``resume``."""
        assert self.nm is not None
        self.nm.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        assert self.nm is not None
        self.nm.send_signal(signal.SIGCONT)

    def ip_addr(self) -> dict[str, object]:
        """``ip -j addr show dev DEVICE`` inside the namespace, parsed (one interface)."""
        done = _run(["ip", "-n", self.netns, "-j", "addr", "show", "dev", self.device])
        assert done.returncode == 0, done.stderr
        found: list[dict[str, object]] = json.loads(done.stdout)
        return found[0]

    def ipv4(self) -> list[str]:
        """The device's IPv4 addresses now, as "a.b.c.d/prefix"."""
        infos = self.ip_addr().get("addr_info", [])
        assert isinstance(infos, list)
        return [f"{a['local']}/{a['prefixlen']}" for a in infos if a.get("family") == "inet"]

    def hostname_file(self) -> str | None:
        """What NM wrote to /etc/hostname inside its namespace (None if it wrote nothing)."""
        path = self.etc_upper / "hostname"
        return path.read_text().strip() if path.exists() else None

    def log_tail(self, lines: int = 30) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def close(self) -> None:
        """End every process by its PID and delete the namespace (idempotent)."""
        if self.nm is not None and self.nm.poll() is None:
            self.resume()
        _stop(self.nm)
        _stop(self._dbus)
        if self._holder is not None:
            with contextlib.suppress(OSError):
                assert self._holder.stdin is not None
                self._holder.stdin.close()
            _stop(self._holder)
        _run(["ip", "netns", "delete", self.netns])


@contextlib.contextmanager
def running_network_manager() -> Iterator[NetnsNetworkManager]:
    """A ready NetworkManager in fresh namespaces for the block; see the module docstring.
    Its folder is directly under /tmp: a D-Bus socket path holds at most 107 bytes."""
    if os.geteuid() != 0:
        pytest.skip("NetworkManager in a network namespace needs root (CI runs as root)")
    if missing := missing_programs():
        pytest.skip(f"not installed: {', '.join(missing)} (apt network-manager iproute2 dbus)")
    sweep_stale()
    base = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-"))
    base.chmod(0o755)
    manager = NetnsNetworkManager(base)
    try:
        manager.open()
        yield manager
    finally:
        manager.close()
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture
def network_manager() -> Iterator[NetnsNetworkManager]:
    """A real NetworkManager in its own namespaces, fresh per test (skips when not root)."""
    with running_network_manager() as manager:
        yield manager
