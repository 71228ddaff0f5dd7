"""Contract tests every CommandRunner passes: the real SubprocessRunner running real programs
(printf, echo, cat, ls, sleep, yes, false) and the ScriptedRunner the other tests use, given
the answers the real programs give. What holds for both: exit codes come back (never raised),
shell metacharacters arrive verbatim, a user value is only ever data after "--", timeouts,
the output bound, programs not allowed and not installed."""

import time

import pytest

from eyepi_gui.adapters.runner import SubprocessRunner
from eyepi_gui.domain.command_args import Program, UserValue
from eyepi_gui.errors import CommandFailed
from tests.scripted_runner import ScriptedRunner

PROGRAMS = {
    "printf": Program("/usr/bin/printf", end_of_options=True),
    "cat": Program("/bin/cat", end_of_options=True),
    "ls": Program("/bin/ls", end_of_options=True),
    "echo": Program("/bin/echo", end_of_options=False),  # GNU echo prints "--" as text
    "sleep": "/bin/sleep",
    "yes": "/usr/bin/yes",
    "false": "/bin/false",
    "gone": Program("/usr/bin/eyepi-no-such-program", end_of_options=True),
}
BOUND = 64 * 1024


class RealPrograms:
    """The real runner; the programs themselves give the answers ``expect`` describes."""

    def __init__(self, **settings):
        self.runner = SubprocessRunner(PROGRAMS, **settings)

    def expect(self, program, args, **answer):
        pass

    def ran(self):
        return None  # the real runner keeps no list: nothing to compare


class ScriptedPrograms:
    """The scripted runner, told the answers the real programs give."""

    def __init__(self, **settings):
        self.runner = ScriptedRunner(PROGRAMS, not_installed={"gone"}, **settings)

    def expect(self, program, args, **answer):
        self.runner.expect(program, args, **answer)

    def ran(self):
        return [(call.program, call.args) for call in self.runner.calls]


@pytest.fixture(params=[RealPrograms, ScriptedPrograms], ids=["subprocess", "scripted"])
def make(request):
    return request.param


@pytest.fixture
def side(make):
    return make()


def test_output_and_a_zero_exit_code_come_back(side):
    args = ["--", "%s|", "a b", "c"]
    side.expect("printf", args, stdout="a b|c|")
    result = side.runner.run("printf", args)
    assert (result.program, result.exit_code, result.stdout, result.stderr) == (
        "printf",
        0,
        "a b|c|",
        "",
    )


@pytest.mark.parametrize(
    ("program", "args", "code", "stderr"),
    [
        ("false", [], 1, ""),
        ("cat", ["--", "/no/such/file"], 1, "/bin/cat: /no/such/file: No such file or directory"),
        ("ls", ["--", "/no/such/file"], 2, "/bin/ls: cannot access '/no/such/file': No such file"),
    ],
)
def test_a_non_zero_exit_code_is_returned_not_raised(side, program, args, code, stderr):
    side.expect(program, args, exit_code=code, stderr=stderr)
    result = side.runner.run(program, args)
    assert result.exit_code == code
    assert result.stderr.startswith(stderr)
    assert result.stdout == ""


METACHARACTERS = ["$(id)", "; rm -rf /", "|", "`x`", "*", "a && b", "$HOME", "~", "> /tmp/x", "'\""]


@pytest.mark.parametrize("text", METACHARACTERS)
def test_shell_metacharacters_arrive_verbatim(side, text):
    user = ["--", "[%s]", UserValue(text)]
    side.expect("printf", user, stdout=f"[{text}]")
    assert side.runner.run("printf", user).stdout == f"[{text}]"
    fixed = ["x", text]  # a fixed argument is no more read by a shell than a user's
    side.expect("echo", fixed, stdout=f"x {text}\n")
    assert side.runner.run("echo", fixed).stdout == f"x {text}\n"


OPTION_LIKE = ["--help", "-a", "-", "--", "-e yes", "--version", "-n", "-"]


@pytest.mark.parametrize("text", OPTION_LIKE)
def test_a_user_value_that_looks_like_an_option_is_data(side, text):
    args = ["--", "[%s]", UserValue(text)]
    side.expect("printf", args, stdout=f"[{text}]")
    assert side.runner.run("printf", args).stdout == f"[{text}]"


@pytest.mark.parametrize("text", ["--help", "-a", "--version", "-A"])
def test_a_program_reads_an_option_like_user_value_as_an_operand(side, text):
    """cat would print its help or a file with -A; after "--" it looks for a file so named."""
    args = ["--", UserValue(text)]
    said = f"/bin/cat: {text}: No such file or directory\n"  # argv[0] is the program's path
    side.expect("cat", args, exit_code=1, stderr=said)
    result = side.runner.run("cat", args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", said)


@pytest.mark.parametrize(
    "args",
    [
        [UserValue("--help")],
        [UserValue("x"), "--"],
        ["%s", UserValue("-a"), "--", "y"],
        [UserValue("--"), "%s", "x"],  # a user's "--" ends nothing
    ],
)
def test_a_user_value_before_the_end_of_options_is_a_programming_error(side, args):
    with pytest.raises(ValueError, match="comes from a user"):
        side.runner.run("printf", args)
    assert side.ran() in (None, [])


@pytest.mark.parametrize("args", [["--", UserValue("x")], ["--"], [UserValue("x")], ["a", "--"]])
def test_a_program_that_does_not_honour_the_end_of_options_takes_no_user_value(side, args):
    with pytest.raises(ValueError, match=r"does not honour '--'|comes from a user"):
        side.runner.run("echo", args)
    assert side.ran() in (None, [])


def test_an_argument_holding_a_nul_is_a_programming_error(side):
    with pytest.raises(ValueError, match="NUL"):
        side.runner.run("printf", ["--", "%s", UserValue("a\0b")])


def test_a_program_that_outlives_its_timeout_is_cut_off_in_time(side):
    side.expect("sleep", ["5"], delay_s=5)
    started = time.monotonic()
    with pytest.raises(CommandFailed) as failed:
        side.runner.run("sleep", ["5"], timeout_s=0.5)
    took = time.monotonic() - started
    assert 0.45 <= took < 1.5
    assert failed.value.program == "sleep" and failed.value.exit_code is None
    assert failed.value.reason == "did not answer within 0.5 s"


def test_the_default_timeout_applies_to_a_call_that_gives_none(make):
    side = make(default_timeout_s=0.3)
    side.expect("sleep", ["5"], delay_s=5)
    started = time.monotonic()
    with pytest.raises(CommandFailed, match=r"did not answer within 0\.3 s"):
        side.runner.run("sleep", ["5"])
    assert time.monotonic() - started < 1.3


def test_a_program_that_answers_in_time_is_left_alone(side):
    side.expect("sleep", ["0.3"], delay_s=0.3)
    started = time.monotonic()
    assert side.runner.run("sleep", ["0.3"], timeout_s=3).exit_code == 0
    assert 0.28 <= time.monotonic() - started < 2


@pytest.mark.parametrize("timeout_s", [0, -1, float("nan"), float("inf")])
def test_a_timeout_that_is_no_positive_number_is_a_programming_error(side, timeout_s):
    with pytest.raises(ValueError, match="timeout"):
        side.runner.run("false", [], timeout_s=timeout_s)


def test_endless_output_is_cut_off_at_the_bound(make):
    side = make(max_output_bytes=BOUND)
    side.expect("yes", [], stdout="y\n" * BOUND)
    started = time.monotonic()
    with pytest.raises(CommandFailed) as failed:
        side.runner.run("yes", [], timeout_s=5)
    assert failed.value.reason == f"too much output (more than {BOUND} bytes)"
    assert time.monotonic() - started < 2


@pytest.mark.parametrize(("size", "fits"), [(BOUND, True), (BOUND + 1, False)])
def test_output_up_to_the_bound_is_kept_whole(make, size, fits):
    side = make(max_output_bytes=BOUND)
    args = ["--", "%s", UserValue("x" * size)]
    side.expect("printf", args, stdout="x" * size)
    if fits:
        assert side.runner.run("printf", args).stdout == "x" * size
    else:
        with pytest.raises(CommandFailed, match="too much output"):
            side.runner.run("printf", args)


@pytest.mark.parametrize("name", ["bash", "sh", "sudo", "/bin/echo", "nmcli", "Printf", ""])
def test_a_program_not_on_the_allowlist_is_not_run(side, name):
    with pytest.raises(CommandFailed) as failed:
        side.runner.run(name, ["-c", "id"])
    assert failed.value.program == name
    assert failed.value.reason.startswith("not allowed")
    assert side.ran() in (None, [])


def test_a_missing_program_is_not_installed(side):
    with pytest.raises(CommandFailed) as failed:
        side.runner.run("gone", ["--", UserValue("x")])
    assert failed.value.reason == "not installed (/usr/bin/eyepi-no-such-program is missing)"
    assert failed.value.exit_code is None


def test_output_that_is_not_utf8_is_decoded_with_replacement_marks(side):
    args = ["\\377ok\\n"]  # printf's octal escape: the byte 0xff
    side.expect("printf", args, stdout=b"\xffok\n")
    assert side.runner.run("printf", args).stdout == "\ufffdok\n"


def test_a_program_reading_stdin_gets_nothing_at_once(side):
    side.expect("cat", [], stdout="")
    started = time.monotonic()
    result = side.runner.run("cat", [], timeout_s=3)
    assert (result.exit_code, result.stdout) == (0, "")
    assert time.monotonic() - started < 1
