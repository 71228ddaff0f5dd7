"""What only the real runner does: the allowlist refused at construction, the fixed
environment, a timeout that kills every process the program started, the bound on stderr,
log lines without user values, and the station's programs found in the system folders only.
(What every runner does: tests/contract/test_command_runner.py.)"""

import logging
import os
import sys
import time
from pathlib import Path

import pytest

from eyepi_gui.adapters import runner as runner_module
from eyepi_gui.adapters.runner import (
    BASE_ENV,
    STATION_PROGRAMS,
    SYSTEM_DIRS,
    SubprocessRunner,
    find_program,
    station_runner,
)
from eyepi_gui.domain.command_args import Program, UserValue
from eyepi_gui.errors import CommandFailed

PYTHON = Program(sys.executable, end_of_options=True)


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("sh", "/bin/sh"),
        ("shell", "/bin/sh"),  # the path's name
        ("net", "/usr/bin/bash"),
        ("sudo", "/usr/bin/sudo"),
        ("su", "/bin/su"),
        ("doas", "/usr/bin/doas"),
        ("pkexec", "/usr/bin/pkexec"),
        ("env", "/usr/bin/env"),
        ("xargs", "/usr/bin/xargs"),
        ("bash", "/usr/bin/printf"),  # the name alone
    ],
)
def test_shells_sudo_and_launchers_are_refused_by_name_or_path(name, path):
    with pytest.raises(ValueError, match="shell or launcher"):
        SubprocessRunner({name: Program(path)})


def test_a_link_to_a_shell_is_refused(tmp_path):
    innocent = tmp_path / "status-tool"
    innocent.symlink_to("/usr/bin/sudo")
    with pytest.raises(ValueError, match="sudo"):
        SubprocessRunner({"status-tool": Program(str(innocent))})
    if Path("/bin/sh").resolve().name != "sh":  # /bin/sh -> dash on Debian
        with pytest.raises(ValueError, match="shell or launcher"):
            SubprocessRunner({"tool": "/usr/bin/" + Path("/bin/sh").resolve().name})


@pytest.mark.parametrize(
    "path", ["nmcli", "bin/nmcli", "./nmcli", "/usr/bin/../bin/nmcli", "//usr/bin/nmcli", ""]
)
def test_a_path_that_is_not_absolute_and_normalised_is_refused(path):
    with pytest.raises(ValueError, match="absolute"):
        SubprocessRunner({"nmcli": Program(path)})


@pytest.mark.parametrize("name", ["", "a/b", "-x", "two words", "nm\ncli"])
def test_a_name_that_is_no_program_name_is_refused(name):
    with pytest.raises(ValueError, match="no program name"):
        SubprocessRunner({name: Program("/usr/bin/printf")})


@pytest.mark.parametrize(
    "settings",
    [
        {"default_timeout_s": 0},
        {"default_timeout_s": -1},
        {"default_timeout_s": float("nan")},
        {"default_timeout_s": True},
        {"max_output_bytes": 0},
        {"max_output_bytes": True},
        {"extra_env": {"PATH": "/tmp"}},
        {"extra_env": {"LC_ALL": "de_DE.UTF-8"}},
        {"extra_env": {"BAD NAME": "x"}},
        {"extra_env": {"X": "a\0b"}},
    ],
)
def test_settings_that_cannot_be_right_are_refused(settings):
    with pytest.raises(ValueError):
        SubprocessRunner({"printf": "/usr/bin/printf"}, **settings)


def test_a_bare_path_is_a_program_that_takes_no_user_values():
    runner = SubprocessRunner({"printf": "/usr/bin/printf"})
    assert runner.programs["printf"] == Program("/usr/bin/printf", end_of_options=False)
    with pytest.raises(ValueError, match="does not honour"):
        runner.run("printf", ["--", UserValue("x")])


def test_a_program_gets_the_fixed_environment_and_the_extra_names_only(monkeypatch):
    monkeypatch.setenv("EYEPI_SECRET", "not for programs")
    extra = {"DBUS_SYSTEM_BUS_ADDRESS": "unix:path=/tmp/bus"}
    runner = SubprocessRunner({"printenv": "/usr/bin/printenv"}, extra_env=extra)
    printed = runner.run("printenv", []).stdout.splitlines()
    assert dict(line.split("=", 1) for line in printed) == {**BASE_ENV, **extra}


def test_a_program_runs_in_the_root_folder():
    runner = SubprocessRunner({"python": PYTHON})
    assert runner.run("python", ["-c", "import os; print(os.getcwd())"]).stdout == "/\n"


def dead(pid):
    """The process is gone or a zombie (killed, not yet reaped by its new parent)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] in "ZX"
    except FileNotFoundError:
        return True


def wait_dead(pid, within_s=3.0):
    deadline = time.monotonic() + within_s
    while not dead(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    return dead(pid)


GRANDCHILD = """
import subprocess, sys
child = subprocess.Popen(["/bin/sleep", "30"], stdout=subprocess.DEVNULL)
open(sys.argv[1], "w").write(str(child.pid))
child.wait()
"""
LINGERING = """
import subprocess, sys
child = subprocess.Popen(["/bin/sleep", "30"])  # keeps the runner's stdout open
open(sys.argv[1], "w").write(str(child.pid))
"""


@pytest.mark.parametrize("script", [GRANDCHILD, LINGERING], ids=["waiting", "exited"])
def test_a_timeout_kills_every_process_the_program_started(tmp_path, script):
    """Also when the program itself exited but left a child holding its output open."""
    pid_file = tmp_path / "pid"
    runner = SubprocessRunner({"python": PYTHON})
    started = time.monotonic()
    with pytest.raises(CommandFailed, match="did not answer within 1 s"):
        runner.run("python", ["-c", script, str(pid_file)], timeout_s=1)
    assert time.monotonic() - started < 2
    assert wait_dead(int(pid_file.read_text()))


def test_endless_error_output_is_cut_off_too():
    runner = SubprocessRunner({"python": PYTHON}, max_output_bytes=4096)
    endless = "import sys\nwhile True: sys.stderr.write('e' * 1000)"
    with pytest.raises(CommandFailed, match="too much output"):
        runner.run("python", ["-c", endless], timeout_s=5)


def test_output_larger_than_a_pipe_buffer_on_both_streams_comes_back_whole():
    runner = SubprocessRunner({"python": PYTHON})
    both = (
        "import sys\nfor _ in range(64): sys.stdout.write('o' * 4096); sys.stderr.write('e' * 4096)"
    )
    result = runner.run("python", ["-c", both])
    assert (result.stdout, result.stderr) == ("o" * 64 * 4096, "e" * 64 * 4096)


def test_the_log_shows_user_values_as_placeholders(caplog):
    runner = SubprocessRunner({"printf": Program("/usr/bin/printf")})
    with caplog.at_level(logging.DEBUG, logger=runner_module.__name__):
        runner.run("printf", ["--", "%s\n", UserValue("Home WiFi secret-name")])
    (record,) = caplog.records
    assert record.levelno == logging.DEBUG
    assert record.getMessage().startswith('printf -- "%s\\n" <value>: exit 0 after ')
    assert "secret-name" not in record.getMessage() and "secret-name" not in str(record.__dict__)


def test_a_failed_call_is_logged_with_its_reason(caplog):
    runner = SubprocessRunner({"sleep": "/bin/sleep"})
    with (
        caplog.at_level(logging.DEBUG, logger=runner_module.__name__),
        pytest.raises(CommandFailed),
    ):
        runner.run("sleep", ["5"], timeout_s=0.2)
    assert "sleep 5: did not answer within 0.2 s after" in caplog.text


def test_the_station_programs_are_looked_up_in_the_system_folders_only(tmp_path, monkeypatch):
    decoy = tmp_path / "nmcli"
    decoy.write_text("#!/bin/sh\necho decoy\n")
    decoy.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}:{os.environ['PATH']}")
    programs = station_runner().programs
    assert set(programs) == set(STATION_PROGRAMS)
    assert set(programs) == {
        *("nmcli", "lsblk", "journalctl", "systemctl"),
        *("blkid", "mount", "umount", "mount.exfat-fuse", "sync", "udisksctl"),
    }
    for name, program in programs.items():
        assert os.path.dirname(program.path) in SYSTEM_DIRS
        assert program.end_of_options is STATION_PROGRAMS[name]
        assert program.path == (find_program(name) or f"/usr/bin/{name}")
    assert programs["nmcli"].end_of_options is False
    assert programs["udisksctl"].end_of_options is False


def test_a_station_program_not_installed_says_so():
    assert find_program("eyepi-no-such-program") is None
    runner = station_runner()
    if find_program("journalctl") is None:
        with pytest.raises(CommandFailed, match="not installed"):
            runner.run("journalctl", ["--version"])
    else:
        assert runner.run("journalctl", ["--version"]).exit_code == 0
