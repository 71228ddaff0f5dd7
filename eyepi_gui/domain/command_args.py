"""An outside program's arguments and the one rule that keeps values from users data.

The rule: a ``UserValue`` may only come after a plain "--" element (the end of options),
and only a program that honours "--" may be given one. So an SSID of "--help" or "-a" can
only ever reach a program as an operand, never as an option. A plain "--" is refused for a
program that does not honour it (it would be read as something else). The runner and the
test fake both apply ``check_args`` (this rule, and no NUL in any argument, which no argv
can hold); breaking it raises ``ValueError``: a programming error, never the user's (values
from users are validated first).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

END_OF_OPTIONS = "--"
SHOWN_USER_VALUE = "<value>"
"""How a user value appears in a log line: never verbatim."""
_PLAIN = re.compile(r"[A-Za-z0-9_./:=,+@%-]+")


class UserValue(str):
    """Text that came from a user (a typed name, a request's value): the runner passes it
    only as data after a "--" element, and logs it as "<value>". Mark the finished value
    (``UserValue(name)``); text joined onto it is a plain ``str`` again. A value validated
    into a form that cannot start with "-" (a UUID, a checked unit name) may go as a plain
    ``str``, also as an option's value."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"UserValue({str.__repr__(self)})"


@dataclass(frozen=True)
class Program:
    """A program a runner may start: its absolute ``path``, and ``end_of_options`` when it
    takes "--" as the end of its options everywhere (getopt's programs do; nmcli does not),
    which it must to be given user values."""

    path: str
    end_of_options: bool = True


def user_args(*values: str) -> list[str]:
    """``values`` from users as the end of an argv: "--", then each marked ``UserValue``."""
    return [END_OF_OPTIONS, *(UserValue(value) for value in values)]


def check_args(name: str, program: Program, args: Sequence[str]) -> None:
    """Raise ValueError when ``args`` give a ``UserValue`` before the first plain "--", a
    plain "--" to a ``program`` (called ``name``) that does not honour it, or hold a NUL."""
    for index, arg in enumerate(args):
        if "\0" in arg:
            raise ValueError(f"{name}: argument {index} holds a NUL character")
    for index, arg in enumerate(args):
        if isinstance(arg, UserValue):
            raise ValueError(
                f"{name}: argument {index} comes from a user and must follow a '--' argument"
            )
        if arg == END_OF_OPTIONS:
            if not program.end_of_options:
                raise ValueError(f"{name} does not honour '--', so it takes no user values")
            return


def checked_call(
    programs: Mapping[str, Program], program: str, args: Sequence[str]
) -> Program | None:
    """The allowlisted ``program`` for a call with ``args`` (after ``check_args``), or None
    when it is not on the list (the runner says so as it reports failures)."""
    spec = programs.get(program)
    if spec is not None:
        check_args(program, spec, args)
    return spec


NOT_ALLOWED = "not allowed (not on the station's list of programs)"
"""Why a runner refuses a program that is not on its list."""


def shown_command(program: str, args: Sequence[str]) -> str:
    """The command as one log line may show it: each user value as "<value>", an argument
    with spaces, quotes or control characters in JSON quotes."""
    shown = [program]
    for arg in args:
        if isinstance(arg, UserValue):
            shown.append(SHOWN_USER_VALUE)
        else:
            shown.append(arg if _PLAIN.fullmatch(arg) else json.dumps(arg))
    return " ".join(shown)
