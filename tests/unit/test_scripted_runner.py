"""What only the scripted runner does (what every runner does is in
tests/contract/test_command_runner.py): calls nobody scripted fail the test naming their
argv, user values must be marked as the script marks them, answers are used up, calls are
recorded, output replays from recorded files byte for byte."""

import time

import pytest

from eyepi_gui.domain.command_args import UserValue
from eyepi_gui.errors import CommandFailed
from tests.scripted_runner import RECORDED, Call, ScriptedRunner


def test_a_call_nobody_scripted_fails_the_test_naming_its_argv():
    runner = ScriptedRunner()
    runner.expect("nmcli", ["-t", "device"])
    with pytest.raises(AssertionError) as failed:
        runner.run("nmcli", ["-t", "-f", "all", "device"])
    assert "unexpected call: nmcli ['-t', '-f', 'all', 'device']" in str(failed.value)
    assert "nmcli ['-t', 'device']" in str(failed.value)


def test_a_scripted_user_value_matches_only_a_marked_one():
    runner = ScriptedRunner()
    runner.expect("journalctl", ["--", UserValue("eyepi.service")])
    with pytest.raises(AssertionError, match="unexpected call"):
        runner.run("journalctl", ["--", "eyepi.service"])
    runner.expect("lsblk", ["--", "/dev/sda"])
    with pytest.raises(AssertionError, match="unexpected call"):
        runner.run("lsblk", ["--", UserValue("/dev/sda")])
    assert runner.run("journalctl", ["--", UserValue("eyepi.service")]).exit_code == 0


def test_each_answer_is_used_as_often_as_scripted():
    runner = ScriptedRunner()
    runner.expect("nmcli", ["general"], stdout="first")
    runner.expect("nmcli", ["general"], stdout="then always", times=None)
    runner.expect("lsblk", ["-J"], times=2)
    assert runner.unused() == [("nmcli", ("general",)), ("lsblk", ("-J",))]
    said = [runner.run("nmcli", ["general"]).stdout for _ in range(3)]
    assert said == ["first", "then always", "then always"]
    runner.run("lsblk", ["-J"])
    with pytest.raises(AssertionError, match="never made"):
        runner.assert_all_used()
    runner.run("lsblk", ["-J"])
    runner.assert_all_used()
    with pytest.raises(AssertionError, match="unexpected call: lsblk"):
        runner.run("lsblk", ["-J"])


def test_calls_are_recorded_with_their_timeout():
    runner = ScriptedRunner(default_timeout_s=7)
    runner.expect("nmcli", ["a"], times=None)
    runner.run("nmcli", ["a"])
    runner.run("nmcli", ["a"], timeout_s=2)
    assert runner.calls == [Call("nmcli", ("a",), 7), Call("nmcli", ("a",), 2)]


def test_a_scripted_answer_can_take_its_time_and_fail_with_an_exit_code():
    runner = ScriptedRunner()
    runner.expect(
        "nmcli", ["general"], exit_code=8, stderr="Error: NM is not running.", delay_s=0.2
    )
    started = time.monotonic()
    result = runner.run("nmcli", ["general"], timeout_s=1)
    assert time.monotonic() - started >= 0.2
    assert (result.exit_code, result.stderr) == (8, "Error: NM is not running.")


def test_recorded_output_replays_byte_for_byte_decoded_as_the_real_runner_does():
    runner = ScriptedRunner()
    runner.expect("nmcli", ["-t", "device", "wifi"], stdout_file="scripted-runner-sample.txt")
    stdout = runner.run("nmcli", ["-t", "device", "wifi"]).stdout
    raw = (RECORDED / "scripted-runner-sample.txt").read_bytes()
    assert stdout == raw.decode("utf-8", "replace")
    assert stdout.splitlines() == ["café\\:bar:636166C3A93A626172:WPA2", "\ufffd-raw:FF2D726177:"]


def test_the_station_programs_are_the_default_allowlist():
    runner = ScriptedRunner()
    with pytest.raises(ValueError, match="does not honour"):
        runner.run("nmcli", ["--", UserValue("--help")])
    with pytest.raises(CommandFailed, match="not allowed"):
        runner.run("bash", ["-c", "id"])
    assert runner.calls == []
