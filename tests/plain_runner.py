"""A minimal CommandRunner for the NetworkManager adapter's tests, until the station's own
runner (eyepi_gui.adapters.runner.SubprocessRunner) is merged: allowlisted absolute paths, an
argv list, no shell, a timeout (the process is killed), a UTF-8 C locale and an extra
environment (the private bus's DBUS_SYSTEM_BUS_ADDRESS)."""

import os
import subprocess
from collections.abc import Mapping, Sequence

from eyepi_gui.errors import CommandFailed
from eyepi_gui.ports import CommandResult

NMCLI = {"nmcli": "/usr/bin/nmcli"}


class PlainRunner:
    """Implements ports.CommandRunner (tests only)."""

    def __init__(self, programs: Mapping[str, str], env: Mapping[str, str], timeout_s=10.0):
        self.programs = dict(programs)
        self.env = {**os.environ, **env, "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
        self.timeout_s = timeout_s

    def run(self, program: str, args: Sequence[str], *, timeout_s: float | None = None):
        path = self.programs.get(program)
        if path is None:
            raise CommandFailed(program, "not allowlisted")
        timeout = timeout_s or self.timeout_s
        try:
            done = subprocess.run(
                [path, *args],
                capture_output=True,
                timeout=timeout,
                env=self.env,
                stdin=subprocess.DEVNULL,
                check=False,
            )
        except subprocess.TimeoutExpired as err:
            raise CommandFailed(program, f"no answer within {timeout:g} s") from err
        except OSError as err:
            raise CommandFailed(program, f"cannot run: {err.strerror}") from err
        decode = lambda data: data.decode("utf-8", errors="replace")  # noqa: E731
        return CommandResult(program, done.returncode, decode(done.stdout), decode(done.stderr))
