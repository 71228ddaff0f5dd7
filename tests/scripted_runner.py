"""ScriptedRunner: a CommandRunner that replays scripted or recorded output, for tests.

Each ``expect`` scripts the answer to one call (program and exact args; a ``UserValue`` in
the script matches only a ``UserValue`` in the call, so a test also checks what the caller
marked as coming from a user). Output may come from a recorded file in ``tests/data/nmcli``
(raw bytes, decoded as the real runner decodes them). A call nobody scripted fails the test
with its argv. The rules are the real runner's: the allowlist, ``check_args`` (the same
function), the timeout ("did not answer within N s", after really waiting that long), the
output bound and "not installed" for the programs given as such.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from eyepi_gui.adapters.runner import DEFAULT_MAX_OUTPUT, DEFAULT_TIMEOUT_S, STATION_PROGRAMS
from eyepi_gui.domain.command_args import NOT_ALLOWED, Program, UserValue, checked_call
from eyepi_gui.errors import CommandFailed
from eyepi_gui.ports import CommandResult

RECORDED = Path(__file__).parent / "data" / "nmcli"
"""Where recorded program output lives (``stdout_file`` names are relative to it)."""


@dataclass(frozen=True)
class Call:
    """One call the runner took: the program, its args as given, the timeout it ran with."""

    program: str
    args: tuple[str, ...]
    timeout_s: float


@dataclass
class _Reply:
    program: str
    args: tuple[str, ...]
    stdout: bytes
    stderr: str
    exit_code: int
    delay_s: float
    times: int | None  # None: any number of times

    def matches(self, program: str, args: Sequence[str]) -> bool:
        return program == self.program and _same_args(self.args, tuple(args))


class ScriptedRunner:
    """Replays scripted answers. ``programs`` is the allowlist (name -> Program or path; a
    bare path takes no user values, as in the real runner), by default the station's
    programs; ``not_installed`` names allowed programs whose calls say "not installed"."""

    def __init__(
        self,
        programs: Mapping[str, Program | str] | None = None,
        *,
        default_timeout_s: float = DEFAULT_TIMEOUT_S,
        max_output_bytes: int = DEFAULT_MAX_OUTPUT,
        not_installed: Iterable[str] = (),
    ) -> None:
        if programs is None:
            programs = {n: Program(f"/usr/bin/{n}", e) for n, e in STATION_PROGRAMS.items()}
        self._programs = {
            name: spec if isinstance(spec, Program) else Program(spec, end_of_options=False)
            for name, spec in programs.items()
        }
        self._default_timeout_s = default_timeout_s
        self._max_output = max_output_bytes
        self._missing = frozenset(not_installed)
        self._replies: list[_Reply] = []
        self._lock = threading.Lock()
        self.calls: list[Call] = []

    def expect(
        self,
        program: str,
        args: Sequence[str],
        *,
        stdout: str | bytes = "",
        stderr: str = "",
        exit_code: int = 0,
        delay_s: float = 0.0,
        stdout_file: str | Path | None = None,
        times: int | None = 1,
    ) -> None:
        """Script the answer to ``program`` with exactly ``args``: output (``stdout`` as text
        or raw bytes, or ``stdout_file`` read as raw bytes, relative to ``tests/data/nmcli``;
        decoded as the real runner decodes, bad UTF-8 as U+FFFD), exit code, and how long the
        program takes (longer than the call's timeout: the call times out). ``times`` is
        how many calls it answers (None: any number)."""
        if stdout_file is not None:
            stdout = (RECORDED / stdout_file).read_bytes()
        out = stdout if isinstance(stdout, bytes) else stdout.encode()
        reply = _Reply(program, tuple(args), out, stderr, exit_code, delay_s, times)
        with self._lock:
            self._replies.append(reply)

    def run(
        self, program: str, args: Sequence[str], *, timeout_s: float | None = None
    ) -> CommandResult:
        spec = checked_call(self._programs, program, args)
        if spec is None:
            raise CommandFailed(program, NOT_ALLOWED)
        if program in self._missing:
            raise CommandFailed(program, f"not installed ({spec.path} is missing)")
        wait_s = self._default_timeout_s if timeout_s is None else timeout_s
        if isinstance(wait_s, bool) or not (math.isfinite(wait_s) and wait_s > 0):
            raise ValueError(f"a timeout must be a number of seconds above 0, not {wait_s!r}")
        reply = self._take(program, args, wait_s)
        if reply.delay_s > wait_s:
            time.sleep(wait_s)
            raise CommandFailed(program, f"did not answer within {wait_s:g} s")
        time.sleep(reply.delay_s)
        bound = self._max_output
        if max(len(reply.stdout), len(reply.stderr.encode())) > bound:
            raise CommandFailed(program, f"too much output (more than {bound} bytes)")
        return CommandResult(
            program, reply.exit_code, reply.stdout.decode("utf-8", "replace"), reply.stderr
        )

    def _take(self, program: str, args: Sequence[str], wait_s: float) -> _Reply:
        with self._lock:
            self.calls.append(Call(program, tuple(args), wait_s))
            for reply in self._replies:
                if reply.matches(program, args) and reply.times != 0:
                    if reply.times is not None:
                        reply.times -= 1
                    return reply
            scripted = [f"{r.program} {list(r.args)!r}" for r in self._replies if r.times != 0]
        raise AssertionError(
            f"unexpected call: {program} {list(args)!r}; scripted: {scripted or 'nothing'}"
        )

    def unused(self) -> list[tuple[str, tuple[str, ...]]]:
        """Scripted calls not made (as often as scripted); those for any number never count."""
        with self._lock:
            return [(r.program, r.args) for r in self._replies if r.times]

    def assert_all_used(self) -> None:
        left = self.unused()
        assert not left, f"scripted calls never made: {left}"


def _same_args(scripted: tuple[str, ...], given: tuple[str, ...]) -> bool:
    """Equal text, and a UserValue exactly where the script has one."""
    return len(scripted) == len(given) and all(
        a == b and isinstance(a, UserValue) == isinstance(b, UserValue)
        for a, b in zip(scripted, given, strict=True)
    )
