"""Username and password rules, and the refusal sentences of the permission table."""

import re

from hypothesis import given
from hypothesis import strategies as st

from eyepi_gui.domain.access import Permission, Role, refusal
from eyepi_gui.domain.accounts import password_problem, username_problem

PATTERN = re.compile(r"[a-z0-9_.-]{1,32}")


@given(st.text(max_size=40))
def test_a_username_is_accepted_exactly_when_it_matches_the_pattern_and_has_a_letter(name):
    expected = PATTERN.fullmatch(name) is not None and any(c.isalnum() for c in name)
    assert (username_problem(name) is None) == expected


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_.-", min_size=1, max_size=32))
def test_every_refusal_is_a_sentence_that_names_the_problem(name):
    problem = username_problem(name + "\u202e")
    assert problem is not None and "U+202E" in problem


@given(st.text(min_size=10, max_size=30).filter(lambda p: "\x00" not in p))
def test_a_password_is_never_truncated_silently(password):
    problem = password_problem(password, "", frozenset())
    if len(password.encode("utf-8")) > 72:
        assert problem is not None and "72 bytes" in problem


def test_refusals_say_who_may_and_what():
    assert refusal(Role.ADMIN, Permission.MANAGE_USERS) is None
    assert refusal(None, Permission.TEST_SHOT) == (
        "Log in as an operator or admin to take test shots."
    )
    assert refusal(Role.OPERATOR, Permission.MANAGE_USERS) == (
        "An operator may not manage users; log in as an admin."
    )
    assert refusal(Role.VIEWER, Permission.CAMERA_SETTINGS) == (
        "A viewer may not change camera settings; log in as an operator or admin."
    )
