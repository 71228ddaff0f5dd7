"""`eyepi user ...` as a real process: accounts in state.db, passwords from stdin, refusals."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.system
PASSWORD = "a long enough secret"


def eyepi(home, *args, stdin=""):
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    return subprocess.run(
        [sys.executable, "-m", "eyepi_gui", "user", *args, "--home", str(home)],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_add_list_role_passwd_remove(tmp_path):
    home = tmp_path / "home"
    empty = eyepi(home, "list")
    assert empty.returncode == 0 and "eyepi user add --admin NAME" in empty.stdout
    assert eyepi(home, "add", "--admin", "ada", stdin=PASSWORD + "\n").returncode == 0
    assert eyepi(home, "add", "otto", "--role", "operator", stdin=PASSWORD + "\n").returncode == 0
    listed = eyepi(home, "list").stdout.splitlines()
    assert [line.split()[:3] for line in listed] == [
        ["ada", "admin", "active"],
        ["otto", "operator", "active"],
    ]
    assert eyepi(home, "role", "otto", "viewer").stdout.strip() == "otto is now viewer"
    assert eyepi(home, "passwd", "otto", stdin="another long secret\n").returncode == 0
    assert eyepi(home, "remove", "otto").returncode == 0
    assert [line.split()[0] for line in eyepi(home, "list").stdout.splitlines()] == ["ada"]


@pytest.mark.parametrize(
    ("args", "stdin", "says"),
    [
        (("add", "Ada"), PASSWORD, "username: uppercase letter 'A'"),
        (("add", "ada\u202e"), PASSWORD, "username: invisible or control character U+202E"),
        (("add", "ada"), "nine char", "password: at least 10 characters"),
        (("add", "ada"), "a" * 73, "password: at most 72 bytes"),
        (("add", "ada"), "password123", "password: this is one of the most common"),
    ],
)
def test_bad_input_exits_2_naming_the_field_and_adds_nothing(tmp_path, args, stdin, says):
    result = eyepi(tmp_path, *args, stdin=stdin + "\n")
    assert result.returncode == 2 and says in result.stderr
    assert "Traceback" not in result.stderr
    assert "no accounts yet" in eyepi(tmp_path, "list").stdout


def test_the_last_admin_stays(tmp_path):
    eyepi(tmp_path, "add", "--admin", "ada", stdin=PASSWORD + "\n")
    for args in (("remove", "ada"), ("role", "ada", "viewer")):
        result = eyepi(tmp_path, *args)
        assert result.returncode == 2 and "last admin" in result.stderr
    assert eyepi(tmp_path, "list").stdout.split()[:2] == ["ada", "admin"]


def test_unknown_user_and_bad_role_are_clear_errors(tmp_path):
    missing = eyepi(tmp_path, "remove", "ghost")
    assert missing.returncode == 1 and "ghost" in missing.stderr
    bad_role = eyepi(tmp_path, "role", "ghost", "root")
    assert bad_role.returncode == 2 and "invalid choice: 'root'" in bad_role.stderr


def test_calibrate_recommends_a_cost_of_at_least_10(tmp_path):
    result = eyepi(tmp_path, "calibrate")
    assert result.returncode == 0, result.stderr
    assert "cost 10:" in result.stdout
    last = result.stdout.strip().splitlines()[-1]
    assert "security.bcrypt_cost = " in last or "keep security.bcrypt_cost = 10" in last


def test_add_without_a_role_gives_a_viewer(tmp_path):
    result = eyepi(tmp_path, "add", "vera", stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    assert eyepi(tmp_path, "list").stdout.split()[:2] == ["vera", "viewer"]


def test_passwd_for_an_unknown_user_says_so_before_asking(tmp_path):
    result = eyepi(tmp_path, "passwd", "ghost", stdin="")
    assert result.returncode == 1 and "no user 'ghost'" in result.stderr
