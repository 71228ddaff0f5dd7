"""A real systemd-journald for tests, in its own mount namespace (root only).

``running_journald()`` (and the ``journald`` fixture) starts, per use, a holder
(tests/journal_holder.py) in a private mount namespace with a tmpfs on /run and on
/var/log/journal, then ``/lib/systemd/systemd-journald`` inside that namespace (nsenter), and
waits for its stdout socket. Nothing of the host's /run or journal is touched. Entries go in
through the holder in journald's native protocol (``write``): the station's unit cannot be
given as ``_SYSTEMD_UNIT`` (journald takes it from the sender's cgroup, a trusted field), so
entries carry ``SYSLOG_IDENTIFIER`` and the adapter is set to match identifiers here
(``IDENTIFIERS``); on a station it matches units.

Readers must be in the same namespace: ``runner()`` is a CommandRunner whose journalctl runs
through ``nsenter --mount=/proc/<holder>/ns/mnt`` (tests only; the argument rules of
``domain.command_args`` are applied to journalctl's own arguments first). Every process is
ended by its PID, also when the test fails; a killed test run takes them with it.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pytest

from eyepi_gui.adapters.runner import SubprocessRunner
from eyepi_gui.domain.command_args import Program, checked_call
from eyepi_gui.errors import CommandFailed
from eyepi_gui.ports import CommandResult
from tests.nm_netns import _die_with_parent, _stop

JOURNALD = "/lib/systemd/systemd-journald"
JOURNALCTL = "/usr/bin/journalctl"
NSENTER = "/usr/bin/nsenter"
UNSHARE = "/usr/bin/unshare"
HOLDER = Path(__file__).with_name("journal_holder.py")
READY_TIMEOUT_S = 10.0
IDENTIFIERS = ("eyepi", "NetworkManager")
"""What the test journal's station entries are matched by (SYSLOG_IDENTIFIER)."""


class NamespaceRunner:
    """A CommandRunner for journalctl alone, run inside the namespace of process ``pid``."""

    def __init__(self, pid: int) -> None:
        self._mount = f"--mount=/proc/{pid}/ns/mnt"
        self._programs = {"journalctl": Program(JOURNALCTL, end_of_options=True)}
        self._inner = SubprocessRunner({"nsenter": Program(NSENTER, end_of_options=True)})
        self.calls: list[list[str]] = []

    def run(
        self, program: str, args: Sequence[str], *, timeout_s: float | None = None
    ) -> CommandResult:
        if checked_call(self._programs, program, args) is None:
            raise CommandFailed(program, "not allowed (not on the station's list of programs)")
        self.calls.append(list(args))
        done = self._inner.run(
            "nsenter", [self._mount, "--", JOURNALCTL, *args], timeout_s=timeout_s
        )
        return CommandResult(program, done.exit_code, done.stdout, done.stderr)


class RunningJournald:
    """One journald in a private mount namespace; see the module docstring."""

    def __init__(self) -> None:
        self._holder: subprocess.Popen[bytes] | None = None
        self.journald: subprocess.Popen[bytes] | None = None
        self.ready_s = 0.0

    @property
    def pid(self) -> int:
        assert self._holder is not None
        return self._holder.pid

    def open(self, *, start_journald: bool = True) -> None:
        started = time.monotonic()
        argv = [UNSHARE, "--mount", "--propagation", "private", "--"]
        self._holder = subprocess.Popen(
            [*argv, sys.executable, "-I", str(HOLDER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            preexec_fn=_die_with_parent,
        )
        if self._reply() != "ready":
            raise RuntimeError(f"journal holder did not start (exit {self._holder.wait(5)})")
        if start_journald:
            self._start(started)

    def _start(self, started: float) -> None:
        self.journald = subprocess.Popen(
            [NSENTER, f"--mount=/proc/{self.pid}/ns/mnt", "--", JOURNALD],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,
        )
        stdout = Path(f"/proc/{self.pid}/root/run/systemd/journal/stdout")
        while not stdout.exists():
            if self.journald.poll() is not None or time.monotonic() > started + READY_TIMEOUT_S:
                raise RuntimeError("systemd-journald did not start")
            time.sleep(0.02)
        self.ready_s = time.monotonic() - started

    def runner(self) -> NamespaceRunner:
        return NamespaceRunner(self.pid)

    def write(
        self, message: str | bytes, *, identifier: str = "eyepi", priority: int = 6, **fields: str
    ) -> None:
        """Send one entry (``MESSAGE`` as text, or bytes that are not UTF-8)."""
        entry: dict[str, object] = {
            "MESSAGE": message if isinstance(message, str) else list(message),
            "SYSLOG_IDENTIFIER": identifier,
            "PRIORITY": str(priority),
            **fields,
        }
        self._send(entry)

    def _send(self, entry: Mapping[str, object]) -> None:
        assert self._holder is not None and self._holder.stdin is not None
        encoded = {k: bytes(v) if isinstance(v, list) else v for k, v in entry.items()}
        line = json.dumps({k: _jsonable(v) for k, v in encoded.items()})
        self._holder.stdin.write(line.encode() + b"\n")
        self._holder.stdin.flush()
        if self._reply() != "sent":
            raise RuntimeError("the journal holder did not send the entry")

    def _reply(self) -> str:
        assert self._holder is not None and self._holder.stdout is not None
        return self._holder.stdout.readline().decode().strip()

    def wait_for(self, count: int, timeout_s: float = 5.0) -> None:
        """Wait until journalctl shows ``count`` entries from IDENTIFIERS (journald writes
        what it received asynchronously)."""
        args = ["-o", "cat", "--no-pager", *[f"--identifier={name}" for name in IDENTIFIERS]]
        deadline = time.monotonic() + timeout_s
        while True:
            done = self.runner().run("journalctl", args)
            if len(done.stdout.splitlines()) >= count or time.monotonic() > deadline:
                return
            time.sleep(0.02)

    def stop_journald(self) -> None:
        _stop(self.journald)

    def close(self) -> None:
        _stop(self.journald)
        if self._holder is not None:
            with contextlib.suppress(OSError):
                assert self._holder.stdin is not None
                self._holder.stdin.close()
            _stop(self._holder)


def _jsonable(value: object) -> object:
    """Bytes cannot go through JSON: the holder gets them as a list of numbers."""
    return list(value) if isinstance(value, bytes) else value


@contextlib.contextmanager
def running_journald(*, start_journald: bool = True) -> Iterator[RunningJournald]:
    """A ready journald in a fresh mount namespace for the block (skips when not root)."""
    if os.geteuid() != 0:
        pytest.skip("systemd-journald in a mount namespace needs root (CI runs as root)")
    missing = [p for p in (JOURNALD, JOURNALCTL, NSENTER, UNSHARE) if not os.path.exists(p)]
    if missing:
        pytest.skip(f"not installed: {', '.join(missing)} (apt systemd util-linux)")
    journal = RunningJournald()
    try:
        journal.open(start_journald=start_journald)
        yield journal
    finally:
        journal.close()


@pytest.fixture
def journald() -> Iterator[RunningJournald]:
    """A real systemd-journald in its own mount namespace, fresh per test (root only)."""
    with running_journald() as journal:
        yield journal
