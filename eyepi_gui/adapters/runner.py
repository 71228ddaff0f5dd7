"""The one way eyepi starts an outside program (``ports.CommandRunner``): allowlisted
absolute paths, an argv list and never a shell, sudo or another launcher, a timeout on every
call that kills the program with every process it started, output bounded per stream, no
stdin, and a small fixed environment (``LC_ALL=C.UTF-8``: output parses the same everywhere,
and non-ASCII names such as SSIDs come through intact; under plain C nmcli prints "caf?").

Values from users follow the rule of ``domain.command_args``: only after a "--", only to a
program that honours it; logs show them as "<value>". A program that puts itself in another
process group or session escapes the timeout's kill (none of the station's programs does).
"""

from __future__ import annotations

import logging
import math
import os
import re
import selectors
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from eyepi_gui.domain.command_args import NOT_ALLOWED, Program, checked_call, shown_command
from eyepi_gui.errors import CommandFailed
from eyepi_gui.ports import CommandResult

_log = logging.getLogger(__name__)

MiB = 1024 * 1024
DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MAX_OUTPUT = 4 * MiB
BASE_ENV: Mapping[str, str] = MappingProxyType(
    {"PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
)
SYSTEM_DIRS = ("/usr/bin", "/usr/sbin", "/bin", "/sbin")
STATION_PROGRAMS: Mapping[str, bool] = MappingProxyType(
    {
        "nmcli": False,
        "lsblk": True,
        "journalctl": True,
        "systemctl": True,
        "blkid": True,
        "mount": True,
        "umount": True,
        "mount.exfat-fuse": True,
        "sync": True,
        "udisksctl": False,
    }
)
"""The programs the station runs, by name, with whether each honours "--" (may be given
user values). nmcli does not: it reads arguments after "--" as its own words in places
(``nmcli connection add ... -- ipv4.addresses ...`` takes property names after it), so
user strings go to NetworkManager over D-Bus instead. util-linux (lsblk, blkid, mount,
umount) and coreutils (sync) parse with getopt_long, and mount.exfat-fuse with getopt: each
ends its options at "--" (tried with device and folder operands after it). udisksctl parses
with GLib's GOption, whose handling of "--" varies by subcommand: it gets none."""
REFUSED = frozenset(
    {
        *("sh", "bash", "rbash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh", "fish"),
        *("busybox", "sudo", "su", "doas", "pkexec", "runuser", "setpriv"),
        *("env", "xargs", "nohup", "setsid", "timeout", "nice", "chroot", "script"),
    }
)
"""Programs never allowlisted: shells, those that change user, and those that run a command
named in their own arguments (the allowlist would mean nothing)."""
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]*")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CHUNK = 64 * 1024


class SubprocessRunner:
    """Runs the programs of ``allowlist`` (name -> ``Program``; a bare absolute path is a
    program that takes no user values). ``default_timeout_s`` applies to calls that give
    none; ``max_output_bytes`` bounds stdout and stderr each; ``extra_env`` is added to the
    fixed environment (``DBUS_SYSTEM_BUS_ADDRESS``, say), never replacing it. A program
    missing from disk is accepted here and reported per call ("not installed"): it may be
    installed later. Raises ValueError for a name, path or setting that cannot be right."""

    def __init__(
        self,
        allowlist: Mapping[str, Program | str],
        *,
        default_timeout_s: float = DEFAULT_TIMEOUT_S,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT,
        extra_env: Mapping[str, str] | None = None,
    ) -> None:
        self._programs = {name: _allowed(name, spec) for name, spec in allowlist.items()}
        self._default_timeout_s = _timeout(default_timeout_s)
        if isinstance(max_output_bytes, bool) or max_output_bytes < 1:
            raise ValueError(f"max_output_bytes must be 1 or more, not {max_output_bytes!r}")
        self._max_output = max_output_bytes
        self._env = {**BASE_ENV, **_extra_env(extra_env or {})}

    @property
    def programs(self) -> Mapping[str, Program]:
        return MappingProxyType(self._programs)

    def run(
        self, program: str, args: Sequence[str], *, timeout_s: float | None = None
    ) -> CommandResult:
        """See ``ports.CommandRunner.run``."""
        spec = checked_call(self._programs, program, args)
        if spec is None:
            raise CommandFailed(program, NOT_ALLOWED)
        wait_s = self._default_timeout_s if timeout_s is None else _timeout(timeout_s)
        started = time.monotonic()
        try:
            result = self._run(program, spec, args, wait_s)
        except CommandFailed as err:
            _logged(program, args, err.reason, started)
            raise
        _logged(program, args, f"exit {result.exit_code}", started)
        return result

    def _run(self, name: str, spec: Program, args: Sequence[str], wait_s: float) -> CommandResult:
        process = self._start(name, spec, args)
        try:
            stdout, stderr = _collect(process, wait_s, self._max_output)
        except _Stopped as stop:
            raise CommandFailed(name, stop.reason) from None
        finally:
            _end(process)
        return CommandResult(
            program=name,
            exit_code=process.returncode,
            stdout=stdout.decode("utf-8", "replace"),
            stderr=stderr.decode("utf-8", "replace"),
        )

    def _start(self, name: str, spec: Program, args: Sequence[str]) -> subprocess.Popen[bytes]:
        try:
            return subprocess.Popen(
                [spec.path, *args],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=self._env,
                cwd="/",
                close_fds=True,
                start_new_session=True,  # its own process group, killed whole on timeout
            )
        except FileNotFoundError:
            raise CommandFailed(name, f"not installed ({spec.path} is missing)") from None
        except OSError as err:
            raise CommandFailed(name, f"cannot start: {err.strerror or err}") from err


def _logged(program: str, args: Sequence[str], outcome: str, started: float) -> None:
    took = time.monotonic() - started
    _log.debug(
        "%s: %s after %.3f s",
        shown_command(program, args),
        outcome,
        took,
        extra={"event": "command", "fields": {"program": program, "took_s": round(took, 4)}},
    )


class _Stopped(Exception):
    """The program was cut off; ``reason`` says why."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _collect(process: subprocess.Popen[bytes], wait_s: float, bound: int) -> tuple[bytes, bytes]:
    """Read stdout and stderr to their end and wait for the exit, all within ``wait_s``."""
    deadline = time.monotonic() + wait_s
    late = _Stopped(f"did not answer within {wait_s:g} s")
    out, err = bytearray(), bytearray()
    pipes = ((process.stdout, out), (process.stderr, err))
    buffers = {pipe.fileno(): buffer for pipe, buffer in pipes if pipe is not None}
    with selectors.DefaultSelector() as selector:
        for fd in buffers:
            selector.register(fd, selectors.EVENT_READ)
        while selector.get_map():
            left = deadline - time.monotonic()
            if left <= 0:
                raise late
            for key, _ in selector.select(left):
                if not _read_into(buffers[key.fd], key.fd, bound):
                    selector.unregister(key.fd)
    try:
        process.wait(max(0.0, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise late from None
    return bytes(out), bytes(err)


def _read_into(buffer: bytearray, fd: int, bound: int) -> bool:
    """Append what ``fd`` has; False at its end. Raises _Stopped past ``bound`` bytes."""
    data = os.read(fd, min(_CHUNK, bound + 1 - len(buffer)))
    buffer += data
    if len(buffer) > bound:
        raise _Stopped(f"too much output (more than {bound} bytes)")
    return bool(data)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Kill the program's process group unless it has exited, reap it, close its pipes."""
    if process.returncode is None:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            process.kill()
        process.wait()
    for pipe in (process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def _allowed(name: str, spec: Program | str) -> Program:
    program = spec if isinstance(spec, Program) else Program(spec, end_of_options=False)
    path = program.path
    if not _NAME.fullmatch(name):
        raise ValueError(f"{name!r} is no program name (letters, digits, '.', '_', '+', '-')")
    if not os.path.isabs(path) or os.path.normpath(path) != path or path.startswith("//"):
        raise ValueError(f"{name}: {path!r} is no absolute, normalised path")
    names = {name, os.path.basename(path), os.path.basename(os.path.realpath(path))}
    if refused := sorted(names & REFUSED):
        raise ValueError(f"{name}: {path} is a shell or launcher ({', '.join(refused)})")
    return program


def _timeout(seconds: float) -> float:
    if isinstance(seconds, bool) or not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"a timeout must be a number of seconds above 0, not {seconds!r}")
    return float(seconds)


def _extra_env(extra: Mapping[str, str]) -> dict[str, str]:
    for key, value in extra.items():
        if key in BASE_ENV or not _ENV_NAME.fullmatch(key) or "\0" in value:
            raise ValueError(f"{key!r} cannot be added to a program's environment")
    return dict(extra)


def find_program(name: str) -> str | None:
    """``name``'s executable in the system folders (never PATH), or None."""
    for folder in SYSTEM_DIRS:
        path = os.path.join(folder, name)
        if os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def station_runner(extra_env: Mapping[str, str] | None = None) -> SubprocessRunner:
    """The station's runner: ``STATION_PROGRAMS`` where found in the system folders; one not
    found stays allowed at /usr/bin/<name>, so its calls say "not installed"."""
    allowlist = {
        name: Program(find_program(name) or f"/usr/bin/{name}", end_of_options)
        for name, end_of_options in STATION_PROGRAMS.items()
    }
    return SubprocessRunner(allowlist, extra_env=extra_env)
