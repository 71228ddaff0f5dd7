"""The system's zone keeps its name when /etc/localtime links into a zoneinfo folder."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from eyepi_gui.adapters.clock import system_timezone


@pytest.fixture(autouse=True)
def _no_tz(monkeypatch):
    monkeypatch.delenv("TZ", raising=False)


def test_a_link_into_zoneinfo_gives_the_zone_by_name(tmp_path):
    link = tmp_path / "localtime"
    os.symlink("/usr/share/zoneinfo/Europe/Berlin", link)
    assert str(system_timezone(link)) == "Europe/Berlin"


def test_a_copied_zone_file_keeps_its_rules_under_a_plain_name(tmp_path):
    copy = tmp_path / "localtime"
    copy.write_bytes(Path("/usr/share/zoneinfo/Europe/Berlin").read_bytes())
    zone = system_timezone(copy)
    assert str(zone) == "localtime"
    assert zone.utcoffset(datetime(2025, 7, 1)).total_seconds() == 7200


@pytest.mark.parametrize("target", ["/nowhere/zoneinfo/Mars/Olympus", "/somewhere/else"])
def test_a_link_to_no_zone_falls_back_to_utc(tmp_path, target):
    link = tmp_path / "localtime"
    os.symlink(target, link)
    assert system_timezone(link) is UTC
