"""How the Storage tab words the disk, drives and exports (pure functions)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from eyepi_gui.domain.export import ExportRecord
from eyepi_gui.domain.volumes import CameraForecast, StorageForecast, Volume
from eyepi_gui.kiosk.panels.storage.disk import (
    NOT_MEASURED,
    NOTHING_SCHEDULED,
    camera_text,
    days_text,
    until_full_text,
)
from eyepi_gui.kiosk.panels.storage.drives import drive_facts, drive_title, exportable
from eyepi_gui.kiosk.panels.storage.history import outcome_role, record_facts, record_title

GB = 10**9


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0.0, "full now: capture pauses at the floor"),
        (0.4, "under a day"),
        (1.2, "about 1 day"),
        (12.6, "about 13 days"),
        (1000.0, "about 3 years"),
    ],
)
def test_days_in_words(days, text):
    assert days_text(days) == text


def forecast(days, *cameras):
    return StorageForecast(10 * GB, 32 * GB, GB // 2, cameras, days)


def test_until_full_says_why_it_cannot_be_told():
    assert until_full_text(forecast(None)) == NOTHING_SCHEDULED
    assert until_full_text(forecast(None, CameraForecast("a", 0, None))) == NOTHING_SCHEDULED
    assert until_full_text(forecast(None, CameraForecast("a", 288, None))) == NOT_MEASURED
    assert until_full_text(forecast(40.2, CameraForecast("a", 288, 2e6))) == "Full in about 40 days"


def test_each_cameras_share():
    room = 9 * GB
    assert camera_text(CameraForecast("a", 288, 2e6), room) == (
        "288 images a day, 2 MB each: 576 MB a day; alone full in about 16 days"
    )
    unmeasured = camera_text(CameraForecast("a", 288, None), room)
    assert unmeasured == "288 images a day; size known after its first scheduled image"
    assert camera_text(CameraForecast("a", 0, 2e6), room) == "not scheduled: adds nothing"
    latest = CameraForecast("a", 288, 2e6, keeps_all=False)
    assert camera_text(latest, room) == "keeps only its latest image: adds nothing"


def test_drive_words():
    stick = Volume("/dev/sdb1", "sdb1", 64 * GB, "exfat", "FIELD", "/m", 12 * GB, True)
    assert drive_title(stick) == "FIELD"
    assert drive_facts(stick) == "/dev/sdb1 · exfat · 64.0 GB · 12.0 GB free"
    blank = Volume("/dev/sdc", "sdc", 8 * GB, removable=True, vendor="Generic", model="Disk")
    assert drive_title(blank) == "Generic Disk"
    assert "no filesystem (format it first)" in drive_facts(blank) and not exportable(blank)
    reader = Volume("/dev/sdd", "sdd", 0, removable=True)
    assert drive_facts(reader) == "/dev/sdd · no card or medium" and not exportable(reader)
    locked = Volume("/dev/sde1", "sde1", GB, "vfat", "RO", read_only=True, removable=True)
    assert drive_facts(locked).endswith("read-only") and not exportable(locked)


def test_history_words():
    record = ExportRecord(
        1,
        "j",
        1748736000.0,
        None,
        "otto (operator, kiosk)",
        "/dev/sdb1",
        None,
        "ext4",
        "eyepi",
        1,
        2_400_000,
        "done",
    )
    assert record_title(record, ZoneInfo("UTC")) == "2025-06-01 00:00 to /dev/sdb1"
    assert record_facts(record) == (
        "by otto (operator, kiosk) · 1 file, 2 MB verified · ext4 on /dev/sdb1 · done"
    )
    assert [outcome_role(o) for o in ("done", "running", "failed: x")] == ["ok", "", "error"]
