"""The user-value rule both runners apply, and how a command appears in a log line."""

import pytest

from eyepi_gui.domain.command_args import (
    Program,
    UserValue,
    check_args,
    shown_command,
    user_args,
)

TAKES = Program("/usr/bin/lsblk", end_of_options=True)
REFUSES = Program("/usr/bin/nmcli", end_of_options=False)


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["-J", "-o", "NAME"],
        ["-J", "--", UserValue("--help")],
        ["--", UserValue("--"), UserValue("-a")],
        ["--", "fixed", UserValue("x"), "--"],  # after the first "--" all is data
    ],
)
def test_user_values_after_the_first_end_of_options_pass(args):
    check_args("lsblk", TAKES, args)


@pytest.mark.parametrize(
    ("program", "args", "says"),
    [
        (TAKES, [UserValue("/dev/sda")], "comes from a user"),
        (TAKES, ["-J", UserValue("x"), "--"], "argument 1 comes from a user"),
        (TAKES, [UserValue("--"), "x"], "comes from a user"),
        (REFUSES, ["--"], "does not honour '--'"),
        (REFUSES, ["-t", "--", UserValue("x")], "does not honour '--'"),
        (REFUSES, [UserValue("x")], "comes from a user"),
        (TAKES, ["--", UserValue("a\0b")], "argument 1 holds a NUL"),
        (REFUSES, ["a\0"], "holds a NUL"),
    ],
)
def test_breaking_the_rule_is_a_value_error(program, args, says):
    with pytest.raises(ValueError, match=says):
        check_args("prog", program, args)


def test_user_args_end_the_options_and_mark_each_value():
    args = user_args("--help", "-a")
    assert args == ["--", "--help", "-a"]
    assert [type(arg) for arg in args] == [str, UserValue, UserValue]
    check_args("lsblk", TAKES, ["-J", *args])


def test_a_log_line_shows_user_values_as_placeholders_and_quotes_odd_arguments():
    args = ["-t", "-f", "NAME,UUID", "two words", "tab\there", "--", UserValue("My Wi-Fi")]
    shown = shown_command("nmcli", args)
    assert shown == 'nmcli -t -f NAME,UUID "two words" "tab\\there" -- <value>'
    assert "\n" not in shown_command("x", ["a\nb"])


def test_a_user_value_says_what_it_is_and_joined_text_is_plain_again():
    value = UserValue("ssid")
    assert repr(value) == "UserValue('ssid')" and value == "ssid"
    assert type(value + "-x") is str and type("-x" + value) is str
