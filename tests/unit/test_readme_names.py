"""Every command, option, setting and web path the README names exists: the README describes
only what is built (what is not yet built it says so in words, not with names)."""

import re
from pathlib import Path

import pytest

from eyepi_gui import settings as cfg
from eyepi_gui.cli import _parser

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
CODE = re.findall(r"`([^`\n]+)`", README)
PLACEHOLDERS = {"NAME": "ada", "ROLE": "viewer", "DIR": "/tmp/home"}


def commands_and_options(parser, found=None):
    """Every sub-command name and option string of ``parser``, recursively."""
    found = found if found is not None else set()
    for action in parser._actions:
        found.update(action.option_strings)
        choices = getattr(action, "choices", None) or ()
        found.update(choices)  # sub-command names, or the values an option takes
        for sub in choices.values() if isinstance(choices, dict) else ():
            commands_and_options(sub, found)
    return found


def command_block():
    section = README.split("## The `eyepi` command", 1)[1]
    block = section.split("```", 2)[1]
    return [re.split(r"\s{2,}", line.strip())[0] for line in block.strip().splitlines()]


def test_the_command_table_names_only_commands_and_options_that_exist():
    known = commands_and_options(_parser())
    for line in command_block():
        words = re.findall(r"--?[a-z][a-z-]*|\b[a-z][a-z0-9-]*\b", line)
        unknown = [word for word in words[1:] if word not in known]  # words[0] is "eyepi"
        assert unknown == [], f"{line!r} names {unknown}"


@pytest.mark.parametrize(
    "example", sorted({c for c in CODE if re.fullmatch(r"eyepi [a-z][a-z -]*[A-Z ]*", c)})
)
def test_every_eyepi_command_in_the_text_parses(example):
    argv = [PLACEHOLDERS.get(word, word) for word in example.split()[1:]]
    try:
        _parser().parse_args(argv)
    except SystemExit:  # not a whole command line: it must name a group (`eyepi user`)
        assert set(argv) <= commands_and_options(_parser()), f"{example!r} does not exist"


def test_every_dotted_setting_in_the_text_exists():
    sections = {
        "remote": cfg.RemoteSettings,
        "security": cfg.SecuritySettings,
        "preview": cfg.PreviewSettings,
    }
    named = {c for c in CODE if re.fullmatch(r"(remote|security|preview)\.[a-z_]+", c)}
    assert named, "the README names no setting"
    missing = [n for n in named if n.split(".")[1] not in sections[n.split(".")[0]].model_fields]
    assert missing == []
