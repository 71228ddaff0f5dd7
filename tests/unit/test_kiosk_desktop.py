"""kiosk.desktop: the XDG autostart entry that starts the kiosk at login."""

from __future__ import annotations

import configparser
import shlex
from pathlib import Path

import pytest

DESKTOP_FILE = Path(__file__).resolve().parents[2] / "kiosk.desktop"


class _DesktopParser(configparser.ConfigParser):
    def optionxform(self, optionstr: str) -> str:
        return optionstr  # desktop entry keys are case sensitive


@pytest.fixture
def entry() -> configparser.SectionProxy:
    parser = _DesktopParser(interpolation=None, delimiters=("=",))
    parser.read_string(DESKTOP_FILE.read_text(encoding="utf-8"), source=str(DESKTOP_FILE))
    assert parser.sections()[0] == "Desktop Entry"
    return parser["Desktop Entry"]


def test_starts_the_kiosk(entry: configparser.SectionProxy) -> None:
    assert shlex.split(entry["Exec"]) == ["eyepi", "run", "--kiosk"]


def test_is_an_autostarted_application(entry: configparser.SectionProxy) -> None:
    assert entry["Type"] == "Application"
    assert entry["Name"]
    assert entry.get("Terminal") == "false"
    assert entry.get("X-GNOME-Autostart-enabled") == "true"
    assert "Hidden" not in entry or entry["Hidden"] == "false"
