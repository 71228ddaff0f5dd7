"""``eyepi user ...``: manage accounts from a shell on the station.

Whoever can run ``eyepi`` on the station's home can edit its files anyway, so the CLI acts as
an admin (origin "cli"); every change is still checked by the services and audited.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from eyepi_gui.domain.access import Origin, Principal, Role
from eyepi_gui.errors import EyepiError, InvalidInput, NotFound

if TYPE_CHECKING:
    from eyepi_gui.services.users import UserService

CALIBRATE_TARGET_S = 0.5
ROLES = [role.value for role in Role]


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    user = sub.add_parser("user", help="manage user accounts (add, passwd, list, remove, role)")
    actions = user.add_subparsers(dest="action", required=True)
    add = actions.add_parser("add", help="add an account (asks for the password)")
    add.add_argument("name")
    role = add.add_mutually_exclusive_group()
    role.add_argument("--admin", action="store_const", const="admin", dest="role")
    role.add_argument("--role", choices=ROLES)
    add.set_defaults(role="viewer")  # one default for the shared dest, whatever the order
    actions.add_parser("passwd", help="set an account's password").add_argument("name")
    actions.add_parser("list", help="list the accounts")
    actions.add_parser("remove", help="remove an account").add_argument("name")
    change = actions.add_parser("role", help="give an account another role")
    change.add_argument("name")
    change.add_argument("role", choices=ROLES)
    actions.add_parser("calibrate", help="the bcrypt cost that keeps one check under 0.5 s")
    for parser in actions.choices.values():
        parser.add_argument("--home", type=Path, default=None, help="station home (EYEPI_HOME)")


def cli_principal() -> Principal:
    return Principal(f"cli:{getpass.getuser()}", Role.ADMIN, Origin.CLI)


def read_password(stdin: TextIO = sys.stdin) -> str:
    """From the terminal without echo (typed twice), or one line from a pipe."""
    if not stdin.isatty():
        return stdin.readline().removesuffix("\n").removesuffix("\r")
    first = getpass.getpass("New password: ")
    if getpass.getpass("Repeat it: ") != first:
        raise InvalidInput("password", "the two passwords differ")
    return first


def run(args: argparse.Namespace, home: Path) -> int:
    """Run one ``eyepi user`` action; returns the exit code (2 for rejected input)."""
    if args.action == "calibrate":
        return _calibrate()
    from eyepi_gui.station import open_accounts

    logging.getLogger("eyepi").addHandler(logging.NullHandler())
    logging.getLogger("eyepi").propagate = False
    tools = open_accounts(home)
    try:
        return _account_action(tools.users, args)
    except InvalidInput as err:
        print(f"eyepi: {err.field}: {err.reason}", file=sys.stderr)
        return 2
    except EyepiError as err:
        print(f"eyepi: {err}", file=sys.stderr)
        return 1
    finally:
        tools.close()


def _account_action(users: UserService, args: argparse.Namespace) -> int:
    me = cli_principal()
    if args.action == "list":
        _print_accounts(users, me)
    elif args.action == "add":
        users.add_user(me, args.name, read_password(), args.role)
        print(f"added {args.name} ({args.role})")
    elif args.action == "passwd":
        if args.name not in {info.username for info in users.users(me)}:
            raise NotFound(f"no user {args.name!r}")  # before asking for a password
        users.reset_password(me, args.name, read_password())
        print(f"password of {args.name} changed")
    elif args.action == "remove":
        users.remove_user(me, args.name)
        print(f"removed {args.name}")
    elif args.action == "role":
        users.set_role(me, args.name, args.role)
        print(f"{args.name} is now {args.role}")
    return 0


def _print_accounts(users: UserService, me: Principal) -> None:
    accounts = users.users(me)
    if not accounts:
        print("no accounts yet: add the admin with `eyepi user add --admin NAME`")
    for info in accounts:
        state = "disabled" if info.disabled else "active"
        changed = datetime.fromtimestamp(info.changed_at).strftime("%Y-%m-%d %H:%M")
        print(f"{info.username:<32} {info.role:<9} {state:<9} changed {changed}")


def _calibrate() -> int:
    from eyepi_gui.station import bcrypt_costs

    timings = bcrypt_costs(CALIBRATE_TARGET_S)
    for cost, seconds in timings:
        print(f"cost {cost:>2}: {seconds * 1000:7.1f} ms per check")
    fitting = [cost for cost, seconds in timings if seconds < CALIBRATE_TARGET_S]
    if not fitting:
        print("even cost 10 takes longer than 0.5 s here; keep security.bcrypt_cost = 10")
        return 0
    print(f"recommended: security.bcrypt_cost = {max(fitting)} (in station.toml)")
    return 0
