"""The README's examples stay true: its station.toml example is accepted as written."""

import re
from pathlib import Path

from eyepi_gui import settings as cfg

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_station_toml_example_is_valid_and_keeps_its_values():
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert blocks, "README.md has no toml example"
    parsed = [cfg.loads(block) for block in blocks]  # every example is valid as written
    station = next(p for p in parsed if p.cameras)
    assert station.security.bcrypt_cost == 12 and station.security.auto_lock_s == 300
    assert station.cameras["sim-1"].window == "05:00-22:00"
    assert station.preview.max_fps == 15
    lock = station.cameras["sim-1"].focus_lock
    assert lock is not None and lock.drift_fraction == 0.7


def test_the_remote_example_shows_the_defaults():
    blocks = re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    station = next(cfg.loads(block) for block in blocks if "[remote]" in block)
    assert station.remote == cfg.RemoteSettings()
